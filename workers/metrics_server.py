"""Prometheus metrics of a worker on one port: the project's counters and the SDK's.

``python worker.py`` with ``METRICS_PORT`` set serves ``http://<host>:METRICS_PORT/metrics``:

* the project's counters (``models.metrics``) as ``temporaletl_<name>_total``, e.g.
  ``temporaletl_events_inserted_total{source="launchpad",flow="bugs"}``;
* the Temporal SDK's own metrics (``temporal_workflow_completed``,
  ``temporal_activity_execution_latency``, ``temporal_request`` ...). The SDK serves them
  from its Rust core on a loopback port of its own; each scrape of ``METRICS_PORT`` reads
  that and appends it, so Prometheus needs one target per worker, not two.
"""

from __future__ import annotations

import logging
import threading
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from devstack.net import free_port
from models import metrics

logger = logging.getLogger(__name__)

PREFIX = "temporaletl_"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
HELP = {
    "events_extracted": "Events extracted from a source, per source and flow",
    "events_inserted": "Events inserted into the events table, per source and flow",
    "events_updated": "Stored events rewritten because they changed, per source and flow",
    "requests": "HTTP requests sent to a source, retries included",
    "retries": "Requests sent again after a transient failure, per source",
    "rate_limit_waits": "Waits after a source answered 'rate limited', per source",
    "items_gone": "Items that vanished from a source while a run read them",
}


class ProjectCounters:
    """A prometheus_client collector reading ``models.metrics`` at scrape time."""

    def collect(self) -> Iterator[CounterMetricFamily]:
        by_name: dict[str, list[tuple[dict[str, str], float]]] = defaultdict(list)
        for (name, labels), value in sorted(metrics.snapshot().items()):
            by_name[name].append((dict(labels), value))
        for name, samples in by_name.items():
            label_names = sorted({label for labels, _ in samples for label in labels})
            family = CounterMetricFamily(
                PREFIX + name, HELP.get(name, f"TemporalETL counter {name}"), labels=label_names
            )
            for labels, value in samples:
                family.add_metric([labels.get(label, "") for label in label_names], value)
            yield family


class MetricsServer:
    """The ``/metrics`` endpoint of one worker process. Use ``start`` and ``stop``."""

    def __init__(self, port: int, host: str = "0.0.0.0"):
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(ProjectCounters())
        self.sdk_address = f"127.0.0.1:{free_port()}"
        # The client of every worker in this process must be connected with this runtime,
        # or the SDK's metrics stay empty.
        self.runtime = Runtime(
            telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=self.sdk_address))
        )
        self._http = ThreadingHTTPServer((host, port), self._handler())
        self._thread = threading.Thread(
            target=self._http.serve_forever, name="metrics", daemon=True
        )

    @property
    def port(self) -> int:
        return self._http.server_address[1]

    def start(self) -> MetricsServer:
        self._thread.start()
        logger.info("metrics on port %d (/metrics)", self.port)
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def exposition(self) -> bytes:
        """The project's counters, then the SDK's metrics (if its endpoint answers)."""
        text = generate_latest(self.registry)
        try:
            with urllib.request.urlopen(f"http://{self.sdk_address}/metrics", timeout=5) as sdk:
                return text + sdk.read()
        except OSError as exc:
            logger.warning("SDK metrics unavailable: %s", exc)
            return text

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                if self.path.split("?")[0] not in ("/metrics", "/"):
                    self.send_error(404, "metrics are at /metrics")
                    return
                body = server.exposition()
                self.send_response(200)
                self.send_header("Content-Type", CONTENT_TYPE)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # one line per scrape would drown the worker's log

        return Handler
