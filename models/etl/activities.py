"""The activities behind ETLFlow and StreamingETLFlow.

They are synchronous on purpose: launchpadlib and psycopg2 block, so the worker runs them on
its thread pool instead of its event loop. Extraction and loading happen in the same
activity, page by page, so events never pass through the workflow history; after each page
is committed its cursor is heartbeated, and a retry resumes from there.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from models import metrics
from models.database import Database
from models.etl.activity_io import (
    ExtractLoadInput,
    ExtractLoadResult,
    PrepareResult,
)
from models.etl.etl_flow_input import ETLFlowInput
from models.etl.extract_cmd import ExtractMethod, ExtractStrategy
from models.etl.heartbeat import Heartbeater
from models.etl.progress import LoadCounts
from models.etl.query import Query, QueryFactory
from models.event import Event
from models.exceptions import (
    ConfigurationError,
    DatabaseError,
    DatabaseUnavailableError,
    InputError,
)
from models.roster.identity import IdentityCache, IdentityMap
from models.roster.store import RosterStore
from models.settings import Settings

logger = logging.getLogger(__name__)


# Errors that retrying cannot fix: the activity fails at once and names the problem.
# A refused database login is one; a database that is merely down is not.
PERMANENT_ERRORS = (InputError, ConfigurationError, DatabaseError)


def fail_permanently(exc: Exception) -> None:
    """Re-raise ``exc`` as a non-retryable ApplicationError naming its type.

    A database that is merely unreachable stays retryable: it usually comes back.
    """
    if isinstance(exc, DatabaseUnavailableError):
        raise exc
    raise ApplicationError(str(exc), type=type(exc).__name__, non_retryable=True) from exc


def build(flow_input: ETLFlowInput) -> tuple[Query, ExtractMethod]:
    """Look up both plugins and build the query, raising InputError on bad input."""
    flow_input.validate_shape()
    method = ExtractStrategy.create(flow_input.extract_strategy)
    query = QueryFactory.create(flow_input.query_type, flow_input.args)
    return query, method


def to_events(
    raw: list[dict[str, Any]], query: Query, flow: str, identities: IdentityMap
) -> list[Event]:
    """Event objects from an extractor's dicts, defaulting the source and type, with the
    roster applied: employee ids, roster time zones, no outside login in properties."""
    events = []
    for item in raw:
        data = dict(item)
        data.setdefault("source_kind_id", query.source_kind_id)
        data.setdefault("event_type", query.event_type or flow)
        events.append(identities.apply(Event.from_dict(data)))
    return events


def count_events(counts: LoadCounts, source: str, flow: str) -> None:
    """Add a committed page to the worker's counters (exported on METRICS_PORT)."""
    for name in ("extracted", "inserted", "updated"):
        metrics.inc(f"events_{name}", getattr(counts, name), source=source, flow=flow)


class ETLActivities:
    """Activities bound to one configuration (settings, database, events table)."""

    def __init__(self, settings: Settings, database: Database | None = None):
        self.settings = settings
        self._database = database
        self._database_lock = threading.Lock()
        self.identities = IdentityCache(lambda: RosterStore(self.database).identities(), settings)

    @property
    def database(self) -> Database:
        """The worker's database, connected on first use (and again after a failure)."""
        if self._database is None:
            with self._database_lock:
                if self._database is None:
                    # One pool per worker; a private instance, so that tests and tools
                    # running several configurations in one process never share it.
                    self._database = Database.for_settings(self.settings.db)
        return self._database

    @activity.defn(name="etl.prepare")
    def prepare(self, flow_input: ETLFlowInput) -> PrepareResult:
        """Validate the input before any work: unknown names and bad args fail here."""
        try:
            query, _ = build(flow_input)
        except PERMANENT_ERRORS as exc:
            fail_permanently(exc)
        summary_base = query.to_summary_base()
        return PrepareResult(
            query_type=flow_input.query_type,
            extract_strategy=flow_input.extract_strategy,
            summary_base=summary_base,
            employees=self.employees_of(query.source_kind_id, summary_base.get("member")),
        )

    def employees_of(self, source_kind: str, member: str | None) -> list[str]:
        """The roster's ids for a run's member (a login of the source, or a roster team),
        for the run's ``EtlEmployee`` search attribute; ``[]`` when the roster does not
        know it. Only a label: an unreadable roster leaves it empty, it fails no run."""
        if not member:
            return []
        try:
            entry = self.identities.current().person(source_kind, member)
            if entry is not None:
                return [entry.employee_id]
            return [p.employee_id for p in RosterStore(self.database).people(member) if p.active]
        except (DatabaseError, DatabaseUnavailableError) as exc:
            logger.warning("no EtlEmployee for %s: the roster is unreadable: %s", member, exc)
            return []

    @activity.defn(name="etl.extract_load")
    def extract_load(self, request: ExtractLoadInput) -> ExtractLoadResult:
        """Extract pages after the cursor and load each; stop at the time budget."""
        info = activity.info()
        cursor, counts = request.cursor, LoadCounts()
        if info.heartbeat_details:
            # A previous attempt committed pages up to this cursor: resume after them.
            cursor, carried = info.heartbeat_details[0]["cursor"], info.heartbeat_details[0]
            counts = LoadCounts(**carried["counts"])
            logger.info("attempt %s resumes at cursor %r", info.attempt, cursor)
        try:
            query, method = build(request.flow_input)
            flow = request.flow_input.extract_strategy.split("-", 1)[-1]
            started = time.monotonic()
            with Heartbeater({"cursor": cursor, "counts": asdict(counts)}) as heartbeat:
                for page in method.pages(query, cursor):
                    events = to_events(page.events, query, flow, self.identities.current())
                    page_counts = self.load(events, request)
                    page_counts.pages, page_counts.items = 1, page.stats.get("items", 0)
                    count_events(page_counts, query.source_kind_id, flow)
                    counts.add(page_counts)
                    cursor = page.cursor
                    heartbeat.update({"cursor": cursor, "counts": asdict(counts)})
                    budget = request.time_budget_seconds
                    if budget and time.monotonic() - started >= budget:
                        return ExtractLoadResult(cursor=cursor, done=False, counts=counts)
        except PERMANENT_ERRORS as exc:
            fail_permanently(exc)
        return ExtractLoadResult(cursor=cursor, done=True, counts=counts)

    def load(self, events: list[Event], request: ExtractLoadInput) -> LoadCounts:
        counts = LoadCounts(extracted=len(events))
        size = max(1, request.load_batch_size)
        for start in range(0, len(events), size):
            result = self.database.upsert_events(events[start : start + size])
            counts.inserted += result.inserted
            counts.updated += result.updated
            counts.unchanged += result.unchanged
        return counts

    def all(self) -> list:
        return [self.prepare, self.extract_load]
