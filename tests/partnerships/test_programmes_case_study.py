"""The case-study PDF of a programme: asked for in the page, made by the Celery task (eager, and
once by the real worker), read back as text; one in the making at a time; access re-checked."""

import io
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.access import access_for
from accounts.models import Role
from core.pdf import private_path
from partnerships.programmes import services
from partnerships.programmes import tasks as programmes_tasks  # noqa: F401  (the task, registered for the worker)
from partnerships.programmes.models import (
    CaseStudy,
    CaseStudyStatus,
    Engagement,
    EngagementAttendee,
    EngagementKind,
    Organisation,
    OrganisationKind,
    Programme,
    ProgrammeMember,
    Representative,
)
from tests.conftest import client_for
from tests.factories import HousingAssociationFactory, UmbrellaFactory, membership

HEADINGS = [
    "At a glance",
    "What went in",
    "What came out",
    "Executive summary",
    "Challenge and context",
    "What we did",
    "The difference made",
    "What's next",
    "Lessons learned",
]


def pdf_text_of(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_a_case_study_is_made_from_the_page_and_reads_back(world):
    t = world.a
    programme = t.objects["programme"]
    client = client_for(world, "staff")
    response = client.post(
        reverse("case_study_request", kwargs={"umbrella_slug": t.umbrella.slug, "public_id": programme.public_id})
    )
    assert response.status_code == 302
    case_study = CaseStudy.objects.filter(programme=programme).order_by("-created_at").first()
    assert case_study.status == CaseStudyStatus.READY, case_study.failure_reason
    assert response["Location"].endswith(f"/case-studies/{case_study.public_id}/")
    text = pdf_text_of(private_path(case_study.file_path))
    flat = " ".join(text.split())
    for heading in HEADINGS:
        assert heading in flat, heading
    # The figures: £20,000.00 of funding, 1 February to 31 October 2021 is nine months, one workshop
    # (online) moved once, the MOU signed 17 January 2022.
    for figure in (
        "£20,000.00",
        "9 months",
        "1 workshop (online)",
        "1 rearranged",
        "signed 17 January 2022",
        programme.name,
        t.objects["commitment"].title,
        t.objects["quote"].text,
        t.canary,
    ):
        assert figure in flat, figure
    assert world.b.canary not in text
    # The member HA's team downloads it; the other HA's team cannot even see it.
    kwargs = {"umbrella_slug": t.umbrella.slug, "public_id": case_study.public_id}
    download = client_for(world, "ha_team").get(reverse("case_study_download", kwargs=kwargs))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "private" in download["Cache-Control"]
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF") and world.b.canary not in pdf_text_from_bytes(body)
    assert client_for(world, "other_ha_team").get(reverse("case_study_download", kwargs=kwargs)).status_code == 404
    assert client_for(world, "volunteer").get(reverse("case_study_download", kwargs=kwargs)).status_code == 403


def pdf_text_from_bytes(raw: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)


def test_the_database_refuses_a_second_case_study_in_the_making(world):
    programme = world.a.objects["programme"]
    CaseStudy.objects.create(umbrella=programme.umbrella, programme=programme)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStudy.objects.create(umbrella=programme.umbrella, programme=programme, status=CaseStudyStatus.RENDERING)


def test_asking_while_one_is_in_the_making_returns_that_one(world):
    programme = world.a.objects["programme"]
    access = access_for(user=world.a.users["staff"], umbrella_slug=world.a.umbrella.slug)
    queued = CaseStudy.objects.create(umbrella=programme.umbrella, programme=programme, requested_by=access.user)
    again, created = services.case_study_request(access=access, programme=programme)
    assert again.pk == queued.pk and not created


def test_the_task_refuses_when_the_asker_lost_access(world):
    programme = world.a.objects["programme"]
    user = world.a.users["staff"]
    case_study = CaseStudy.objects.create(umbrella=programme.umbrella, programme=programme, requested_by=user)
    user.memberships.update(revoked_at=timezone.now())
    assert programmes_tasks.render_case_study.apply(args=[case_study.pk]).get() == "refused"
    case_study.refresh_from_db()
    assert case_study.status == CaseStudyStatus.FAILED and not case_study.file_path


def build(name: str, canary: str):
    u = UmbrellaFactory(name=f"{name} {canary}")
    staff = membership(u, Role.STAFF).user
    ha = HousingAssociationFactory(umbrella=u, name=f"Member HA {canary}")
    team = membership(u, Role.HA_TEAM, ha=ha).user
    council = Organisation.objects.create(
        umbrella=u, name=f"District Council {canary}", kind=OrganisationKind.LOCAL_AUTHORITY
    )
    ha_org = Organisation.objects.create(
        umbrella=u, name=f"Member HA {canary}", kind=OrganisationKind.HOUSING_ASSOCIATION, housing_association=ha
    )
    programme = Programme.objects.create(
        umbrella=u,
        name=f"{name} partnership {canary}",
        lead_authority=council,
        aim=f"Deliver homes {canary}",
        funder="Local Government Association",
        funding_programme="Housing Advisers Programme",
        funding_amount=Decimal("20000.00"),
        starts_on=date(2021, 2, 1),
        ends_on=date(2021, 10, 31),
        executive_summary=f"Summary {canary}",
        lessons_learned=f"Learned {canary}",
    )
    member = ProgrammeMember.objects.create(umbrella=u, programme=programme, organisation=ha_org)
    ProgrammeMember.objects.create(umbrella=u, programme=programme, organisation=council)
    rep = Representative.objects.create(umbrella=u, member=member, name=f"Person {canary}", title="Chief Executive")
    for n in (1, 2):
        e = Engagement.objects.create(
            umbrella=u,
            programme=programme,
            title=f"Workshop {n}",
            held_on=date(2021, 3, n),
            kind=EngagementKind.WORKSHOP,
        )
        EngagementAttendee.objects.create(umbrella=u, engagement=e, representative=rep)
    access = access_for(user=staff, umbrella_slug=u.slug)
    return access, programme, team


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_case_study_is_made_end_to_end_by_the_real_worker(real_worker):
    access, programme, team = build("Alpha", "CANARY-PA1")
    build("Bravo", "CANARY-PB2")  # another umbrella with its own programme
    client = Client()
    client.force_login(access.user)
    response = client.post(
        reverse("case_study_request", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": programme.public_id})
    )
    assert response.status_code == 302
    case_study = CaseStudy.objects.get(programme=programme)
    detail = client.get(response["Location"]).content.decode()
    assert "statement-status.js" in detail or case_study.status != CaseStudyStatus.QUEUED

    assert wait_for(lambda: CaseStudy.objects.get(pk=case_study.pk).status == CaseStudyStatus.READY), (
        CaseStudy.objects.get(pk=case_study.pk).failure_reason
    )
    case_study.refresh_from_db()
    flat = " ".join(pdf_text_of(private_path(case_study.file_path)).split())
    for expected in HEADINGS + [
        "£20,000.00",
        "9 months",
        "2 workshops (online)",
        "Chief Executive",
        "CANARY-PA1",
        "Page 1 of",
    ]:
        assert expected in flat, expected
    assert "CANARY-PB2" not in flat and "Bravo" not in flat
    ha_client = Client()
    ha_client.force_login(team)
    download = ha_client.get(
        reverse(
            "case_study_download", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": case_study.public_id}
        )
    )
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
