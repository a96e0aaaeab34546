"""``python -m tests.chaos``: see tests/chaos/__init__.py."""

import sys

from tests.chaos.suite import main

sys.exit(main())
