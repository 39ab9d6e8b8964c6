"""Around one poll: its duration and the time of the last success, for /metrics and /healthz.

Recorded only when this process serves them: the health server builds the metrics at start-up
(ops.health), before any poll. A one-off `inbox poll` has no one to tell, and does not import
prometheus-client (ops.metrics) for nothing: an idle poll's whole process is mostly imports.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inbox.context import AppContext
    from ops.metrics import RuntimeMetrics

METRICS_KEY = "metrics"  # the memo key of ops.metrics.metrics_for


@contextmanager
def timed_poll(ctx: AppContext) -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    except BaseException:
        if (metrics := _metrics(ctx)) is not None:
            metrics.poll_failed()
        raise
    if (metrics := _metrics(ctx)) is not None:
        metrics.poll_done(ctx.clock(), time.monotonic() - started)


def _metrics(ctx: AppContext) -> RuntimeMetrics | None:
    return ctx.memoized(METRICS_KEY)
