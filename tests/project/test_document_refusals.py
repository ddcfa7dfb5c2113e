"""A document whose drawing is refused (PermissionDenied, Http404, ValidationError) fails at once,
saying why: another try would be refused the same, so it is not tried 3 more times with waits.
Anything else (a full disk, a lost connection) is still retried (tests/partnerships/test_statements.py).

The pipeline is core.documents' own, run eagerly by a real Celery task, on an export row; the kind's
draw is the test's, refusing as a service would."""

import pytest
from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.access import access_for
from accounts.models import Export, ExportStatus
from core import documents

pytestmark = pytest.mark.django_db

REFUSALS = {
    "permission": (PermissionDenied("Your role in this umbrella does not allow this."), documents.REFUSED),
    "gone": (Http404("No such scheme."), documents.REFUSED),
    "rule": (ValidationError("The period must end after it starts."),
             "The test file could not be made: The period must end after it starts."),
}  # fmt: skip


@shared_task(bind=True, name="tests.draw_refused", max_retries=documents.MAX_RETRIES)
def draw_refused(self, export_id: int, reason: str) -> str:
    return documents.render(self, _kind(reason), export_id, None)


def _kind(reason: str) -> documents.DocumentKind:
    def draw(access, row):
        draws.append(row.pk)
        raise REFUSALS[reason][0]

    kind = documents.DocumentKind(
        label=f"test-refused-{reason}",
        what="The test file",
        model=Export,
        task=draw_refused,
        access=lambda row, user_id: access_for(user=row.requested_by, umbrella_slug=row.umbrella.slug),
        draw=draw,
    )
    documents.KINDS.pop(kind.label)  # not one of the app's kinds: the beat task must not revive it
    return kind


draws: list[int] = []


@pytest.mark.parametrize("reason", REFUSALS)
def test_a_refused_draw_fails_at_once_and_says_why(world, reason):
    a = world.a
    export = Export.objects.create(
        umbrella=a.umbrella, requested_by=a.users["staff"], url_name="scheme_list", filename="schemes.csv"
    )
    draws.clear()
    assert draw_refused.apply(args=[export.pk, reason]).get() == "refused"
    export.refresh_from_db()
    assert (export.status, export.attempts, export.failure_reason) == (ExportStatus.FAILED, 1, REFUSALS[reason][1])
    assert draws == [export.pk]  # drawn once, not retried
