"""``python -m simulator.github``: see simulator/github/cli.py."""

import sys

from simulator.github.cli import main

sys.exit(main())
