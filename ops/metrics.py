"""Prometheus metrics of one running service (prometheus-client).

Two kinds: what the process itself sees (poll duration, last successful poll, the IMAP IDLE
connection), kept per app context, never in module globals; and counts the database knows
(messages by kind, quarantined, outbox by status), read at scrape time with three GROUP BY
queries over indexed or small columns, so a scrape costs a few milliseconds and nothing is
counted twice when two workers share one database.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import func, select
from sqlalchemy.exc import InterfaceError, OperationalError

from inbox.context import AppContext
from models import Message, MessageStatus, OutboxStatus, OutgoingMail
from ops.poll_timing import METRICS_KEY  # ops.poll_timing finds the metrics by it without importing this module

# A poll of nothing takes tens of milliseconds; one with scans to read, minutes (OCR).
POLL_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)


class RuntimeMetrics:
    """What this process has seen; built once per context (metrics_for)."""

    def __init__(self, ctx: AppContext) -> None:
        self.started_at = ctx.clock()
        self.last_success_at: datetime | None = None
        self.registry = CollectorRegistry()
        self.poll_seconds = Histogram("inbox_poll_duration_seconds", "Duration of one poll (fetch, store, process)",
                                      buckets=POLL_BUCKETS, registry=self.registry)
        self.polls = Counter("inbox_polls", "Polls by outcome", ["outcome"], registry=self.registry)
        self.last_success = Gauge("inbox_last_successful_poll_timestamp_seconds", "Unix time of the last successful poll",
                                  registry=self.registry)
        self.idle_connected = Gauge("inbox_imap_idle_connected", "1 while an IMAP IDLE connection is open", registry=self.registry)
        self.registry.register(DatabaseCollector(ctx))

    def poll_done(self, at: datetime, seconds: float) -> None:
        self.last_success_at = at
        self.poll_seconds.observe(seconds)
        self.polls.labels("ok").inc()
        self.last_success.set(at.timestamp())

    def poll_failed(self) -> None:
        self.polls.labels("failed").inc()


def metrics_for(ctx: AppContext) -> RuntimeMetrics:
    return ctx.memo(METRICS_KEY, lambda: RuntimeMetrics(ctx))


def set_idle_connected(ctx: AppContext, connected: bool) -> None:
    """For the IMAP IDLE loop: call with True when IDLE is established, False when it drops."""
    metrics_for(ctx).idle_connected.set(1 if connected else 0)


class DatabaseCollector:
    """Gauges read from the database at scrape time; inbox_database_up is 0 when it cannot be read."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily("inbox_database_up", "1 when the database answered this scrape")
        try:
            families = self._counts()
        except (OperationalError, InterfaceError):
            up.add_metric([], 0)
            return [up]
        up.add_metric([], 1)
        return [up, *families]

    def _counts(self) -> list[Metric]:
        with self.ctx.sessions() as session:
            kinds = session.execute(select(Message.kind, func.count()).group_by(Message.kind)).all()
            quarantined = session.scalar(select(func.count()).where(Message.status == MessageStatus.QUARANTINED)) or 0
            outbox = dict(session.execute(select(OutgoingMail.status, func.count()).group_by(OutgoingMail.status)).all())
        messages = GaugeMetricFamily("inbox_messages", "Stored messages by kind (unclassified: not yet processed)", labels=["kind"])
        for kind, count in kinds:
            messages.add_metric([kind or "unclassified"], count)
        held = GaugeMetricFamily("inbox_messages_quarantined", "Messages in quarantine (`inbox quarantine`)")
        held.add_metric([], quarantined)
        rows = GaugeMetricFamily("inbox_outbox", "Outgoing mail by status", labels=["status"])
        for status in OutboxStatus:  # every status, zeros included, so an alert on "uncertain" > 0 has a series
            rows.add_metric([status.value], outbox.get(status, 0))
        return [messages, held, rows]
