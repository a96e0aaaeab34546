"""Timeouts and retry policies of the ETL activities, chosen on purpose and shared by
ETLFlow and StreamingETLFlow."""

from datetime import timedelta

from temporalio.common import RetryPolicy

# Validation is cheap and its failures are permanent: a couple of tries covers a worker
# restart, and InputError is raised non-retryable anyway.
PREPARE_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=5), maximum_attempts=3
)
# Extraction fails transiently (Launchpad 5xx/429, PostgreSQL restarts, a worker crash):
# retry with backoff for several minutes; every retry resumes from the heartbeated cursor.
EXTRACT_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=12,
)
HEARTBEAT_TIMEOUT = timedelta(seconds=20)
PAGE_TIMEOUT = timedelta(minutes=30)
