"""Session-wide services: one PostgreSQL and one Temporal dev server for the whole run.

Each test gets its own events table and task queue, so tests never see each other's rows.
"""

pytest_plugins = ["tests.fixtures.postgres", "tests.fixtures.temporal"]
