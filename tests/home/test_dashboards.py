"""Each role's dashboard answers its first questions, with figures worked here by hand."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.access import access_for
from accounts.models import Role
from accounts.selectors import changes_since
from partnerships.organisations.models import RoleRate, StaffRole
from partnerships.recoupment.models import Statement, StatementStatus
from partnerships.recoupment.selectors import ha_partners, money_this_year
from schemes.models import CostEntry, Scheme
from schemes.selectors import homes_by_tenure, pipeline
from schemes.stages import Stage
from tests.factories import CLTFactory, HousingAssociationFactory, SchemeFactory, UmbrellaFactory, membership

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def tenancy():
    u = UmbrellaFactory()
    staff = membership(u, Role.STAFF).user
    ha = HousingAssociationFactory(umbrella=u)
    clt = CLTFactory(umbrella=u)
    going = SchemeFactory(
        clt=clt,
        housing_association=ha,
        name="Going ahead",
        stage=Stage.START_ON_SITE,
        homes_affordable_rent=6,
        homes_shared_ownership=2,
    )
    early = SchemeFactory(
        clt=clt,
        housing_association=ha,
        name="Early days",
        stage=Stage.DESIGN,
        homes_affordable_rent=4,
        homes_shared_ownership=0,
        rag="amber",
        rag_reason="Drainage",
    )
    role = StaffRole.objects.create(umbrella=u, name="Project manager")
    RoleRate.objects.create(umbrella=u, staff_role=role, hourly_rate=D("50.00"), effective_from=date(2025, 4, 1))
    RoleRate.objects.create(umbrella=u, staff_role=role, hourly_rate=D("60.00"), effective_from=date(2026, 6, 1))
    for scheme, day, hours in (
        (going, date(2026, 5, 1), "10"),
        (going, date(2026, 7, 1), "5"),
        (early, date(2026, 7, 1), "2"),
    ):
        CostEntry.objects.create(
            umbrella=u, kind="time", clt=clt, scheme=scheme, on=day, person=staff, staff_role=role, hours=D(hours)
        )
    CostEntry.objects.create(
        umbrella=u,
        kind="expense",
        clt=clt,
        scheme=going,
        on=date(2026, 8, 1),
        description="Hall hire",
        amount=D("80.00"),
    )
    CostEntry.objects.create(
        umbrella=u,
        kind="time",
        clt=clt,
        scheme=going,
        on=date(2026, 3, 31),
        person=staff,
        staff_role=role,
        hours=D("20"),
    )  # last financial year: not counted
    Statement.objects.create(
        umbrella=u,
        housing_association=ha,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        reference="S1",
        status=StatementStatus.PAID,
        total_due=D("1200.00"),
        issued_at=timezone.make_aware(datetime(2026, 7, 10, 9)),
    )
    return access_for(user=staff, umbrella_slug=u.slug), ha


def test_money_this_financial_year(tenancy):
    access, _ = tenancy
    money = money_this_year(access=access, today=date(2026, 11, 24))
    # From 1 April 2026: 10 h × £50.00 = £500.00 (1 May); 5 h × £60.00 = £300.00 (1 July, new rate);
    # 2 h × £60.00 = £120.00 on the scheme at design; £80.00 expense. Incurred £1,000.00.
    assert money.year_start == date(2026, 4, 1)
    assert money.incurred == D("1000.00")
    assert money.at_risk == D("120.00")  # the design-stage scheme has not gone ahead
    assert (money.invoiced, money.recovered) == (D("1200.00"), D("1200.00"))


def test_money_at_risk_and_absorbed_with_clt_costs_and_a_withdrawn_scheme(tenancy):
    access, ha = tenancy
    u, clt = access.umbrella, ha.schemes.first().clt
    role = StaffRole.objects.get(umbrella=u)
    dropped = SchemeFactory(clt=clt, housing_association=ha, name="Dropped", stage=Stage.WITHDRAWN)
    CostEntry.objects.create(
        umbrella=u,
        kind="time",
        clt=clt,
        scheme=dropped,
        on=date(2026, 9, 1),
        person=access.user,
        staff_role=role,
        hours=D("1.5"),
    )
    CostEntry.objects.create(
        umbrella=u,
        kind="expense",
        clt=clt,
        scheme=None,
        on=date(2026, 10, 1),
        description="Room for the CLT's first meeting",
        amount=D("45.50"),
    )
    money = money_this_year(access=access, today=date(2026, 11, 24))
    # Besides the £1,000.00 above: 1.5 h × £60.00 = £90.00 on the withdrawn scheme (absorbed) and a
    # £45.50 CLT cost with no scheme yet (at risk). Incurred £1,135.50; at risk £120.00 + £45.50.
    assert money.incurred == D("1135.50")
    assert money.at_risk == D("165.50")
    assert money.absorbed == D("90.00")


def test_ha_partners_count_active_schemes_and_unpaid_statements(tenancy):
    access, ha = tenancy
    other = HousingAssociationFactory(umbrella=access.umbrella, name="Zed Homes")
    SchemeFactory(clt=ha.schemes.first().clt, housing_association=ha, name="Gone", stage=Stage.WITHDRAWN)
    for month, status, due in (
        (7, StatementStatus.ISSUED, "250.00"),
        (8, StatementStatus.ISSUED, "99.99"),
        (9, StatementStatus.READY, "1000.00"),
    ):
        Statement.objects.create(
            umbrella=access.umbrella,
            housing_association=ha,
            period_start=date(2026, month, 1),
            period_end=date(2026, month, 28),
            reference=f"S{month}",
            status=status,
            total_due=D(due),
        )
    rows = {p.name: p for p in ha_partners(access=access)}
    # Two schemes under way (the withdrawn one does not count); issued and unpaid: £250.00 + £99.99
    # (paid S1 and the draft S9 are not outstanding). The partner with nothing shows zeros.
    assert (rows[ha.name].active_schemes, rows[ha.name].outstanding) == (2, D("349.99"))
    assert (rows[other.name].active_schemes, rows[other.name].outstanding) == (0, D("0.00"))


def test_pipeline_and_tenures(tenancy):
    access, _ = tenancy
    stages = {r["stage"]: r for r in pipeline(access=access)}
    assert (stages[Stage.START_ON_SITE]["schemes"], stages[Stage.START_ON_SITE]["homes"]) == (1, 8)
    assert (stages[Stage.DESIGN]["schemes"], stages[Stage.DESIGN]["homes"]) == (1, 4)
    tenures = {r["label"]: r["homes"] for r in homes_by_tenure(access=access)}
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
    body = (
        client_as("volunteer")
        .get(reverse("umbrella_home", kwargs={"umbrella_slug": world.a.umbrella.slug}))
        .content.decode()
    )
    assert world.a.objects["scheme"].name in body and 'aria-current="step"' in body
    assert world.a.objects["other_scheme"].name not in body


# --- the home pages are read once until the umbrella's data changes (core.versions) ---------


def test_every_model_that_carries_an_umbrella_changes_its_version_on_every_kind_of_write():
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from accounts.signals import TENANT, UNVERSIONED
    from core.versions import TenantQuerySet, versioned_models

    versioned = set(versioned_models(tenant=TENANT, unversioned=UNVERSIONED))
    for model in apps.get_models():
        if not any(f.name == "umbrella" for f in model._meta.concrete_fields):
            continue
        if model._meta.label_lower in UNVERSIONED:
            continue
        assert model in versioned, model
        assert isinstance(model._default_manager.all(), TenantQuerySet), f"{model._meta.label} bulk writes"
        assert post_save.has_listeners(model) and post_delete.has_listeners(model), model._meta.label


def test_saves_updates_bulk_creates_and_deletes_give_a_new_version_to_that_umbrella_only(world):
    from core.versions import umbrella_version
    from schemes.models import Milestone

    a, b = world.a.umbrella.pk, world.b.umbrella.pk
    scheme = world.a.objects["scheme"]
    seen = [umbrella_version(a)]
    other = umbrella_version(b)

    def changed() -> bool:
        now = umbrella_version(a)
        fresh = now not in seen
        seen.append(now)
        return fresh

    milestone = Milestone.objects.create(
        umbrella_id=a, clt=scheme.clt, scheme=scheme, title="Survey", due_on=date(2027, 1, 5)
    )
    assert changed()
    Milestone.objects.filter(pk=milestone.pk).update(title="Topographical survey")
    assert changed()
    Milestone.objects.bulk_create(
        [Milestone(umbrella_id=a, clt=scheme.clt, scheme=scheme, title="Bats", due_on=date(2027, 2, 1))]
    )
    assert changed()
    milestone.delete()
    assert changed()
    assert not changed()  # reading changes nothing
    assert umbrella_version(b) == other


def test_a_new_name_changes_the_version_of_the_persons_umbrellas_and_signing_in_does_not(world):
    from core.versions import umbrella_version

    person = world.a.users["staff"]
    before = umbrella_version(world.a.umbrella.pk)
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])
    assert umbrella_version(world.a.umbrella.pk) == before
    person.first_name = "Renamed"
    person.save()
    assert umbrella_version(world.a.umbrella.pk) != before


def test_staff_home_is_read_once_then_shows_a_new_cost_at_once(tenancy, django_assert_max_num_queries):
    access, _ = tenancy
    client = Client()
    client.force_login(access.user)
    home = reverse("umbrella_home", kwargs={"umbrella_slug": access.umbrella.slug})
    assert "£1,000.00" in client.get(home).content.decode()
    # Again: the user and the memberships, and nothing of the figures.
    with django_assert_max_num_queries(3):
        assert "£1,000.00" in client.get(home).content.decode()
    role = StaffRole.objects.get(umbrella=access.umbrella)
    early = Scheme.objects.get(umbrella=access.umbrella, name="Early days")
    CostEntry.objects.create(
        umbrella=access.umbrella,
        kind="time",
        clt=early.clt,
        scheme=early,
        on=date(2026, 11, 2),
        person=access.user,
        staff_role=role,
        hours=D("0.5"),
    )
    # 0.5 h × £60.00 = £30.00 more: incurred £1,030.00, the next time the page is read.
    page = client.get(home).content.decode()
    assert "£1,030.00" in page and "£1,000.00" not in page


def test_changes_since_keeps_the_newest_twenty_about_the_teams_records_only(world):
    from datetime import timedelta

    from accounts.models import AuditEvent

    access = access_for(user=world.a.users["ha_team"], umbrella_slug=world.a.umbrella.slug)
    mine, theirs = world.a.objects["scheme"], world.a.objects["other_scheme"]
    since = timezone.now() + timedelta(days=1)  # after everything the world recorded
    for i in range(30):  # alternately about the team's scheme and about a scheme it does not partner on
        target = mine if i % 2 == 0 else theirs
        AuditEvent.objects.create(
            umbrella=world.a.umbrella,
            action="update",
            object_type="scheme",
            object_id=str(target.public_id),
            summary=f"Change {i:02d}",
            at=since + timedelta(minutes=i + 1),
        )
    shown = changes_since(access=access, since=since, scheme_ids=[str(mine.public_id)], limit=10)
    # 15 events about the team's scheme (0, 2, … 28): the newest ten, newest first.
    assert [e.summary for e in shown] == [f"Change {i:02d}" for i in range(28, 8, -2)]
    assert changes_since(access=access, since=None, scheme_ids=[str(mine.public_id)]) == []


def test_a_scheme_pages_data_is_kept_shows_a_change_at_once_and_still_answers_404(
    world, client_as, django_assert_max_num_queries
):
    from schemes.models import Milestone

    scheme = world.a.objects["scheme"]
    url = reverse("scheme_detail", kwargs={"umbrella_slug": world.a.umbrella.slug, "public_id": scheme.public_id})
    staff = client_as("staff")
    first = staff.get(url).content.decode()
    assert "Move the scheme" in first  # the stage form is drawn fresh for staff, with its CSRF token
    # Again: the user, the memberships and the scheme's name and stage (through the access).
    with django_assert_max_num_queries(3):
        again = staff.get(url).content.decode()
    assert "csrfmiddlewaretoken" in again
    Milestone.objects.create(
        umbrella=world.a.umbrella, clt=scheme.clt, scheme=scheme, title="Bat survey booked", due_on=date(2027, 3, 1)
    )
    assert "Bat survey booked" in staff.get(url).content.decode()
    # The volunteer of another CLT is answered 404 whatever the cache holds; the HA team's page is
    # drawn for them (no staff links), not served from the staff's.
    assert client_as("other_clt_volunteer").get(url).status_code == 404
    team_page = client_as("ha_team").get(url).content.decode()
    assert "Bat survey booked" in team_page and "Change scheme details" not in team_page


def test_the_scheme_lists_rows_are_kept_per_scope_and_query_and_show_a_new_scheme_at_once(
    world, client_as, django_assert_max_num_queries
):
    from schemes.models import Scheme

    url = reverse("scheme_list", kwargs={"umbrella_slug": world.a.umbrella.slug})
    staff, volunteer = client_as("staff"), client_as("volunteer")
    staff.get(url)
    with django_assert_max_num_queries(2):  # the user and the memberships
        assert world.a.objects["other_scheme"].name in staff.get(url).content.decode()
    # The volunteer's list is their own, not the staff's drawn one.
    assert world.a.objects["other_scheme"].name not in volunteer.get(url).content.decode()
    Scheme.objects.create(umbrella=world.a.umbrella, clt=world.a.objects["clt"], name="Aaron's Meadow")
    assert "Aaron&#x27;s Meadow" in staff.get(url).content.decode()
    assert "Aaron&#x27;s Meadow" in volunteer.get(url).content.decode()
    # Each query is its own page: a filter that matches nothing says so.
    assert "No schemes match." in staff.get(url, {"search": "no such scheme"}).content.decode()


def test_the_scheme_export_is_read_afresh_for_each_scope_and_query(world, client_as):
    from schemes.models import Scheme

    url = reverse("scheme_list", kwargs={"umbrella_slug": world.a.umbrella.slug})
    staff, volunteer = client_as("staff"), client_as("volunteer")

    def export(client, **query) -> str:
        response = client.get(url, {"format": "csv", **query})
        assert response.status_code == 200 and response.streaming
        return b"".join(response.streaming_content).decode("utf-8-sig")

    first = export(staff)
    assert export(staff) == first
    assert world.a.objects["other_scheme"].name in first
    # The volunteer's export is their own, not the staff's kept one.
    assert world.a.objects["other_scheme"].name not in export(volunteer)
    Scheme.objects.create(umbrella=world.a.umbrella, clt=world.a.objects["clt"], name="Aaron's Meadow")
    assert "Aaron's Meadow" in export(staff) and "Aaron's Meadow" in export(volunteer)
    assert "Aaron's Meadow" not in export(staff, search="no such scheme")


def test_a_read_kept_by_another_release_is_not_served(tmp_path, settings):
    """A deploy that changes a page's code or template draws it afresh, not from what the last
    release kept (a page whose shape changed would otherwise be served half empty)."""
    from core import versions

    made = []
    read = lambda: versions.cached_read(umbrella_id=1, name="test", compute=lambda: made.append(1) or len(made))  # noqa: E731
    assert read() == read() == 1
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>{{ one }}</p>")
    settings.BASE_DIR = tmp_path
    try:
        versions.release.cache_clear()
        assert read() == read() == 2
        page.write_text("<p>{{ one }} and {{ two }}</p>")
        versions.release.cache_clear()
        assert read() == 3
    finally:
        versions.release.cache_clear()


def test_a_migration_gives_every_umbrella_a_new_version(world):
    """A data migration writes without the models' signals: once migrate has run, nothing kept
    before it is served."""
    from django.core.management import call_command

    from core.versions import umbrella_version

    a, b = world.a.umbrella.pk, world.b.umbrella.pk
    before = umbrella_version(a), umbrella_version(b)
    call_command("migrate", verbosity=0)
    after = umbrella_version(a), umbrella_version(b)
    assert before[0] != after[0] and before[1] != after[1]


def test_the_app_writes_no_raw_sql():
    """Kept reads are fresh because every write goes through the ORM (its signals and
    TenantQuerySet). Raw SQL is for migrations, the benchmark's bulk load (on an empty cache) and
    /healthz's SELECT 1."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    allowed = {"core/views.py"}  # /healthz: SELECT 1
    found = []
    for package in ("accounts", "clts", "config", "core", "demo", "documents", "home", "partnerships", "schemes"):
        for path in (root / package).rglob("*.py"):
            rel = str(path.relative_to(root))
            if "/migrations/" in rel or rel in allowed:
                continue
            if re.search(r"\.cursor\(|\.raw\(|RawSQL|\.execute\(", path.read_text()):
                found.append(rel)
    assert not found, f"raw SQL outside migrations and bench/: {found}"
