"""Recoupment statements: asked for in the page, made by the real Celery worker as a PDF, read
back as text; duplicates, retries, a broker that is down, frozen issued statements, and a PDF
fetcher that fetches nothing it should not."""

import shutil
import subprocess
import time
from datetime import date, datetime
from decimal import Decimal
from time import time as now

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.access import access_for
from accounts.models import Role
from config.celery_app import app as celery_app
from core.pdf import SafeURLFetcher, private_path, render_pdf
from partnerships.organisations.models import FeeBasis, RoleRate, StaffRole
from partnerships.recoupment import services as statements
from partnerships.recoupment.models import Statement, StatementStatus
from schemes.models import CostEntry, StageChange
from schemes.stages import Stage
from tests.factories import (
    AgreementFactory,
    CLTFactory,
    HousingAssociationFactory,
    SchemeFactory,
    UmbrellaFactory,
    membership,
)

D = Decimal
PERIOD = {"period_start": date(2026, 4, 1), "period_end": date(2026, 9, 30)}


def build(name="Umbrella", canary=""):
    u = UmbrellaFactory(name=f"{name} {canary}".strip(), address=f"1 Market Street {canary}".strip())
    membership(u, Role.ADMIN)  # the umbrella has an admin, as every real one does
    staff = membership(u, Role.STAFF).user
    ha = HousingAssociationFactory(umbrella=u, name=f"Statement HA {canary}".strip(), address="2 Quay Road")
    team = membership(u, Role.HA_TEAM, ha=ha).user
    AgreementFactory(housing_association=ha, fee_basis=FeeBasis.FIXED_PER_HOME, fee_per_home=D("4500.00"))
    role = StaffRole.objects.create(umbrella=u, name="Project manager")
    RoleRate.objects.create(umbrella=u, staff_role=role, hourly_rate=D("50.00"), effective_from=date(2025, 1, 1))
    clt = CLTFactory(umbrella=u)
    scheme = SchemeFactory(
        clt=clt,
        housing_association=ha,
        name=f"Orchard Close {canary}".strip(),
        stage=Stage.START_ON_SITE,
        homes_affordable_rent=8,
        homes_shared_ownership=4,
    )
    StageChange.objects.create(
        umbrella=u, scheme=scheme, to_stage=Stage.START_ON_SITE, changed_at=timezone.make_aware(datetime(2026, 5, 1, 9))
    )
    CostEntry.objects.create(
        umbrella=u,
        kind="time",
        clt=clt,
        scheme=scheme,
        on=date(2026, 6, 1),
        person=staff,
        staff_role=role,
        hours=D("12"),
        activity=f"Design team meeting {canary}".strip(),
    )
    access = access_for(user=staff, umbrella_slug=u.slug)
    return access, ha, team, scheme


def pdf_text(statement) -> str:
    reader = PdfReader(str(private_path(statement.file_path)))
    return "\n".join(page.extract_text() for page in reader.pages)


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_statement_is_made_end_to_end_by_the_real_worker(real_worker):
    access, ha, team, scheme = build("Alpha", "CANARY-A1")
    other_access, other_ha, *_ = build("Bravo", "CANARY-B2")  # another umbrella, with its own statement data
    client = Client()
    client.force_login(access.user)
    response = client.post(
        reverse("statement_request", kwargs={"umbrella_slug": access.umbrella.slug}),
        {"housing_association": ha.pk, "period_start": "2026-04-01", "period_end": "2026-09-30"},
    )
    assert response.status_code == 302
    statement = Statement.objects.get(housing_association=ha)
    detail = client.get(response["Location"]).content.decode()
    assert "statement-status.js" in detail  # the page follows the state while it waits

    assert wait_for(lambda: Statement.objects.get(pk=statement.pk).status == StatementStatus.READY), (
        Statement.objects.get(pk=statement.pk).failure_reason
    )
    statement.refresh_from_db()
    text = pdf_text(statement)
    # 12 homes × £4,500.00 = £54,000.00; VAT 20% £10,800.00; due £64,800.00; 12 h × £50.00 = £600.00
    for expected in (
        "Recoupment statement",
        statement.reference,
        "£54,000.00",
        "£10,800.00",
        "£64,800.00",
        "£600.00",
        "12 homes × £4,500.00 = £54,000.00",
        "Page 1 of",
        "Costs by stage",
        "Alpha",
    ):
        assert expected in text, expected
    assert "CANARY-B2" not in text and "Bravo" not in text
    assert statement.total_due == D("64800.00")

    # Ready for review is not issued: the HA team sees nothing and is told nothing yet.
    ha_client = Client()
    ha_client.force_login(team)
    download_url = reverse(
        "statement_download", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": statement.public_id}
    )
    assert ha_client.get(download_url).status_code == 404
    assert mail.outbox == []
    assert (
        client.post(
            reverse("statement_issue", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": statement.public_id})
        ).status_code
        == 302
    )

    # Once issued, the HA team gets a link, not the file, and can download it.
    assert wait_for(lambda: len(mail.outbox) == 1, timeout=20)
    message = mail.outbox[0]
    assert message.to == [team.email] and not message.attachments
    assert "Invoice INV-000001" in message.subject and "Total due £64,800.00" in message.body
    assert (
        reverse("statement_detail", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": statement.public_id})
        in message.body
    )
    download = ha_client.get(download_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "private" in download["Cache-Control"]


@pytest.mark.django_db
def test_asking_twice_while_in_progress_makes_one(settings):
    access, ha, *_ = build()
    celery_app.conf.task_always_eager = False
    try:
        # A broker that accepts but nobody works: the statement stays queued.
        first, created1 = statements.statement_request(access=access, housing_association=ha, **PERIOD)
        second, created2 = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    finally:
        celery_app.conf.task_always_eager = True
    assert created1 and not created2 and first.pk == second.pk
    assert Statement.objects.filter(housing_association=ha).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_in_progress_statement():
    from django.db import IntegrityError, transaction

    access, ha, *_ = build()
    Statement.objects.create(umbrella=ha.umbrella, housing_association=ha, reference="R1", **PERIOD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.create(umbrella=ha.umbrella, housing_association=ha, reference="R2", version=2, **PERIOD)


@pytest.mark.django_db
def test_redis_down_says_try_again_and_leaves_nothing_queued(settings):
    from tests.services import queue_unreachable

    access, ha, *_ = build()
    client = Client()
    client.force_login(access.user)
    with queue_unreachable():
        response = client.post(
            reverse("statement_request", kwargs={"umbrella_slug": access.umbrella.slug}),
            {"housing_association": ha.pk, "period_start": "2026-04-01", "period_end": "2026-09-30"},
        )
    assert response.status_code == 503
    assert "try again shortly" in response.content.decode()
    statement = Statement.objects.get(housing_association=ha)
    assert statement.status == StatementStatus.FAILED and "Try again shortly" in statement.failure_reason
    # Asking again once the queue is back makes a fresh one (the failed one does not block it).
    fresh, created = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    fresh.refresh_from_db()
    assert created and fresh.status == StatementStatus.READY


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_render_that_keeps_failing_retries_then_says_failed(settings, tmp_path, real_worker):
    """Private storage is broken (a file stands where the folder should be): every try fails with a
    real OSError, the task retries with backoff, then the statement says failed, with the reason."""
    access, ha, *_ = build()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("in the way")
    settings.PRIVATE_FILES_ROOT = str(blocker)
    statement, _ = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    assert wait_for(lambda: Statement.objects.get(pk=statement.pk).status == StatementStatus.FAILED)
    statement.refresh_from_db()
    assert "could not be made after 4 tries" in statement.failure_reason
    assert statement.attempts == 4 and statement.file_path == ""
    assert list(tmp_path.iterdir()) == [blocker]  # no half-written file anywhere


@pytest.mark.django_db
def test_issued_statements_are_frozen_and_a_new_one_is_a_new_version():
    access, ha, team, scheme = build()
    statement, _ = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    statement.refresh_from_db()
    assert statement.status == StatementStatus.READY
    statements.statement_issue(access=access, statement=statement)
    before_bytes = private_path(statement.file_path).read_bytes()  # redrawn on issue, as the invoice
    # More costs arrive after issue.
    CostEntry.objects.create(
        umbrella=ha.umbrella,
        kind="expense",
        clt=scheme.clt,
        scheme=scheme,
        on=date(2026, 7, 1),
        description="Late invoice",
        amount=D("999.00"),
    )
    from partnerships.recoupment.tasks import render_statement

    render_statement.apply(args=[statement.pk])
    statement.refresh_from_db()
    assert statement.status == StatementStatus.ISSUED and statement.total_due == D("64800.00")
    assert private_path(statement.file_path).read_bytes() == before_bytes
    second, created = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    second.refresh_from_db()
    assert created and second.version == 2 and second.pk != statement.pk
    # Version 2 knows what version 1 invoiced: £54,000.00 before, nothing more outstanding.
    assert second.total_outstanding == D("0.00")
    statements.statement_mark_paid(access=access, statement=statement, paid_on=timezone.localdate())
    statement.refresh_from_db()
    assert statement.status == StatementStatus.PAID


@pytest.mark.django_db
def test_ha_team_sees_only_issued_statements_of_its_own_ha(client_as, world):
    from partnerships.recoupment.selectors import statement_list

    access, ha, team, _ = build()
    statement, _ = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    Statement.objects.filter(pk=statement.pk).update(status=StatementStatus.QUEUED)
    team_access = access_for(user=team, umbrella_slug=ha.umbrella.slug)
    assert list(statement_list(access=team_access)) == []
    Statement.objects.filter(pk=statement.pk).update(status=StatementStatus.READY)
    assert list(statement_list(access=team_access)) == []  # ready for review is not issued
    Statement.objects.filter(pk=statement.pk).update(status=StatementStatus.ISSUED)
    assert list(statement_list(access=team_access)) == [statement]


HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<img src="http://127.0.0.1:9/steal.png">',
    '<link rel="stylesheet" href="http://localhost/evil.css">',
    '<style>@import url("file:///etc/hostname");</style>',
    '<svg><image href="file:///etc/passwd"/></svg>',
    '<a rel="attachment" href="file:///etc/passwd">x</a>',
    '<img src="../../../../etc/passwd">',
    '<img src="static/../../../../etc/passwd">',
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_the_pdf_fetcher_refuses_everything_but_our_static_files(hostile):
    fetcher = SafeURLFetcher()
    pdf = render_pdf(f"<html><body><p>Statement</p>{hostile}</body></html>", fetcher)
    assert pdf.startswith(b"%PDF")
    assert fetcher.served == []
    assert fetcher.refused, "the hostile URL was not even asked for"
    from tests.conftest import SECURITY_SUMMARY

    SECURITY_SUMMARY["pdf_hostile_inputs"] += 1
    SECURITY_SUMMARY["pdf_fetches"] += len(fetcher.served)


@pytest.mark.django_db
def test_hostile_text_in_user_fields_reaches_the_pdf_as_text_only():
    access, ha, team, scheme = build()
    scheme.name = '<img src="file:///etc/passwd"> Orchard'
    scheme.save()
    CostEntry.objects.filter(scheme=scheme).update(activity='<link rel=stylesheet href="http://127.0.0.1/x.css">')
    fetched = []
    original = SafeURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    SafeURLFetcher.fetch = spy
    try:
        statement, _ = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    finally:
        SafeURLFetcher.fetch = original
    statement.refresh_from_db()
    assert statement.status == StatementStatus.READY
    assert fetched == []  # escaped by the template: nothing was fetched at all
    assert '<img src="file:///etc/passwd"> Orchard' in pdf_text(statement)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.django_db
def test_the_pdf_renders_to_pictures(tmp_path):
    access, ha, *_ = build()
    statement, _ = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    statement.refresh_from_db()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", str(private_path(statement.file_path)), str(tmp_path / "p")],
        check=True,
        timeout=60,
    )
    assert len(list(tmp_path.glob("p-*.png"))) >= 2
    assert now() > 0


@pytest.mark.django_db
def test_the_monthly_schedule_drafts_last_months_statements_for_review():
    from config.settings import base
    from partnerships.recoupment.tasks import draft_monthly_statements

    assert (
        base.CELERY_BEAT_SCHEDULE["draft-monthly-statements"]["task"]
        == "partnerships.tasks.draft_monthly_statements"
        == draft_monthly_statements.name  # the name beat sends survives the module's move
    )
    access, ha, *_ = build()
    quiet_ha = HousingAssociationFactory(umbrella=ha.umbrella, name="Nothing recoverable")  # no schemes: no draft
    # On 1 December 2026 it drafts November 2026: Orchard went ahead in May, so £54,000.00 is outstanding.
    assert draft_monthly_statements(today="2026-12-01") == 1
    statement = Statement.objects.get(housing_association=ha)
    assert (statement.period_start, statement.period_end) == (date(2026, 11, 1), date(2026, 11, 30))
    assert statement.is_draft_by_schedule and statement.status == StatementStatus.READY
    assert not Statement.objects.filter(housing_association=quiet_ha).exists()
    # Run twice (a restart), it drafts nothing more; a second version is only made on request.
    assert draft_monthly_statements(today="2026-12-01") == 0
    assert Statement.objects.filter(housing_association=ha).count() == 1


@pytest.mark.django_db
def test_the_ha_home_lists_its_statements_to_download():
    access, ha, team, _ = build()
    statement, _ = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    statement.refresh_from_db()
    statements.statement_issue(access=access, statement=statement)
    client = Client()
    client.force_login(team)
    page = client.get(reverse("umbrella_home", kwargs={"umbrella_slug": ha.umbrella.slug})).content.decode()
    assert statement.reference in page and "Download" in page and "£64,800.00" in page


@pytest.mark.django_db
def test_the_payment_is_recorded_below_the_summary_it_pays(world):
    """Staff read what is due first, then record the payment; an HA team sees no payment form."""
    from tests.conftest import client_for

    a = world.a
    statement = a.objects["statement"]
    page_url = reverse("statement_detail", kwargs={"umbrella_slug": a.umbrella.slug, "public_id": statement.public_id})
    body = " ".join(client_for(world, "staff").get(page_url).content.decode().split())
    assert body.index("<h2>Summary</h2>") < body.index('id="paid-title">Record the payment</h2>')
    assert f"When {a.objects['ha'].name} has paid the £1.00 due." in body
    assert "Record the payment" not in client_for(world, "ha_team").get(page_url).content.decode()
    paid = client_for(world, "staff").post(
        reverse("statement_paid", kwargs={"umbrella_slug": a.umbrella.slug, "public_id": statement.public_id}),
        {"paid_on": "2026-07-20"},
    )
    assert paid.status_code == 302
    statement.refresh_from_db()
    assert (statement.status, statement.paid_on) == (StatementStatus.PAID, date(2026, 7, 20))
