"""Cost entries, the timesheet import, rates, advice sessions costed as time, agreements."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.access import access_for
from clts import services as clt_services
from partnerships.organisations.models import CollaborationAgreement, RoleRate
from schemes import services as scheme_services
from schemes.costs.services import ADVICE_SOURCE
from schemes.models import CostEntry, Scheme

pytestmark = pytest.mark.django_db


def url(world, name, **kw):
    return reverse(name, kwargs={"umbrella_slug": world.a.umbrella.slug, **kw})


def staff_client(world):
    client = Client()
    client.force_login(world.a.users["staff"])
    return client


def test_timesheet_import_is_all_or_nothing_with_each_bad_row_by_line_and_column(world):
    t = world.a
    before = CostEntry.objects.count()
    text = (
        "date,person email,role,hours,activity,scheme\n"
        f"2026-06-02,{t.users['staff'].email},{t.objects['staff_role'].name},1.5,Call,{t.objects['scheme'].name}\n"
        f"2026-13-02,{t.users['staff'].email},{t.objects['staff_role'].name},1.5,Call,{t.objects['scheme'].name}\n"
        f"2026-06-03,{t.users['volunteer'].email},Nobody,-2,Call,No such scheme\n"
    )
    response = staff_client(world).post(
        url(world, "timesheet_import"), {"file": SimpleUploadedFile("t.csv", text.encode(), "text/csv")}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Line 3, column “date”: “2026-13-02” is not a date (use YYYY-MM-DD)." in body
    assert "Line 4, column “person email”" in body and "Line 4, column “role”" in body
    assert "Line 4, column “hours”" in body and "Line 4, column “scheme”: no scheme called" in body
    assert CostEntry.objects.count() == before


def test_a_timesheet_with_an_unknown_column_is_refused(world):
    response = staff_client(world).post(
        url(world, "timesheet_import"),
        {"file": SimpleUploadedFile("t.csv", b"date,person email,role,hours,colour\n", "text/csv")},
    )
    assert response.status_code == 400 and "Unknown column(s): colour" in response.content.decode()


def test_an_expense_needs_its_amount_and_a_time_entry_its_hours(world):
    client = staff_client(world)
    count = CostEntry.objects.count()
    response = client.post(
        url(world, "cost_entry_create"),
        {"kind": "expense", "on": "2026-06-01", "scheme": world.a.objects["scheme"].pk, "vat": "0"},
    )
    assert response.status_code == 400
    assert "An expense needs its amount before VAT" in response.content.decode()
    response = client.post(
        url(world, "cost_entry_create"),
        {"kind": "time", "on": "2026-06-01", "scheme": world.a.objects["scheme"].pk, "vat": "0"},
    )
    assert "A time entry needs the hours" in response.content.decode()
    assert CostEntry.objects.count() == count


def test_costs_before_a_scheme_move_onto_it(world):
    clt = world.a.objects["other_clt"]
    access = access_for(user=world.a.users["staff"], umbrella_slug=world.a.umbrella.slug)
    Scheme.objects.filter(clt=clt).delete()
    early = CostEntry.objects.create(
        umbrella=world.a.umbrella,
        kind="expense",
        clt=clt,
        on=date(2026, 1, 1),
        description="Housing needs survey printing",
        amount=Decimal("240.00"),
    )
    scheme = scheme_services.scheme_create(access=access, scheme=Scheme(name="Later", clt=clt))
    early.refresh_from_db()
    assert early.scheme == scheme


def test_an_advice_session_costed_as_a_role_becomes_a_time_entry_and_follows_it(world):
    access = access_for(user=world.a.users["staff"], umbrella_slug=world.a.umbrella.slug)
    role = world.a.objects["staff_role"]
    session = clt_services.advice_session_create(
        access=access,
        clt=world.a.objects["clt"],
        given_on=date(2026, 6, 9),
        topic="governance",
        hours=Decimal("2.5"),
        given_by=world.a.users["staff"],
        staff_role=role,
    )
    entry = CostEntry.objects.get(source=ADVICE_SOURCE, source_id=str(session.public_id))
    # 2.5 hours, costed at the role's £50.00/hour when the statement is made = £125.00
    assert (entry.hours, entry.staff_role, entry.scheme) == (Decimal("2.5"), role, world.a.objects["scheme"])
    clt_services.advice_session_update(
        access=access,
        advice_session=session,
        given_on=date(2026, 6, 9),
        topic="governance",
        hours=Decimal("3"),
        given_by=world.a.users["staff"],
        staff_role=role,
    )
    entry.refresh_from_db()
    assert entry.hours == Decimal("3.00")
    clt_services.advice_session_delete(access=access, advice_session=session)
    assert not CostEntry.objects.filter(source_id=str(session.public_id)).exists()


def test_a_rate_twice_on_one_date_is_refused(world):
    role = world.a.objects["staff_role"]
    response = staff_client(world).post(
        url(world, "role_rate_create", public_id=role.public_id), {"hourly_rate": "70", "effective_from": "2025-01-01"}
    )
    assert response.status_code == 400 and "already has a rate from that date" in response.content.decode()
    assert RoleRate.objects.filter(staff_role=role).count() == 1


def test_an_agreement_needs_the_figure_its_basis_uses(world):
    response = staff_client(world).post(
        url(world, "agreement_create", public_id=world.a.objects["ha"].public_id),
        {
            "status": "active",
            "fee_basis": "percent_of_cost",
            "goes_ahead_at": "start_on_site",
            "vat_rate": "20",
            "invoice_terms_days": 30,
        },
    )
    assert response.status_code == 400 and "Needed for “Percentage of total scheme cost”" in response.content.decode()
    assert CollaborationAgreement.objects.filter(housing_association=world.a.objects["ha"]).count() == 1


def test_volunteers_and_ha_teams_never_see_costs(world, client_as):
    for role in ("volunteer", "ha_team"):
        assert client_as(role).get(url(world, "cost_entry_list")).status_code == 403
