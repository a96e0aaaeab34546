"""The fault suite: a team's full Launchpad extraction under crashes, outages and bad answers.

    python -m tests.chaos                     # quick variant (preset small), ~2-3 minutes
    python -m tests.chaos --full              # medium preset, heavier faults (make chaos)
    python -m tests.chaos --scenario NAME     # one scenario (repeatable); --list names them

Each scenario starts its own Temporal dev server (headless, its own SQLite file) and uses
its own events table on one embedded PostgreSQL; the worker is a real ``python worker.py``
subprocess and Launchpad is the simulator. The scenario starts the three Launchpad flows
for ``sample-team`` over 2024-01-01..2024-04-01, does something bad in the middle, waits
for the runs to finish, and compares the events table with the simulator's ground truth,
row by row. The machinery: ``profiles`` (quick and full settings), ``worker_process``,
``extraction`` (the team's runs and ground truth), ``temporal_runs`` (reading runs back),
``comparison``, ``stack`` (services and one scenario's run) and ``scenario``; one module
per scenario does the damage; ``suite`` runs them and prints the table;
``test_chaos_quick`` runs the quick variant under pytest (``make test``).
"""
