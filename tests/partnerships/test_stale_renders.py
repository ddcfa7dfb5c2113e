"""Issue 18.2: a render whose worker died is picked up again within minutes, staff can retry a
stale one, and each document is still drawn once. Statements, case studies, nomination lists and
list exports share the pipeline (core.documents); each kind is revived here.

A row is "stale" once it has been queued or rendering, untouched, for longer than
DOCUMENT_STALE_AFTER_SECONDS (3 s in the test settings; the task time limit + 60 s in production,
so a render still running is never taken over). The tests make a row stale the way a killed
worker leaves it, "rendering" with an old `updated_at`; the last one also loses the queued
message itself and lets the beat task find the row, on a real worker."""

import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Export, ExportStatus
from config.celery_app import app as celery_app
from core import documents
from home.tasks import revive_stale_documents
from partnerships.programmes.models import CaseStudy, CaseStudyStatus
from partnerships.recoupment import services as statements
from partnerships.recoupment.models import Statement, StatementStatus
from partnerships.recoupment.tasks import render_statement
from schemes.allocations.models import NominationList, NominationStatus
from tests.conftest import SECURITY_SUMMARY
from tests.partnerships.test_statements import PERIOD, build

LONG_AGO = timedelta(seconds=60)


def left_by_a_dead_worker(model, pk, *, attempts=1, ago=LONG_AGO):
    """What a worker killed mid-render leaves: the row "rendering", untouched since it began."""
    model.objects.filter(pk=pk).update(status="rendering", attempts=attempts, updated_at=timezone.now() - ago)


def stuck_statement(access, ha, *, ago=LONG_AGO, attempts=1):
    statement = Statement.objects.create(
        umbrella=access.umbrella,
        housing_association=ha,
        requested_by=access.user,
        reference=f"STUCK-{ha.pk}-{attempts}",
        **PERIOD,
    )
    left_by_a_dead_worker(Statement, statement.pk, attempts=attempts, ago=ago)
    statement.refresh_from_db()
    return statement


def statement_files(ha) -> list[Path]:
    folder = Path(settings.PRIVATE_FILES_ROOT) / str(ha.umbrella_id) / "statements" / str(ha.public_id)
    return sorted(folder.iterdir()) if folder.exists() else []


def test_the_stale_window_is_longer_than_the_time_limit_and_shorter_than_redelivery():
    """Production's figures (config.settings.base): no live render is taken over, and Redis hands a
    dead worker's task back minutes later, not after its default hour."""
    from config.settings import base

    assert base.DOCUMENT_STALE_AFTER_SECONDS == base.CELERY_TASK_TIME_LIMIT + 60 == 360
    assert base.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 420
    assert base.CELERY_BEAT_SCHEDULE["revive-stale-documents"]["schedule"] == timedelta(minutes=2)


@pytest.mark.django_db
def test_asking_again_for_a_statement_whose_worker_died_draws_that_one_once():
    access, ha, *_ = build()
    stuck = stuck_statement(access, ha)
    assert stuck.is_stale

    again, created = statements.statement_request(access=access, housing_association=ha, **PERIOD)

    again.refresh_from_db()
    assert (again.pk, created) == (stuck.pk, False)  # the same statement, not a second version
    assert again.status == StatementStatus.READY and again.attempts == 2
    assert Statement.objects.filter(housing_association=ha).count() == 1
    assert [f.name for f in statement_files(ha)] == [f"{again.public_id}.pdf"]


@pytest.mark.django_db
def test_a_render_begun_moments_ago_is_left_to_its_worker():
    """Exactly once: a task handed back while another worker is still drawing the row does not
    draw it too, asking again returns it untouched, and Try again says to wait."""
    access, ha, *_ = build()
    busy = stuck_statement(access, ha, ago=timedelta(seconds=0))
    assert not busy.is_stale

    assert render_statement.apply(args=[busy.pk]).get() == "deferred: rendering elsewhere"
    again, created = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    with pytest.raises(ValidationError, match="being made now"):
        statements.statement_retry(access=access, statement=busy)

    busy.refresh_from_db()
    assert (again.pk, created) == (busy.pk, False)
    assert busy.status == StatementStatus.RENDERING and busy.attempts == 1
    assert statement_files(ha) == []


@pytest.mark.django_db
def test_staff_are_told_and_can_try_a_stale_statement_again_from_its_page():
    access, ha, team, _scheme = build()
    stuck = stuck_statement(access, ha)
    staff = client_for_user(access.user)
    page_url = reverse("statement_detail", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": stuck.public_id})

    page = staff.get(page_url).content.decode()
    assert "stopped part-way" in page and "Try again" in page

    answer = staff.post(
        reverse("statement_retry", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": stuck.public_id})
    )
    assert answer.status_code == 302
    stuck.refresh_from_db()
    assert stuck.status == StatementStatus.READY and stuck.attempts == 2
    assert Statement.objects.filter(housing_association=ha).count() == 1
    page = staff.get(page_url).content.decode()
    assert "stopped part-way" not in page and "Download the PDF" in page


@pytest.mark.django_db
def test_a_failed_statement_is_still_tried_again_as_a_new_version():
    access, ha, *_ = build()
    failed = stuck_statement(access, ha)
    Statement.objects.filter(pk=failed.pk).update(status=StatementStatus.FAILED, failure_reason="Broke")
    failed.refresh_from_db()
    fresh = statements.statement_retry(access=access, statement=failed)
    fresh.refresh_from_db()
    assert fresh.pk != failed.pk and fresh.version == 2 and fresh.status == StatementStatus.READY


@pytest.mark.django_db
def test_the_beat_task_revives_every_kind_and_leaves_live_ones(world, settings):
    # A live render stays live for 30 s here, not the suite's 3 s: drawing the four stale ones
    # on a loaded machine can take longer than 3 s, and the live one would then be stale too.
    settings.DOCUMENT_STALE_AFTER_SECONDS = 30  # and the dead ones were left LONG_AGO, 60 s
    t = world.a
    access, ha, *_ = build()
    stale = stuck_statement(access, ha)
    live = Statement.objects.create(
        umbrella=access.umbrella,
        housing_association=ha,
        requested_by=access.user,
        reference="LIVE",
        period_start=date(2025, 4, 1),
        period_end=date(2025, 9, 30),
    )
    left_by_a_dead_worker(Statement, live.pk, ago=timedelta(seconds=0))

    programme = t.objects["programme"]
    case_study = CaseStudy.objects.create(umbrella=t.umbrella, programme=programme, requested_by=t.users["staff"])
    left_by_a_dead_worker(CaseStudy, case_study.pk)

    nomination = t.objects["relet_list"]
    left_by_a_dead_worker(NominationList, nomination.pk)

    export = Export.objects.create(
        umbrella=t.umbrella, requested_by=t.users["staff"], url_name="scheme_list", filename="schemes.csv"
    )
    left_by_a_dead_worker(Export, export.pk)

    assert revive_stale_documents.apply().get() == 4

    for row, ready in [
        (stale, StatementStatus.READY),
        (case_study, CaseStudyStatus.READY),
        (nomination, NominationStatus.READY),
        (export, ExportStatus.READY),
    ]:
        row.refresh_from_db()
        assert (row.status, row.attempts) == (ready, 2), (row, row.failure_reason)
    live.refresh_from_db()
    assert (live.status, live.attempts) == (StatementStatus.RENDERING, 1)
    assert revive_stale_documents.apply().get() == 0  # nothing left to revive: each was drawn once
    SECURITY_SUMMARY["stale_kinds_revived"] = 4


@pytest.mark.django_db
def test_asking_again_for_a_stale_case_study_or_nomination_list_revives_it(world):
    t = world.a
    staff = t.users["staff"]
    programme = t.objects["programme"]
    before = CaseStudy.objects.filter(programme=programme).count()
    case_study = CaseStudy.objects.create(umbrella=t.umbrella, programme=programme, requested_by=staff)
    left_by_a_dead_worker(CaseStudy, case_study.pk)
    client = client_for_user(staff)
    detail = reverse("case_study_detail", kwargs={"umbrella_slug": t.umbrella.slug, "public_id": case_study.public_id})
    assert "Try again" in client.get(detail).content.decode()

    client.post(
        reverse("case_study_request", kwargs={"umbrella_slug": t.umbrella.slug, "public_id": programme.public_id})
    )
    case_study.refresh_from_db()
    assert case_study.status == CaseStudyStatus.READY
    assert CaseStudy.objects.filter(programme=programme).count() == before + 1  # no second one

    from accounts.access import access_for
    from schemes.allocations import services as allocation_services

    nomination = t.objects["relet_list"]
    left_by_a_dead_worker(NominationList, nomination.pk)
    nomination.refresh_from_db()
    admin = access_for(user=t.users["admin"], umbrella_slug=t.umbrella.slug)
    allocation_services.nomination_retry(access=admin, nomination_list=nomination)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.READY and nomination.attempts == 2


@pytest.mark.django_db
def test_a_row_whose_workers_keep_dying_is_given_up_with_a_reason():
    access, ha, *_ = build()
    doomed = stuck_statement(access, ha, attempts=documents.MAX_ATTEMPTS)
    assert revive_stale_documents.apply().get() == 1
    doomed.refresh_from_db()
    assert doomed.status == StatementStatus.FAILED
    assert doomed.failure_reason == "The PDF could not be made: 6 tries stopped part-way."
    assert statement_files(ha) == []
    fresh = statements.statement_retry(access=access, statement=doomed)  # staff may still try again
    fresh.refresh_from_db()
    assert fresh.version == 2 and fresh.status == StatementStatus.READY


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_lost_message_is_found_by_the_beat_task_and_drawn_by_the_real_worker():
    """The task's message is gone (Redis lost it), the row waits "queued" for a worker that will
    never hear of it: the beat task, run by a real worker on the real Redis, finds it once it is
    stale and the worker draws it."""
    from celery.contrib.testing.worker import start_worker

    access, ha, *_ = build()
    celery_app.conf.task_always_eager = False
    try:
        statement, _ = statements.statement_request(access=access, housing_association=ha, **PERIOD)
        celery_app.control.purge()  # the queued message is lost
        assert Statement.objects.get(pk=statement.pk).status == StatementStatus.QUEUED
        time.sleep(settings.DOCUMENT_STALE_AFTER_SECONDS + 0.5)
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            began = time.monotonic()
            revive_stale_documents.delay()
            deadline = began + 60
            while time.monotonic() < deadline and Statement.objects.get(pk=statement.pk).status != "ready":
                time.sleep(0.1)
            took = time.monotonic() - began
    finally:
        celery_app.conf.task_always_eager = True
    statement.refresh_from_db()
    assert statement.status == StatementStatus.READY, statement.failure_reason
    assert statement.attempts == 1
    assert [f.name for f in statement_files(ha)] == [f"{statement.public_id}.pdf"]
    SECURITY_SUMMARY["stale_lost_message_s"] = f"{took:.1f}"


def client_for_user(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
