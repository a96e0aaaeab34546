"""``python -m simulator.launchpad``: see simulator/launchpad/cli.py."""

import sys

from simulator.launchpad.cli import main

sys.exit(main())
