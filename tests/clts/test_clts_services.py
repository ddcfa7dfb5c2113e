"""clts services: who may write, what is refused and why, and the history each write leaves."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.access import access_for
from accounts.models import AuditEvent, Role
from clts import services
from clts.models import AGM, CLT, AdviceSession, AdviceTopic, CLTParish, GrantStatus, Person, PersonRole, RevenueGrant
from tests.factories import UserFactory, membership

pytestmark = pytest.mark.django_db


def access(world, role, tenant="a"):
    t = world.tenant(tenant)
    return access_for(user=t.users[role], umbrella_slug=t.umbrella.slug)


def events(obj, action=None):
    qs = AuditEvent.objects.filter(object_type=obj._meta.model_name, object_id=str(obj.public_id))
    return qs.filter(action=action) if action else qs


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- CLTs and parishes ----------------------------------------------------------------------


def test_staff_create_a_clt_with_parishes_of_the_umbrella(world):
    a = world.a
    clt = services.clt_create(
        access=access(world, "staff"),
        name="Newfield Community Land Trust",
        legal_form="cbs",
        parishes=[a.objects["parish"], a.objects["spare_parish"]],
    )
    assert clt.umbrella == a.umbrella
    links = CLTParish.objects.filter(clt=clt)
    assert {link.parish_id for link in links} == {a.objects["parish"].pk, a.objects["spare_parish"].pk}
    assert {link.umbrella_id for link in links} == {a.umbrella.pk}
    created = events(clt, "created").get()
    assert created.actor == a.users["staff"] and "serving" in created.summary


def test_a_volunteer_cannot_create_a_clt(world):
    with pytest.raises(PermissionDenied):
        services.clt_create(access=access(world, "volunteer"), name="Mine", legal_form="cbs")
    assert not CLT.objects.filter(name="Mine").exists()


def test_a_parish_of_another_umbrella_is_refused_and_nothing_changes(world):
    clt = world.a.objects["clt"]
    with pytest.raises(ValidationError) as excinfo:
        services.clt_update(
            access=access(world, "staff"),
            clt=clt,
            name=clt.name,
            legal_form="cbs",
            setup_status="active",
            membership_count=99,
            parishes=[world.b.objects["parish"]],
        )
    assert "parishes" in errors_of(excinfo)
    clt.refresh_from_db()
    assert clt.membership_count != 99
    assert list(clt.parishes.all()) == [world.a.objects["parish"]]


def test_the_clts_volunteer_edits_its_profile_and_the_history_names_each_change(world):
    a = world.a
    clt = CLT.objects.get(pk=a.objects["clt"].pk)
    services.clt_update(
        access=access(world, "volunteer"),
        clt=clt,
        name=clt.name,
        legal_form="cbs",
        setup_status="active",
        membership_count=52,
        contact_name=clt.contact_name,
        parishes=[a.objects["parish"], a.objects["spare_parish"]],
    )
    changed = events(clt, "changed")
    fields = {}
    for event in changed:
        fields.update(event.changes)
    assert fields["membership count"] == ["40", "52"]
    assert "parishes served" in fields
    assert all(event.actor == a.users["volunteer"] for event in changed)


def test_another_clts_volunteer_cannot_edit_it(world):
    clt = CLT.objects.get(pk=world.a.objects["clt"].pk)
    with pytest.raises(PermissionDenied):
        services.clt_update(
            access=access(world, "other_clt_volunteer"),
            clt=clt,
            name="Taken over",
            legal_form="cbs",
            setup_status="active",
        )
    clt.refresh_from_db()
    assert clt.name != "Taken over"


def test_a_duplicate_clt_name_is_refused_beside_the_name(world):
    with pytest.raises(ValidationError) as excinfo:
        services.clt_create(access=access(world, "staff"), name=world.a.objects["clt"].name.upper(), legal_form="cbs")
    assert list(errors_of(excinfo)) == ["name"]


def test_governance_checklist_is_changed_by_the_volunteer_with_history(world):
    clt = CLT.objects.get(pk=world.a.objects["clt"].pk)
    services.clt_governance_update(
        access=access(world, "volunteer"), clt=clt, s79_asset_lock=True, s79_member_control=True
    )
    clt.refresh_from_db()
    assert clt.s79_asset_lock and clt.s79_member_control and not clt.s79_open_membership
    event = events(clt, "changed").get()
    assert event.changes["An asset lock: assets are held for the community, not distributed"] == ["no", "yes"]


def test_a_clt_that_others_depend_on_cannot_be_deleted(world):
    clt = world.a.objects["clt"]
    with pytest.raises(ValidationError) as excinfo:
        services.clt_delete(access=access(world, "staff"), clt=clt)
    assert "cannot be deleted" in excinfo.value.messages[0]
    assert CLT.objects.filter(pk=clt.pk).exists()
    assert not events(clt, "deleted").exists()


def test_an_unused_clt_is_deleted_with_a_record_of_it(world):
    spare = world.a.objects["spare_clt"]
    services.clt_delete(access=access(world, "admin"), clt=spare)
    assert not CLT.objects.filter(pk=spare.pk).exists()
    assert events(spare, "deleted").get().changes["name"] == spare.name


def test_a_parish_in_use_cannot_be_deleted(world):
    with pytest.raises(ValidationError):
        services.parish_delete(access=access(world, "staff"), parish=world.a.objects["parish"])


def test_parish_create_refuses_a_duplicate_and_volunteers(world):
    a = world.a
    parish = a.objects["parish"]
    with pytest.raises(ValidationError) as excinfo:
        services.parish_create(access=access(world, "staff"), name=parish.name, district=parish.district)
    assert "name" in errors_of(excinfo)
    with pytest.raises(PermissionDenied):
        services.parish_create(access=access(world, "volunteer"), name="Elsewhere", district="Somerset")


def test_another_umbrellas_object_is_refused_on_the_write_path(world):
    with pytest.raises(PermissionDenied):
        services.person_create(
            access=access(world, "staff"),
            clt=world.b.objects["clt"],
            name="X",
            role="chair",
            term_start=date(2025, 1, 1),
        )


# --- people ---------------------------------------------------------------------------------


def test_a_term_cannot_end_before_it_starts(world):
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            access=access(world, "volunteer"),
            clt=world.a.objects["clt"],
            name="Backwards",
            role=PersonRole.CHAIR,
            term_start=date(2025, 6, 1),
            term_end=date(2025, 5, 31),
        )
    assert list(errors_of(excinfo)) == ["term_end"]
    assert "cannot end before it starts" in errors_of(excinfo)["term_end"][0]
    assert not Person.objects.filter(name="Backwards").exists()


def test_the_volunteer_adds_and_changes_a_board_member_with_history(world):
    a = world.a
    person = services.person_create(
        access=access(world, "volunteer"),
        clt=a.objects["clt"],
        name="Ann Example",
        role=PersonRole.SECRETARY,
        term_start=date(2025, 6, 1),
        term_end=date(2028, 6, 1),
    )
    assert person.umbrella == a.umbrella
    services.person_update(
        access=access(world, "staff"),
        person=person,
        name="Ann Example",
        role=PersonRole.CHAIR,
        term_start=date(2025, 6, 1),
        term_end=date(2028, 6, 1),
        email="ann@example.test",
    )
    change = events(person, "changed").get()
    assert change.changes == {"role": ["Secretary", "Chair"], "email": ["", "ann@example.test"]}
    assert change.actor == a.users["staff"]
    services.person_delete(access=access(world, "volunteer"), person=person)
    assert events(person, "deleted").exists()
    assert not Person.objects.filter(pk=person.pk).exists()


def test_an_ha_team_and_another_clts_volunteer_cannot_add_people(world):
    for role in ("ha_team", "other_clt_volunteer"):
        with pytest.raises(PermissionDenied):
            services.person_create(
                access=access(world, role),
                clt=world.a.objects["clt"],
                name="X",
                role="chair",
                term_start=date(2025, 1, 1),
            )


# --- advice and training --------------------------------------------------------------------


def _advice(world, role="staff", **overrides):
    fields = dict(
        clt=world.a.objects["clt"],
        given_on=date(2025, 3, 4),
        topic=AdviceTopic.GOVERNANCE,
        hours=Decimal("1.50"),
        given_by=world.a.users["staff"],
        attendees="Board",
    )
    fields.update(overrides)
    return services.advice_session_create(access=access(world, role), **fields)


def test_advice_session_create_records_the_session(world):
    session = _advice(world)
    assert session.umbrella == world.a.umbrella and session.hours == Decimal("1.50")
    assert events(session, "created").exists()


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("-1"), Decimal("1.255")])
def test_hours_must_be_more_than_zero_with_at_most_two_decimals(world, hours):
    with pytest.raises(ValidationError) as excinfo:
        _advice(world, hours=hours)
    assert list(errors_of(excinfo)) == ["hours"]


def test_advice_must_be_given_by_staff_of_this_umbrella(world):
    for giver in (world.b.users["staff"], world.a.users["volunteer"], world.a.users["ha_team"]):
        with pytest.raises(ValidationError) as excinfo:
            _advice(world, given_by=giver)
        assert list(errors_of(excinfo)) == ["given_by"]
    assert not AdviceSession.objects.filter(attendees="Board").exists()


def test_a_giver_who_has_left_can_stay_on_an_old_session_but_not_be_chosen_anew(world):
    leaver = membership(world.a.umbrella, Role.STAFF, user=UserFactory())
    session = _advice(world, given_by=leaver.user)
    leaver.revoked_at = session.created_at
    leaver.save()
    services.advice_session_update(
        access=access(world, "staff"),
        advice_session=session,
        given_on=session.given_on,
        topic=session.topic,
        hours=Decimal("2.00"),
        given_by=leaver.user,
    )
    other = _advice(world, given_on=date(2025, 3, 5))
    with pytest.raises(ValidationError):
        services.advice_session_update(
            access=access(world, "staff"),
            advice_session=other,
            given_on=other.given_on,
            topic=other.topic,
            hours=other.hours,
            given_by=leaver.user,
        )


def test_volunteers_cannot_record_advice(world):
    with pytest.raises(PermissionDenied):
        _advice(world, role="volunteer")


# --- revenue grants -------------------------------------------------------------------------


def _grant(world, role="staff", **overrides):
    fields = dict(
        clt=world.a.objects["clt"],
        funder="Homes England",
        programme="Community Housing Fund (revenue)",
        amount_requested=Decimal("45000.00"),
        status=GrantStatus.SUBMITTED,
        submitted_on=date(2025, 1, 10),
    )
    fields.update(overrides)
    return services.revenue_grant_create(access=access(world, role), **fields)


def test_a_negative_amount_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        _grant(world, amount_requested=Decimal("-1.00"))
    assert list(errors_of(excinfo)) == ["amount_requested"]


def test_an_amount_awarded_only_when_awarded(world):
    with pytest.raises(ValidationError) as excinfo:
        _grant(world, amount_awarded=Decimal("40000.00"))
    message = errors_of(excinfo)["amount_awarded"][0]
    assert "Only an awarded grant has an amount awarded" in message
    with pytest.raises(ValidationError) as excinfo:
        _grant(world, status=GrantStatus.AWARDED)
    assert errors_of(excinfo)["amount_awarded"] == ["Give the amount awarded."]
    granted = _grant(
        world, status=GrantStatus.AWARDED, amount_awarded=Decimal("40000.00"), decision_on=date(2025, 4, 1)
    )
    assert granted.amount_awarded == Decimal("40000.00")


def test_a_decision_cannot_come_before_submission(world):
    with pytest.raises(ValidationError) as excinfo:
        _grant(world, status=GrantStatus.REFUSED, decision_on=date(2024, 12, 1))
    assert list(errors_of(excinfo)) == ["decision_on"]


def test_grant_update_history_shows_money_in_pounds(world):
    grant = _grant(world)
    services.revenue_grant_update(
        access=access(world, "staff"),
        revenue_grant=grant,
        funder=grant.funder,
        programme=grant.programme,
        amount_requested=grant.amount_requested,
        status=GrantStatus.AWARDED,
        amount_awarded=Decimal("42500.00"),
        submitted_on=grant.submitted_on,
        decision_on=date(2025, 3, 1),
    )
    changes = events(grant, "changed").get().changes
    assert changes["status"] == ["Submitted", "Awarded"]
    assert changes["amount awarded (£)"] == ["", "42,500.00"]


def test_volunteers_cannot_record_grants(world):
    with pytest.raises(PermissionDenied):
        _grant(world, role="volunteer")


# --- AGMs -----------------------------------------------------------------------------------


def test_the_volunteer_records_an_agm_but_not_two_on_one_day(world):
    a = world.a
    agm = services.agm_create(
        access=access(world, "volunteer"),
        clt=a.objects["clt"],
        held_on=date(2026, 6, 20),
        members_present=28,
        resolutions="Accounts adopted",
    )
    assert agm.umbrella == a.umbrella and events(agm, "created").exists()
    with pytest.raises(ValidationError) as excinfo:
        services.agm_create(
            access=access(world, "staff"), clt=a.objects["clt"], held_on=date(2026, 6, 20), members_present=3
        )
    assert list(errors_of(excinfo)) == ["held_on"]
    with pytest.raises(PermissionDenied):
        services.agm_update(
            access=access(world, "other_clt_volunteer"), agm=agm, held_on=agm.held_on, members_present=1
        )


# --- the database holds the one-row rules too ------------------------------------------------


@pytest.mark.parametrize(
    "model, fields",
    [
        (Person, dict(name="X", role="chair", term_start=date(2025, 6, 1), term_end=date(2025, 1, 1))),
        (AdviceSession, dict(given_on=date(2025, 1, 1), topic="other", hours=Decimal("0"))),
        (RevenueGrant, dict(funder="F", amount_requested=Decimal("-5"))),
        (
            RevenueGrant,
            dict(funder="F", amount_requested=Decimal("5"), amount_awarded=Decimal("5"), status="submitted"),
        ),
        (
            RevenueGrant,
            dict(
                funder="F", amount_requested=Decimal("5"), submitted_on=date(2025, 2, 1), decision_on=date(2025, 1, 1)
            ),
        ),
    ],
)
def test_check_constraints(world, model, fields):
    a = world.a
    extra = {"given_by": a.users["staff"]} if model is AdviceSession else {}
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(umbrella=a.umbrella, clt=a.objects["clt"], **extra, **fields)


def test_agm_unique_per_day_in_the_database(world):
    agm = world.a.objects["agm"]
    with pytest.raises(IntegrityError), transaction.atomic():
        AGM.objects.create(umbrella=agm.umbrella, clt=agm.clt, held_on=agm.held_on, members_present=1)
