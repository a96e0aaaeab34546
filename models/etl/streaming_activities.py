"""The activities StreamingETLFlow adds to the shared ones: ``plan`` and ``memory``.

* ``streaming.plan`` validates the input and the config (bad input fails at once,
  non-retryable, as ``etl.prepare`` does) and splits the run into chunks: for an extract
  method with a partition hook, range cursors of ``chunk_size`` items each; otherwise
  one chunk from the beginning. Only the cursors go back to the workflow.
* ``streaming.memory`` reads this worker's resident memory with psutil and compares it
  with a threshold; the workflow runs it as a local activity before starting a chunk,
  so the reading is of the worker that runs the workflow.

Chunks themselves run on ``etl.extract_load`` (see ``models.etl.activities``): page by
page, heartbeating the cursor, resuming from it on retry.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from dataclasses import dataclass
from typing import Any

import psutil
from temporalio import activity

from models.etl.activities import PERMANENT_ERRORS, ETLActivities, build, fail_permanently
from models.etl.etl_flow_input import ETLFlowInput
from models.etl.heartbeat import Heartbeater
from models.etl.streaming_config import StreamingConfig

MB = 1024 * 1024


@dataclass
class PlanInput:
    flow_input: ETLFlowInput
    config: StreamingConfig


@dataclass
class PlanResult:
    summary_base: dict[str, Any]
    cursors: list[Any]  # one start cursor per chunk
    partitioned: bool  # False: the method has no partition hook (one chunk)


@dataclass
class MemoryReading:
    rss_mb: float
    peak_rss_mb: float  # the highest this monitor has seen
    threshold_mb: float
    over: bool
    pid: int


def _malloc_trim():
    """glibc's ``malloc_trim``, or None where there is none (musl, macOS)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _malloc_trim()


def release_memory() -> None:
    """Hand memory that is free inside the process back to the operating system.

    After a burst (a big listing, parsed pages on many threads) CPython frees its
    objects, but glibc keeps the pages: the resident size stays high although the memory
    is unused, and backpressure would hold chunks back for nothing.
    """
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


class MemoryMonitor:
    """Resident memory of this process, read with psutil; remembers the peak it saw."""

    def __init__(self, pid: int | None = None):
        self._process = psutil.Process(pid)
        self._lock = threading.Lock()
        self.peak_mb = 0.0

    def rss_mb(self) -> float:
        rss = self._process.memory_info().rss / MB
        with self._lock:
            self.peak_mb = max(self.peak_mb, rss)
        return rss

    def reading(self, threshold_mb: float) -> MemoryReading:
        rss = self.rss_mb()
        if threshold_mb > 0 and rss > threshold_mb:
            release_memory()  # over only if the memory is really in use
            rss = self.rss_mb()
        over = threshold_mb > 0 and rss > threshold_mb
        return MemoryReading(
            rss_mb=round(rss, 1),
            peak_rss_mb=round(self.peak_mb, 1),
            threshold_mb=threshold_mb,
            over=over,
            pid=self._process.pid,
        )


class StreamingActivities:
    """The shared ETL activities plus ``plan`` and ``memory``."""

    def __init__(self, etl: ETLActivities, monitor: MemoryMonitor | None = None):
        self.etl = etl
        self.monitor = monitor or MemoryMonitor()

    @activity.defn(name="streaming.plan")
    def plan(self, request: PlanInput) -> PlanResult:
        """Validate, then split the run into chunks (listing the items if partitioned)."""
        try:
            request.config.validate()
            query, method = build(request.flow_input)
            summary_base = query.to_summary_base()
            # Listing a big team's items takes a while: keep the heartbeat going.
            with Heartbeater({"phase": "planning"}):
                cursors = method.partition(query, request.config.chunk_size)
        except PERMANENT_ERRORS as exc:
            fail_permanently(exc)
        finally:
            release_memory()  # listing a big source leaves much freed memory behind
        activity.logger.info(
            "%s: %d chunk(s) of up to %d items",
            request.flow_input.extract_strategy,
            len(cursors),
            request.config.chunk_size,
        )
        return PlanResult(
            summary_base=summary_base,
            cursors=cursors,
            partitioned=method.partitions is not None,
        )

    @activity.defn(name="streaming.memory")
    async def memory(self, threshold_mb: float) -> MemoryReading:
        """This worker's resident memory against ``threshold_mb`` (0: never over)."""
        return self.monitor.reading(threshold_mb)

    def all(self) -> list:
        return [*self.etl.all(), self.plan, self.memory]
