"""``python worker.py --check``: can this worker reach Temporal and PostgreSQL right now?

One line on stdout, exit status 0 (both answer) or 1 (the first that does not, and why).
Used by docker-compose.yml's healthcheck; quick (each check gives up after
``CHECK_TIMEOUT`` seconds) and free of secrets (the database password is never printed).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest

from models.database import Database, RetryPolicy
from models.exceptions import ETLError
from models.settings import Settings
from workers.etl_worker import connect

CHECK_TIMEOUT = 10.0


async def _temporal(settings: Settings) -> None:
    client = await connect(settings)
    await client.workflow_service.describe_namespace(
        DescribeNamespaceRequest(namespace=settings.temporal_namespace),
        timeout=timedelta(seconds=CHECK_TIMEOUT),
    )


def _postgres(settings: Settings) -> None:
    retry = RetryPolicy(max_elapsed=CHECK_TIMEOUT / 2, initial_delay=0.2, max_delay=1.0)
    with (
        Database.for_settings(settings.db, retry=retry, connect_timeout=CHECK_TIMEOUT / 2) as db,
        db.get_connection() as conn,
        conn.cursor() as cur,
    ):
        cur.execute("SELECT 1")


async def check(settings: Settings) -> tuple[bool, str]:
    """``(healthy, one line saying so)``."""
    temporal = f"Temporal {settings.temporal_host} (namespace {settings.temporal_namespace})"
    db = settings.db
    postgres = f"PostgreSQL {db.host}:{db.port}/{db.name}"
    try:
        await asyncio.wait_for(_temporal(settings), CHECK_TIMEOUT)
    except Exception as err:  # whatever the SDK raises: refused, TLS, unknown namespace
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return False, f"unhealthy: {temporal}: {reason}"
    try:
        await asyncio.to_thread(_postgres, settings)
    except ETLError as err:  # DatabaseError / DatabaseUnavailableError: already scrubbed
        return False, f"unhealthy: {postgres}: {err}"
    return True, f"healthy: {temporal} and {postgres} answer"
