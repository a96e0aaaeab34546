"""Not collected by the suite: tests/devstack/test_interrupted.py runs this file in a
pytest of its own and interrupts it once the session's servers run."""

import os
import time
from pathlib import Path


def test_wait_to_be_interrupted(postgres, temporal_server):
    Path(os.environ["INTERRUPT_READY_FILE"]).write_text("ready")
    time.sleep(300)
