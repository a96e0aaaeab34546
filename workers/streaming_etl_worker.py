"""StreamingETLWorker: a Temporal worker that runs StreamingETLFlow and its activities."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import Client

from models.etl.activities import ETLActivities
from models.etl.streaming_activities import MemoryMonitor, StreamingActivities
from models.etl.streaming_etl_flow import StreamingETLFlow
from models.settings import Settings
from workers.etl_worker import DEFAULT_SHUTDOWN_GRACE, ETLWorker


class StreamingETLWorker(ETLWorker):
    """Polls ``streaming-etl-task-queue`` for StreamingETLFlow runs.

    Chunk activities run on the thread pool, ``max_concurrent_activities`` at once: keep
    it above the runs' ``max_chunks_in_flight`` (a chunk that finds no free slot waits
    on the server until one frees up). ``activities`` may be plain ``ETLActivities`` (the
    streaming ones are added around them) or ``StreamingActivities``.
    """

    workflows: tuple = (StreamingETLFlow,)
    default_task_queue = StreamingETLFlow.queue_name

    def __init__(
        self,
        client: Client,
        settings: Settings | None = None,
        task_queue: str | None = None,
        activities: ETLActivities | StreamingActivities | None = None,
        max_concurrent_activities: int = 16,
        monitor: MemoryMonitor | None = None,
        shutdown_grace: timedelta = DEFAULT_SHUTDOWN_GRACE,
    ):
        settings = settings or Settings.from_env()
        if not isinstance(activities, StreamingActivities):
            activities = StreamingActivities(activities or ETLActivities(settings), monitor)
        super().__init__(
            client, settings, task_queue, activities, max_concurrent_activities, shutdown_grace
        )
