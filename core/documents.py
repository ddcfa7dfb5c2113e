"""Documents drawn by a task: recoupment statements, programme case studies, nomination lists.

One pipeline for every kind. A request creates the row (status "queued") and calls `enqueue`,
which queues the kind's task or, when the queue cannot be reached, marks the row failed and
raises QueueUnavailable (the page then says "try again shortly"). The task calls `render`:

1. it locks the row and marks it "rendering" (a redelivered or finished one is skipped, so a
   document is drawn once);
2. it rebuilds the access of the person who asked, from ids, and re-checks it: a membership
   revoked since the click refuses the work;
3. it draws and stores the document (the kind's `draw`, which reads through selectors with that
   access and marks the row "ready"), retrying with a growing wait before it gives up and says
   why on the row;
4. it hands the finished row to the kind's `after` (an email with a link, never the file).

Each kind's rows carry `status`, `attempts`, `failure_reason` and `rendered_at`.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction

log = logging.getLogger(__name__)

QUEUED, RENDERING, READY, FAILED = "queued", "rendering", "ready", "failed"
IN_PROGRESS = (QUEUED, RENDERING)
#: Tries after the first, each after twice the wait of the one before (STATEMENT_RETRY_BASE_SECONDS).
MAX_RETRIES = 3
REFUSED = "The person who asked for it no longer has access; ask again."


class QueueUnavailable(Exception):
    """The task queue could not be reached: the document was marked failed and can be asked for
    again shortly."""


@dataclass(frozen=True)
class DocumentKind:
    """How one kind of document is made. `access(row, user_id)` rebuilds and re-checks the access
    of the person who asked (None refuses); `draw(access, row)` draws and stores it; `after(row,
    access, first_time)` runs once it is ready."""

    label: str  # "statement": log lines
    what: str  # "The PDF": the failure message
    model: type[models.Model]
    task: Any  # the kind's Celery task, which calls render()
    access: Callable[[Any, int | None], Any]
    draw: Callable[[Any, Any], None]
    select_related: tuple[str, ...] = ()
    after: Callable[[Any, Any, bool], None] | None = None
    unreachable: str = "The task queue could not be reached; try again shortly."


def enqueue(kind: DocumentKind, row, *, user_id: int | None = None) -> None:
    """Queue the kind's task for `row`, asked by `user_id`; QueueUnavailable if Redis is away."""
    from kombu.exceptions import OperationalError

    try:
        kind.task.apply_async(args=[row.pk, user_id], retry=False)
    except OperationalError as error:  # the broker (Redis) is down or unreachable
        log.warning("Could not queue %s %s: %s", kind.label, row.pk, error)
        kind.model.objects.filter(pk=row.pk).update(status=FAILED, failure_reason=kind.unreachable)
        raise QueueUnavailable(str(error)) from error


def render(task, kind: DocumentKind, pk: int, user_id: int | None = None) -> str:
    """The body of every document task (`task` is the bound Celery task, for its retries)."""
    with transaction.atomic():
        row = (
            kind.model.objects.select_for_update(of=("self",))
            .select_related(*kind.select_related)
            .filter(pk=pk)
            .first()
        )
        if row is None:
            return "gone"
        if row.status not in IN_PROGRESS:
            return f"skipped: {row.status}"  # done already (a redelivered task), or frozen
        first_time = row.rendered_at is None
        row.status = RENDERING
        row.attempts += 1
        row.save(update_fields=["status", "attempts", "updated_at"])

    access = kind.access(row, user_id)
    if access is None:
        _fail(kind, pk, REFUSED)
        return "refused"
    try:
        kind.draw(access, row)
    except Exception as error:
        log.exception("Drawing %s %s failed", kind.label, pk)
        if task.request.retries < MAX_RETRIES:
            kind.model.objects.filter(pk=pk).update(status=QUEUED, failure_reason=f"Retrying after: {error}")
            raise task.retry(exc=error, countdown=2**task.request.retries * settings.STATEMENT_RETRY_BASE_SECONDS)
        _fail(kind, pk, f"{kind.what} could not be made after {MAX_RETRIES + 1} tries: {error}")
        return "failed"
    if kind.after is not None:
        row.refresh_from_db()
        kind.after(row, access, first_time)
    return "ready"


def _fail(kind: DocumentKind, pk: int, reason: str) -> None:
    kind.model.objects.filter(pk=pk).update(status=FAILED, failure_reason=reason)
