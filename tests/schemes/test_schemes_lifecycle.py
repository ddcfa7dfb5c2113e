"""The partnership lifecycle on the schemes side: stages and their gates, HA matching, tenders,
leases, milestones (import, progress, calendar) and the pages' bad-input handling."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.access import access_for
from accounts.models import AuditEvent
from clts.models import SetupStatus
from partnerships.organisations.models import AgreementStatus
from schemes import selectors, services
from schemes.models import Bid, Lease, Milestone, Negotiation, NegotiationStatus, Scheme, StageChange, TenderStatus
from schemes.stages import Stage
from tests.factories import (
    AgreementFactory,
    CLTFactory,
    HousingAssociationFactory,
    ParishFactory,
    SchemeFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db


def staff_access(world):
    return access_for(user=world.a.users["staff"], umbrella_slug=world.a.umbrella.slug)


def url(world, name, **kwargs):
    return reverse(name, kwargs={"umbrella_slug": world.a.umbrella.slug, **kwargs})


@pytest.fixture
def fresh(world):
    """A scheme at enquiry with a CLT still forming, a site not yet secured and no HA."""
    u = world.a.umbrella
    parish = ParishFactory(umbrella=u, name="Combe Wick", district="Somerset", county="Somerset")
    clt = CLTFactory(umbrella=u, parishes=[parish], setup_status=SetupStatus.FORMING)
    site = SiteFactory(umbrella=u, parish=parish)
    scheme = SchemeFactory(clt=clt, stage=Stage.ENQUIRY, site=None, homes_affordable_rent=0, homes_shared_ownership=0)
    return scheme, site


# --- stages ------------------------------------------------------------------------------------


def test_a_scheme_walks_the_stages_and_each_gate_says_what_is_missing(world, fresh):
    scheme, site = fresh
    access = staff_access(world)
    move = lambda to, note="": services.scheme_advance_stage(access=access, scheme=scheme, to_stage=to, note=note)  # noqa: E731

    with pytest.raises(ValidationError, match="not yet incorporated"):
        move(Stage.CLT_FORMED)
    scheme.clt.setup_status = SetupStatus.INCORPORATED
    scheme.clt.save()
    scheme = move(Stage.CLT_FORMED)
    scheme = move(Stage.SITE_SEARCH)

    with pytest.raises(ValidationError, match="No site is chosen"):
        move(Stage.SITE_SECURED)
    scheme.site = site
    scheme.save()
    with pytest.raises(ValidationError, match="is not secured"):
        move(Stage.SITE_SECURED)
    services.negotiation_log(
        access=access,
        negotiation=Negotiation(
            site=site, on=date(2026, 5, 1), contact="The landowner", status_after=NegotiationStatus.OPTION_AGREED
        ),
    )
    scheme = move(Stage.SITE_SECURED)

    with pytest.raises(ValidationError, match="No HA partner is matched"):
        move(Stage.HA_MATCHED)
    ha = HousingAssociationFactory(umbrella=world.a.umbrella)
    services.scheme_match_ha(access=access, scheme=scheme, housing_association=ha)
    scheme = move(Stage.HA_MATCHED)
    scheme = move(Stage.DESIGN)
    with pytest.raises(ValidationError, match="No homes are planned"):
        move(Stage.PLANNING_SUBMITTED)
    Scheme.objects.filter(pk=scheme.pk).update(homes_social_rent=6)
    scheme = move(Stage.PLANNING_SUBMITTED)
    scheme = move(Stage.PLANNING_APPROVED)
    scheme = move(Stage.S106_SIGNED)

    with pytest.raises(ValidationError) as refused:
        move(Stage.FREEHOLD_AND_LEASE)
    assert "No freehold is recorded" in str(refused.value) and "No lease is recorded" in str(refused.value)
    services.lease_save(
        access=access,
        lease=Lease(
            scheme=scheme,
            freehold_acquired_on=date(2026, 6, 1),
            start_on=date(2026, 6, 2),
            option_base_price=Decimal("1"),
            option_indexation_percent=Decimal("2"),
        ),
    )
    scheme = move(Stage.FREEHOLD_AND_LEASE)

    with pytest.raises(ValidationError, match="no active collaboration agreement"):
        move(Stage.START_ON_SITE)
    AgreementFactory(housing_association=ha, status=AgreementStatus.ACTIVE)
    scheme = move(Stage.START_ON_SITE)
    assert scheme.stage == Stage.START_ON_SITE

    moves = list(StageChange.objects.filter(scheme=scheme).values_list("to_stage", flat=True))
    assert moves[-1] == Stage.START_ON_SITE and len(moves) == 10  # the factory made it without a first entry
    assert AuditEvent.objects.filter(object_id=str(scheme.public_id), action="stage").count() == 10


def test_no_skipping_stages_and_back_moves_need_a_reason(world):
    scheme = world.a.objects["scheme"]  # at design
    access = staff_access(world)
    with pytest.raises(ValidationError, match="cannot move to"):
        services.scheme_advance_stage(access=access, scheme=scheme, to_stage=Stage.START_ON_SITE)
    with pytest.raises(ValidationError, match="Say why"):
        services.scheme_advance_stage(access=access, scheme=scheme, to_stage=Stage.HA_MATCHED)
    services.scheme_advance_stage(access=access, scheme=scheme, to_stage=Stage.HA_MATCHED, note="Design restarts")
    assert Scheme.objects.get(pk=scheme.pk).stage == Stage.HA_MATCHED


def test_on_hold_resumes_where_it_stopped_and_withdrawn_is_final(world):
    scheme = world.a.objects["scheme"]
    access = staff_access(world)
    services.scheme_advance_stage(access=access, scheme=scheme, to_stage=Stage.ON_HOLD, note="Funding gap")
    scheme.refresh_from_db()
    assert services.scheme_allowed_moves(scheme) == [Stage.DESIGN, Stage.WITHDRAWN]
    services.scheme_advance_stage(access=access, scheme=scheme, to_stage=Stage.DESIGN)
    services.scheme_advance_stage(access=access, scheme=scheme, to_stage=Stage.WITHDRAWN, note="Site lost")
    scheme.refresh_from_db()
    assert services.scheme_allowed_moves(scheme) == []


def test_only_staff_move_stages(world):
    volunteer = access_for(user=world.a.users["volunteer"], umbrella_slug=world.a.umbrella.slug)
    with pytest.raises(PermissionDenied):
        services.scheme_advance_stage(
            access=volunteer, scheme=world.a.objects["scheme"], to_stage=Stage.PLANNING_SUBMITTED
        )


def test_a_refused_move_in_the_page_says_why_and_changes_nothing(world, fresh):
    scheme, _ = fresh
    client = Client()
    client.force_login(world.a.users["staff"])
    response = client.post(url(world, "scheme_stage", public_id=scheme.public_id), {"to_stage": "clt_formed"})
    assert response.status_code == 400
    assert "is not yet incorporated" in response.content.decode()
    scheme.refresh_from_db()
    assert scheme.stage == Stage.ENQUIRY
    assert StageChange.objects.filter(scheme=scheme).count() == 0


# --- HA matching -------------------------------------------------------------------------------


def test_ha_matching_ranks_with_reasons(world, fresh):
    scheme, site = fresh
    u = world.a.umbrella
    Scheme.objects.filter(pk=scheme.pk).update(homes_social_rent=6, homes_first_homes=2, site=site)
    scheme.refresh_from_db()
    local = HousingAssociationFactory(
        umbrella=u,
        name="Local Homes",
        area_of_operation="Somerset",
        min_scheme_homes=4,
        max_scheme_homes=20,
        develops_first_homes=False,
    )
    AgreementFactory(housing_association=local, status=AgreementStatus.ACTIVE)
    HousingAssociationFactory(
        umbrella=u, name="Distant Homes", area_of_operation="Cumbria", max_scheme_homes=5, develops_first_homes=True
    )
    candidates = {
        c.housing_association.name: c for c in selectors.ha_match_candidates(access=staff_access(world), scheme=scheme)
    }
    # Local: area 3 + agreement 3 + size 2 + tenures round(2 × 6/8)=2 + workload 2 = 12.
    assert candidates["Local Homes"].score == 12
    assert "Works in Somerset (+3)" in candidates["Local Homes"].reasons
    assert any("not First Homes" in r for r in candidates["Local Homes"].reasons)
    # Distant: area 0 + no agreement 0 + too big for 5 0 + tenures 2 + workload 2 = 4.
    assert candidates["Distant Homes"].score == 4
    assert "No collaboration agreement (+0)" in candidates["Distant Homes"].reasons
    ranking = selectors.ha_match_candidates(access=staff_access(world), scheme=scheme)
    assert ranking[0].housing_association.name == "Local Homes"


def test_confirming_a_match_sets_the_partner_and_records_the_reasons(world, fresh):
    scheme, _ = fresh
    ha = world.a.objects["ha"]
    client = Client()
    client.force_login(world.a.users["staff"])
    response = client.post(url(world, "scheme_match", public_id=scheme.public_id), {"housing_association": ha.pk})
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.housing_association == ha
    event = AuditEvent.objects.filter(object_id=str(scheme.public_id)).latest("at")
    assert f"Matched with {ha}" in event.summary


# --- tenders ---------------------------------------------------------------------------------


def test_a_tender_from_bids_to_appointment(world):
    tender, firm2 = world.a.objects["tender"], world.a.objects["firm2"]
    access = staff_access(world)
    services.bid_record(
        access=access, bid=Bid(tender=tender, firm=firm2, price=Decimal("20000"), quality_score=Decimal("65"))
    )
    # firm (£24,000, q72) vs firm2 (£20,000, q65), 40/60:
    #   firm: 20,000/24,000 × 100 = 83.33 → 33.33; 72 × 0.6 = 43.20; total 76.53
    #   firm2: 100 → 40.00; 65 × 0.6 = 39.00; total 79.00 → first
    ranking = selectors.tender_ranking(access=access, tender=tender)
    assert [(r.bid.firm_id, r.total) for r in ranking] == [
        (firm2.pk, Decimal("79.00")),
        (world.a.objects["firm"].pk, Decimal("76.53")),
    ]
    services.tender_appoint(access=access, tender=tender, bid=ranking[0].bid, on=date(2026, 7, 1))
    tender.refresh_from_db()
    assert (tender.status, tender.appointed_fee, tender.appointed_on) == (
        TenderStatus.AWARDED,
        Decimal("20000.00"),
        date(2026, 7, 1),
    )


def test_a_bid_for_a_closed_tender_is_refused_on_the_page(world):
    tender = world.a.objects["tender"]
    services.tender_set_status(access=staff_access(world), tender=tender, status=TenderStatus.CLOSED)
    client = Client()
    client.force_login(world.a.users["staff"])
    response = client.post(
        url(world, "bid_create", public_id=tender.public_id),
        {"firm": world.a.objects["firm2"].pk, "price": "1000", "quality_score": "50", "received_on": "2026-06-01"},
    )
    assert response.status_code == 400
    assert "takes no more bids" in response.content.decode()
    assert not Bid.objects.filter(tender=tender, firm=world.a.objects["firm2"]).exists()


def test_only_invited_firms_bid_and_scores_are_checked(world):
    tender = world.a.objects["tender"]
    from partnerships.organisations.models import AdviserFirm

    outsider = AdviserFirm.objects.create(umbrella=world.a.umbrella, name="Not invited")
    with pytest.raises(ValidationError, match="Only firms invited"):
        services.bid_record(
            access=staff_access(world),
            bid=Bid(tender=tender, firm=outsider, price=Decimal("1"), quality_score=Decimal("1")),
        )
    with pytest.raises(ValidationError):
        services.bid_record(
            access=staff_access(world),
            bid=Bid(tender=tender, firm=world.a.objects["firm2"], price=Decimal("-5"), quality_score=Decimal("101")),
        )


# --- lease -----------------------------------------------------------------------------------


def test_lease_pages_show_expiry_years_and_buy_back_working(world):
    client = Client()
    client.force_login(world.a.users["ha_team"])
    response = client.get(url(world, "lease_detail", public_id=world.a.objects["scheme"].public_id) + "?on=2035-04-01")
    body = response.content.decode()
    assert response.status_code == 200
    assert "31 March 2150" in body  # 1 April 2025 + 125 years − 1 day
    assert "£320,021.14" in body  # £250,000 × 1.025^10


@pytest.mark.parametrize(
    "change, message",
    [
        ({"term_years": 0}, "Give 1 or more."),
        ({"freehold_acquired_on": ""}, "must own the freehold before it grants the lease"),
        ({"start_on": "2025-01-01"}, "cannot start before the CLT acquired the freehold"),
        ({"option_earliest_on": "2024-01-01"}, "cannot be exercised before the lease starts"),
        ({"option_basis": "outstanding_debt"}, "Needed for the"),
        ({"premium": "-1"}, "Give 0 or more."),
    ],
)
def test_bad_lease_input_is_refused_on_the_page(world, change, message):
    from tests.permissions.matrix_schemes import _lease_data

    scheme = world.a.objects["scheme"]
    before = Lease.objects.get(scheme=scheme).premium
    client = Client()
    client.force_login(world.a.users["staff"])
    response = client.post(url(world, "lease_edit", public_id=scheme.public_id), {**_lease_data(world.a), **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Lease.objects.get(scheme=scheme).premium == before


# --- scheme and site forms ---------------------------------------------------------------------


def test_negative_homes_and_foreign_ids_are_refused(world):
    from tests.permissions.matrix_schemes import _scheme_data

    client = Client()
    client.force_login(world.a.users["staff"])
    count = Scheme.objects.count()
    bad = {**_scheme_data(world.a), "homes_social_rent": -2}
    response = client.post(url(world, "scheme_create"), bad)
    assert response.status_code == 400 and "Give 0 or more." in response.content.decode()
    foreign = {**_scheme_data(world.a), "clt": world.b.objects["clt"].pk}
    response = client.post(url(world, "scheme_create"), foreign)
    assert response.status_code == 400 and "That is not one of the choices" in response.content.decode()
    amber = {**_scheme_data(world.a), "rag": "amber"}
    assert "Say why the scheme is amber or red" in client.post(url(world, "scheme_create"), amber).content.decode()
    assert Scheme.objects.count() == count


def test_bedroom_mix_must_match_the_homes(world):
    from tests.permissions.matrix_schemes import _scheme_data

    client = Client()
    client.force_login(world.a.users["staff"])
    response = client.post(url(world, "scheme_create"), {**_scheme_data(world.a), "bedrooms_2": 3})
    assert response.status_code == 400
    assert "bedroom mix adds up to 3 homes but the tenures to 4" in response.content.decode()


def test_site_scores_above_five_are_refused(world):
    client = Client()
    client.force_login(world.a.users["staff"])
    response = client.post(
        url(world, "site_create"),
        {"name": "x", "parish": world.a.objects["parish"].pk, "planning_status": "none", "score_access": 6},
    )
    assert response.status_code == 400 and "Give 5 or less." in response.content.decode()


def test_negotiation_log_moves_the_site_status_and_shows_in_history(world):
    site = world.a.objects["site"]
    client = Client()
    client.force_login(world.a.users["staff"])
    client.post(
        url(world, "negotiation_create", public_id=site.public_id),
        {
            "on": "2026-10-01",
            "contact": "Mrs Landowner",
            "offer_or_terms": "£12,000 a plot",
            "status_after": "option_agreed",
        },
    )
    site.refresh_from_db()
    assert site.negotiation_status == NegotiationStatus.OPTION_AGREED
    page = client.get(url(world, "site_detail", public_id=site.public_id)).content.decode()
    assert "£12,000 a plot" in page and "Negotiation status follows the latest log entry" in page


def test_a_site_used_by_a_scheme_is_not_deleted(world):
    client = Client()
    client.force_login(world.a.users["staff"])
    response = client.post(url(world, "site_delete", public_id=world.a.objects["site"].public_id))
    assert response.status_code == 400 and "belongs to a scheme" in response.content.decode()


def test_volunteers_see_sites_of_their_parishes_only(world):
    volunteer = access_for(user=world.a.users["volunteer"], umbrella_slug=world.a.umbrella.slug)
    names = set(selectors.site_list(access=volunteer).values_list("name", flat=True))
    assert world.a.objects["site"].name in names
    other = access_for(user=world.a.users["other_clt_volunteer"], umbrella_slug=world.a.umbrella.slug)
    assert world.a.objects["site"].name not in set(selectors.site_list(access=other).values_list("name", flat=True))


# --- milestones ------------------------------------------------------------------------------


def test_ha_team_updates_development_milestones_but_not_others(world):
    m = world.a.objects["milestone"]
    ha = access_for(user=world.a.users["ha_team"], umbrella_slug=world.a.umbrella.slug)
    services.milestone_update_progress(access=ha, milestone=m, completed_on=date(2026, 9, 3), due_on=m.due_on, notes="")
    other = Milestone.objects.create(
        umbrella=world.a.umbrella,
        clt=m.clt,
        scheme=m.scheme,
        title="CLT task",
        due_on=date(2026, 9, 1),
        is_development=False,
    )
    with pytest.raises(PermissionDenied):
        services.milestone_update_progress(
            access=ha, milestone=other, completed_on=None, due_on=other.due_on, notes="x"
        )


def test_overdue_milestones_are_said_in_words(world, client_as):
    m = world.a.objects["milestone"]
    Milestone.objects.filter(pk=m.pk).update(due_on=date.today() - timedelta(days=3))
    body = client_as("staff").get(url(world, "milestone_list") + "?state=overdue").content.decode()
    assert m.title in body and "Overdue" in body


def test_owner_must_be_able_to_see_the_milestone(world):
    m = Milestone(
        clt=world.a.objects["clt"],
        scheme=world.a.objects["scheme"],
        title="x",
        due_on=date(2027, 1, 1),
        owner=world.a.users["other_clt_volunteer"],
    )
    with pytest.raises(ValidationError, match="The owner must be"):
        services.milestone_create(access=staff_access(world), milestone=m)


def test_milestone_import_is_all_or_nothing_with_line_and_column(world):
    scheme = world.a.objects["scheme"]
    client = Client()
    client.force_login(world.a.users["staff"])
    before = Milestone.objects.count()
    csv_text = (
        "title,due,kind,owner email\n"
        "Pre-app meeting,2026-12-01,milestone,\n"
        "Ground survey,31/02/2027,task,\n"
        ",2027-01-01,task,nobody@nowhere.test\n"
    )
    response = client.post(
        url(world, "milestone_import", public_id=scheme.public_id),
        {"file": SimpleUploadedFile("m.csv", csv_text.encode(), "text/csv")},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Line 3, column “due”: “31/02/2027” is not a date (use YYYY-MM-DD)." in body
    assert "Line 4, column “title”: a title is needed." in body
    assert "Line 4, column “owner email”" in body
    assert Milestone.objects.count() == before

    good = "title,due,kind,owner email,development\nPre-app meeting,2026-12-01,milestone,,no\nTender the build,2027-02-01,task,{},yes\n".format(
        world.a.users["volunteer"].email
    )
    response = client.post(
        url(world, "milestone_import", public_id=scheme.public_id),
        {"file": SimpleUploadedFile("m.csv", good.encode(), "text/csv")},
    )
    assert response.status_code == 302
    assert Milestone.objects.count() == before + 2


def test_milestones_logged_before_a_scheme_move_onto_it(world):
    clt = world.a.objects["other_clt"]
    early = Milestone.objects.create(
        umbrella=world.a.umbrella, clt=clt, title="Housing needs survey", due_on=date(2026, 8, 1), kind="task"
    )
    scheme = services.scheme_create(access=staff_access(world), scheme=Scheme(name="New", clt=clt))
    early.refresh_from_db()
    assert early.scheme == scheme


def test_calendar_feed_shows_what_is_mine_and_the_link_can_be_reset(world):
    volunteer = world.a.users["volunteer"]
    client = Client()
    feed = client.get(reverse("calendar_feed", kwargs={"token": volunteer.calendar_token}))
    body = feed.content.decode()
    assert feed["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in body and "DTSTART;VALUE=DATE:20260901" in body
    assert world.a.objects["milestone"].title.split(" ")[0] in body
    assert world.b.canary not in body
    old = volunteer.calendar_token
    client.force_login(volunteer)
    client.post(reverse("calendar_settings"))
    volunteer.refresh_from_db()
    assert volunteer.calendar_token != old
    assert Client().get(reverse("calendar_feed", kwargs={"token": old})).status_code == 404


def test_calendar_drops_an_umbrella_once_the_membership_is_revoked(world):
    from accounts.models import Membership

    volunteer = world.a.users["volunteer"]
    Membership.objects.filter(user=volunteer).update(revoked_at=timezone.now())
    body = Client().get(reverse("calendar_feed", kwargs={"token": volunteer.calendar_token})).content.decode()
    assert "VEVENT" not in body
