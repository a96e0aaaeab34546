"""``python -m simulator [launchpad|github] COMMAND ...``; without a service name the
Launchpad simulator's commands (``serve``, ``truth``, ``people``, ``info``), as before."""

import runpy
import sys

if len(sys.argv) > 1 and sys.argv[1] in ("launchpad", "github"):
    service = sys.argv.pop(1)
    runpy.run_module(f"simulator.{service}", run_name="__main__", alter_sys=True)
else:
    from simulator.launchpad.cli import main

    sys.exit(main())
