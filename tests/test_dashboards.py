"""Each role's dashboard answers its first questions, with figures worked here by hand."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import dashboards
from accounts.access import access_for
from accounts.models import Role
from partnerships.models import RoleRate, StaffRole, Statement, StatementStatus
from schemes.models import CostEntry
from schemes.stages import Stage

from .factories import CLTFactory, HousingAssociationFactory, SchemeFactory, UmbrellaFactory, membership

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def tenancy():
    u = UmbrellaFactory()
    staff = membership(u, Role.STAFF).user
    ha = HousingAssociationFactory(umbrella=u)
    clt = CLTFactory(umbrella=u)
    going = SchemeFactory(clt=clt, housing_association=ha, name="Going ahead", stage=Stage.START_ON_SITE,
                          homes_affordable_rent=6, homes_shared_ownership=2)
    early = SchemeFactory(clt=clt, housing_association=ha, name="Early days", stage=Stage.DESIGN,
                          homes_affordable_rent=4, homes_shared_ownership=0, rag="amber", rag_reason="Drainage")
    role = StaffRole.objects.create(umbrella=u, name="Project manager")
    RoleRate.objects.create(umbrella=u, staff_role=role, hourly_rate=D("50.00"), effective_from=date(2025, 4, 1))
    RoleRate.objects.create(umbrella=u, staff_role=role, hourly_rate=D("60.00"), effective_from=date(2026, 6, 1))
    for scheme, day, hours in ((going, date(2026, 5, 1), "10"), (going, date(2026, 7, 1), "5"), (early, date(2026, 7, 1), "2")):
        CostEntry.objects.create(umbrella=u, kind="time", clt=clt, scheme=scheme, on=day, person=staff, staff_role=role,
                                 hours=D(hours))
    CostEntry.objects.create(umbrella=u, kind="expense", clt=clt, scheme=going, on=date(2026, 8, 1),
                             description="Hall hire", amount=D("80.00"))
    CostEntry.objects.create(umbrella=u, kind="time", clt=clt, scheme=going, on=date(2026, 3, 31), person=staff,
                             staff_role=role, hours=D("100"))  # last financial year: not counted
    Statement.objects.create(umbrella=u, housing_association=ha, period_start=date(2026, 4, 1),
                             period_end=date(2026, 6, 30), reference="S1", status=StatementStatus.PAID,
                             total_due=D("1200.00"), issued_at=timezone.make_aware(datetime(2026, 7, 10, 9)))
    return access_for(user=staff, umbrella_slug=u.slug), ha


def test_money_this_financial_year(tenancy):
    access, _ = tenancy
    money = dashboards.money_this_year(access=access, today=date(2026, 11, 24))
    # From 1 April 2026: 10 h × £50.00 = £500.00 (1 May); 5 h × £60.00 = £300.00 (1 July, new rate);
    # 2 h × £60.00 = £120.00 on the scheme at design; £80.00 expense. Incurred £1,000.00.
    assert money.year_start == date(2026, 4, 1)
    assert money.incurred == D("1000.00")
    assert money.at_risk == D("120.00")  # the design-stage scheme has not gone ahead
    assert (money.invoiced, money.recovered) == (D("1200.00"), D("1200.00"))


def test_pipeline_and_tenures(tenancy):
    access, _ = tenancy
    stages = {r["stage"]: r for r in dashboards.pipeline(access=access)}
    assert (stages[Stage.START_ON_SITE]["schemes"], stages[Stage.START_ON_SITE]["homes"]) == (1, 8)
    assert (stages[Stage.DESIGN]["schemes"], stages[Stage.DESIGN]["homes"]) == (1, 4)
    tenures = {r["label"]: r["homes"] for r in dashboards.homes_by_tenure(access=access)}
    assert tenures["Affordable rent"] == 10 and tenures["Shared ownership"] == 2


def test_staff_dashboard_links_every_figure_to_its_list(tenancy):
    access, _ = tenancy
    client = Client()
    client.force_login(access.user)
    body = client.get(reverse("umbrella_home", kwargs={"umbrella_slug": access.umbrella.slug})).content.decode()
    assert "data:image/svg+xml;base64," in body  # charts drawn on the server
    assert f"/u/{access.umbrella.slug}/schemes/?stage=design" in body
    assert "Drainage" in body and "£1,000.00" in body


def test_ha_dashboard_says_what_changed_since_the_last_visit(world):
    team = world.a.users["ha_team"]
    client = Client()
    client.force_login(team)
    home = reverse("umbrella_home", kwargs={"umbrella_slug": world.a.umbrella.slug})
    assert "This is your first visit" in client.get(home).content.decode()
    from schemes import services

    staff = access_for(user=world.a.users["staff"], umbrella_slug=world.a.umbrella.slug)
    services.scheme_advance_stage(access=staff, scheme=world.a.objects["scheme"], to_stage=Stage.PLANNING_SUBMITTED)
    page = client.get(home).content.decode()
    assert "to “Planning submitted”" in page
    assert "Nothing has changed on your schemes since then" in client.get(home).content.decode()


def test_clt_dashboard_shows_their_schemes_progress_only(world, client_as):
    body = client_as("volunteer").get(reverse("umbrella_home", kwargs={"umbrella_slug": world.a.umbrella.slug})).content.decode()
    assert world.a.objects["scheme"].name in body and 'aria-current="step"' in body
    assert world.a.objects["other_scheme"].name not in body
