"""Documents drawn by a task: recoupment statements, programme case studies, nomination lists.

One pipeline for every kind. A request creates the row (status "queued") and calls `enqueue`,
which queues the kind's task or, when the queue cannot be reached, marks the row failed and
raises QueueUnavailable (the page then says "try again shortly"). The task calls `render`:

1. it locks the row and marks it "rendering" (a finished one is skipped, so a document is drawn
   once; one another worker began drawing less than STALE_AFTER ago is looked at again once that
   time is up, and taken over if it is still unfinished: its worker died);
2. it rebuilds the access of the person who asked, from ids, and re-checks it: a membership
   revoked since the click refuses the work;
3. it draws and stores the document (the kind's `draw`, which reads through selectors with that
   access and marks the row "ready"), retrying with a growing wait before it gives up and says
   why on the row (a refusal, PermissionDenied, Http404 or ValidationError, fails it at once:
   another try would be refused the same);
4. it hands the finished row to the kind's `after` (an email with a link, never the file).

Each kind's rows carry `status`, `attempts`, `failure_reason`, `rendered_at` and `updated_at`.

A worker killed mid-render leaves its row "rendering". Three things bring it back within minutes:
the broker hands the unacknowledged task to another worker after its visibility timeout (set just
above STALE_AFTER in production); the beat task `documents.revive_stale` queues again any row
unfinished for longer than STALE_AFTER (a message lost with Redis, say); and staff asking again,
or pressing "Try again" on a stale row, revives that row rather than waiting. Only one render
ever wins the row (the lock and STALE_AFTER, which is longer than the task time limit, so no live
render is ever taken over), and a row that has been tried MAX_ATTEMPTS times is marked failed.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone

log = logging.getLogger(__name__)

QUEUED, RENDERING, READY, FAILED = "queued", "rendering", "ready", "failed"
IN_PROGRESS = (QUEUED, RENDERING)
#: Tries after the first, each after twice the wait of the one before (STATEMENT_RETRY_BASE_SECONDS).
MAX_RETRIES = 3
REFUSED = "The person who asked for it no longer has access; ask again."
#: Renders begun (by any worker) before a row is given up as failed.
MAX_ATTEMPTS = 6
PICKED_UP = "The worker making it stopped part-way; it has been queued again."
#: Every kind, for the beat task that revives stale rows (each kind's tasks module registers).
KINDS: dict[str, "DocumentKind"] = {}


class DrawnRow:
    """What every kind's row tells its page: still being made, or made so long ago that its worker
    must have died (mixed into each kind's model, before models.Model)."""

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def is_stale(self) -> bool:
        """Unfinished for longer than making it may take: its worker died; it may be tried again."""
        return is_stale(self)


def stale_after() -> timedelta:
    """How long a row may sit unfinished before its worker is taken to have died: longer than the
    task time limit, so a render still running is never taken over."""
    return timedelta(seconds=settings.DOCUMENT_STALE_AFTER_SECONDS)


def is_stale(row) -> bool:
    """Queued or rendering, and untouched for longer than `stale_after()`: staff may try again."""
    return row.status in IN_PROGRESS and row.updated_at is not None and row.updated_at < timezone.now() - stale_after()


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
    #: (pk) once the row is marked failed: tidy what it leaves (an import's kept upload)
    on_failed: Callable[[int], None] | None = None

    def __post_init__(self):
        KINDS[self.label] = self


def enqueue(kind: DocumentKind, row, *, user_id: int | None = None) -> None:
    """Queue the kind's task for `row`, asked by `user_id`; QueueUnavailable if Redis is away."""
    from kombu.exceptions import OperationalError

    try:
        kind.task.apply_async(args=[row.pk, user_id], retry=False)
    except OperationalError as error:  # the broker (Redis) is down or unreachable
        log.warning("Could not queue %s %s: %s", kind.label, row.pk, error)
        _fail(kind, row.pk, kind.unreachable)
        raise QueueUnavailable(str(error)) from error


def revive(kind: DocumentKind, row, *, user_id: int | None = None) -> bool:
    """Queue a stale row again (its worker died, or its message was lost). False when it is not
    stale: finished, or still moving, and then nothing is done. QueueUnavailable as `enqueue`."""
    cutoff = timezone.now() - stale_after()
    revived = kind.model.objects.filter(pk=row.pk, status__in=IN_PROGRESS, updated_at__lt=cutoff).update(
        status=QUEUED, failure_reason=PICKED_UP, updated_at=timezone.now()
    )
    if not revived:
        return False
    log.warning("Queued %s %s again: it was unfinished for longer than %s", kind.label, row.pk, stale_after())
    enqueue(kind, row, user_id=user_id)
    row.refresh_from_db()
    return True


def revive_stale_rows(limit: int = 200) -> int:
    """Queue again every row of every kind left unfinished for longer than `stale_after()` (the
    body of the beat task). Each row's own person is asked for again when it renders."""
    cutoff = timezone.now() - stale_after()
    revived = 0
    for kind in KINDS.values():
        for row in kind.model.objects.filter(status__in=IN_PROGRESS, updated_at__lt=cutoff).order_by("pk")[:limit]:
            try:
                revived += int(revive(kind, row))
            except QueueUnavailable:
                return revived  # the queue is away: the next run tries again
    return revived


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
        if row.status == RENDERING and not is_stale(row):
            # Another worker began it moments ago. It may still be drawing it, or it may have died
            # (a task handed back at once when its worker was killed): look again once that render
            # would have hit the time limit, and take it over then if it is still unfinished.
            wait = (row.updated_at + stale_after() - timezone.now()).total_seconds()
            if not task.request.is_eager:
                transaction.on_commit(lambda: _look_again(kind, pk, user_id, countdown=max(1, int(wait) + 1)))
            return "deferred: rendering elsewhere"
        if row.attempts >= MAX_ATTEMPTS:
            _fail(kind, pk, f"{kind.what} could not be made: {row.attempts} tries stopped part-way.")
            return "failed: too many attempts"
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
    except (PermissionDenied, Http404, ValidationError) as error:
        # A refusal, or a rule the request breaks: trying again would give the same answer.
        log.warning("Drawing %s %s was refused: %s", kind.label, pk, error)
        _fail(kind, pk, _refusal(kind, error))
        return "refused"
    except Exception as error:
        log.exception("Drawing %s %s failed", kind.label, pk)
        if task.request.retries < MAX_RETRIES:
            requeued = kind.model.objects.filter(pk=pk, status=RENDERING).update(
                status=QUEUED, failure_reason=f"Retrying after: {error}", updated_at=timezone.now()
            )
            if not requeued:  # it finished (or was failed) before the error: never do it again
                return "done despite a later error"
            raise task.retry(exc=error, countdown=2**task.request.retries * settings.STATEMENT_RETRY_BASE_SECONDS)
        _fail(kind, pk, f"{kind.what} could not be made after {MAX_RETRIES + 1} tries: {error}")
        return "failed"
    if kind.after is not None:
        row.refresh_from_db()
        kind.after(row, access, first_time)
    return "ready"


def _look_again(kind: DocumentKind, pk: int, user_id: int | None, *, countdown: int) -> None:
    from kombu.exceptions import OperationalError

    try:
        kind.task.apply_async(args=[pk, user_id], countdown=countdown, retry=False)
    except OperationalError as error:  # the beat task's sweep will find the row instead
        log.warning("Could not queue a second look at %s %s: %s", kind.label, pk, error)


def _refusal(kind: DocumentKind, error: Exception) -> str:
    if isinstance(error, ValidationError):
        return f"{kind.what} could not be made: {' '.join(error.messages)}"
    return REFUSED


def _fail(kind: DocumentKind, pk: int, reason: str) -> None:
    failed = kind.model.objects.filter(pk=pk, status__in=IN_PROGRESS).update(
        status=FAILED, failure_reason=reason, updated_at=timezone.now()
    )
    if failed and kind.on_failed is not None:
        kind.on_failed(pk)
