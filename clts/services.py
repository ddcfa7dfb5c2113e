"""Writes of CLTs, parishes and the CLTs' records: people, advice sessions, revenue grants, AGMs.

Every write goes through a function here. Each checks the role rule (for the CLT's own records,
the object rule "clts.change_clt" on the CLT), validates the row (domain rules below, then the
model's own validation and constraints, reported together beside the fields they concern) and
hands it to accounts.records, which sets the umbrella from the access object, saves and writes
the change history.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError

from accounts.access import Access
from accounts.models import User
from accounts.records import record_create, record_delete, record_event, record_update, require, snapshot
from clts import selectors
from clts.models import AGM, CLT, AdviceSession, CLTParish, GrantStatus, Parish, Person, RevenueGrant, SetupStatus

# Rules (accounts/rules.py): staff manage everything here; a CLT's volunteers change its profile,
# governance, people and AGMs; advice sessions and grants are the umbrella's work.
MANAGE = "clts.manage"
CHANGE_CLT = "clts.change_clt"
# For a CLT's own records the object rule is checked on the CLT (`_require_change`); the
# record services then check only that the role may touch CLT records at all.
CLT_RECORD = "clts.view"


# --- helpers --------------------------------------------------------------------------------


def _validate(instance: models.Model, errors: dict[str, str]) -> None:
    """Raise the domain `errors` and the model's own validation errors together.

    Fields with a domain error are left out of the model's checks, so one problem is reported
    once, beside its field.
    """
    found: dict[str, list[str]] = {field: [message] for field, message in errors.items()}
    try:
        instance.full_clean(exclude=list(errors))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            found.setdefault(field, []).extend(messages)
    if found:
        raise ValidationError(found)


def _in_umbrella(access: Access, obj: models.Model | None) -> None:
    """A second check on the paths that write: the object belongs to the request's umbrella."""
    if obj is not None and obj.umbrella_id != access.umbrella.pk:
        raise PermissionDenied("Not in this umbrella.")


def _require_change(access: Access, clt: CLT) -> None:
    _in_umbrella(access, clt)
    require(access, CHANGE_CLT, clt)


def _assign(instance: models.Model, fields: dict) -> dict[str, str]:
    """Apply `fields` to the instance; return its snapshot from before."""
    before = snapshot(instance)
    for name, value in fields.items():
        setattr(instance, name, value)
    return before


def _protected_message(kind: str, error: ProtectedError) -> str:
    counts: dict[str, int] = {}
    for obj in error.protected_objects:
        meta = obj._meta
        counts[str(meta.verbose_name_plural)] = counts.get(str(meta.verbose_name_plural), 0) + 1
    held = "; ".join(f"{n} {label}" for label, n in sorted(counts.items()))
    return f"This {kind} cannot be deleted while other records depend on it ({held}). Remove or move those first."


def _delete(*, access: Access, instance: models.Model, rule: str) -> None:
    try:
        record_delete(access=access, instance=instance, rule=rule)
    except ProtectedError as error:
        raise ValidationError(_protected_message(str(instance._meta.verbose_name), error)) from error


# --- CLTs -----------------------------------------------------------------------------------


def _clt_errors(access: Access, clt: CLT, parishes: Iterable[Parish]) -> dict[str, str]:
    errors = {}
    if clt.name and CLT.objects.filter(umbrella=access.umbrella, name__iexact=clt.name).exclude(pk=clt.pk).exists():
        errors["name"] = "A CLT with this name already exists in this umbrella."
    allowed = set(selectors.parish_choice_list(access=access).values_list("pk", flat=True))
    if any(p.pk not in allowed for p in parishes):
        errors["parishes"] = "Choose parishes of this umbrella."
    return errors


def _clt_set_parishes(*, access: Access, clt: CLT, parishes: Iterable[Parish]) -> tuple[list[str], list[str]]:
    """Make the CLT serve exactly these parishes; return the names before and after."""
    wanted = {p.pk: p for p in parishes}
    links = CLTParish.objects.filter(umbrella=access.umbrella, clt=clt).select_related("parish")
    current = {link.parish_id: link for link in links}
    before = sorted(str(link.parish) for link in current.values())
    CLTParish.objects.filter(umbrella=access.umbrella, clt=clt).exclude(parish_id__in=wanted).delete()
    CLTParish.objects.bulk_create(
        [CLTParish(umbrella=access.umbrella, clt=clt, parish=p) for pk, p in wanted.items() if pk not in current]
    )
    return before, sorted(str(p) for p in wanted.values())


def clt_create(
    *,
    access: Access,
    name: str,
    legal_form: str,
    setup_status: str = SetupStatus.ENQUIRY,
    registration_number: str = "",
    incorporated_on: date | None = None,
    membership_count: int = 0,
    contact_name: str = "",
    contact_email: str = "",
    parishes: Iterable[Parish] = (),
) -> CLT:
    require(access, MANAGE)
    parishes = list(parishes)
    clt = CLT(
        umbrella=access.umbrella,
        name=name,
        legal_form=legal_form,
        setup_status=setup_status,
        registration_number=registration_number,
        incorporated_on=incorporated_on,
        membership_count=membership_count,
        contact_name=contact_name,
        contact_email=contact_email,
    )
    _validate(clt, _clt_errors(access, clt, parishes))
    served = "; ".join(sorted(p.name for p in parishes))
    with transaction.atomic():
        record_create(
            access=access,
            instance=clt,
            rule=MANAGE,
            summary=f"Created community land trust “{clt}”" + (f", serving {served}" if served else ""),
        )
        _clt_set_parishes(access=access, clt=clt, parishes=parishes)
    return clt


def clt_update(
    *,
    access: Access,
    clt: CLT,
    name: str,
    legal_form: str,
    setup_status: str,
    registration_number: str = "",
    incorporated_on: date | None = None,
    membership_count: int = 0,
    contact_name: str = "",
    contact_email: str = "",
    parishes: Iterable[Parish] = (),
) -> CLT:
    """Change the CLT's profile (staff, or the CLT's own volunteers)."""
    _require_change(access, clt)
    parishes = list(parishes)
    before = _assign(
        clt,
        dict(
            name=name,
            legal_form=legal_form,
            setup_status=setup_status,
            registration_number=registration_number,
            incorporated_on=incorporated_on,
            membership_count=membership_count,
            contact_name=contact_name,
            contact_email=contact_email,
        ),
    )
    _validate(clt, _clt_errors(access, clt, parishes))
    with transaction.atomic():
        record_update(access=access, instance=clt, before=before, rule=CHANGE_CLT)
        old, new = _clt_set_parishes(access=access, clt=clt, parishes=parishes)
        if old != new:
            record_event(
                access=access,
                instance=clt,
                action="changed",
                summary="Changed parishes served",
                changes={"parishes served": ["; ".join(old), "; ".join(new)]},
            )
    return clt


def clt_governance_update(
    *,
    access: Access,
    clt: CLT,
    s79_defined_community: bool | None = None,
    s79_community_benefit: bool | None = None,
    s79_open_membership: bool | None = None,
    s79_member_control: bool | None = None,
    s79_asset_lock: bool | None = None,
) -> CLT:
    """Record which s79 tests the CLT's rules meet (staff, or the CLT's own volunteers).

    Each argument is one test of clts.models.S79_TESTS; one left as None is unchanged.
    """
    _require_change(access, clt)
    given = dict(
        s79_defined_community=s79_defined_community,
        s79_community_benefit=s79_community_benefit,
        s79_open_membership=s79_open_membership,
        s79_member_control=s79_member_control,
        s79_asset_lock=s79_asset_lock,
    )
    before = _assign(clt, {field: bool(value) for field, value in given.items() if value is not None})
    _validate(clt, {})
    return record_update(
        access=access, instance=clt, before=before, rule=CHANGE_CLT, summary="Changed governance checklist"
    )


def clt_delete(*, access: Access, clt: CLT) -> None:
    """Delete a CLT (staff). Refused while schemes, memberships or records depend on it."""
    _in_umbrella(access, clt)
    _delete(access=access, instance=clt, rule=MANAGE)


# --- parishes -------------------------------------------------------------------------------


def _parish_errors(access: Access, parish: Parish) -> dict[str, str]:
    taken = Parish.objects.filter(
        umbrella=access.umbrella, name__iexact=parish.name, district__iexact=parish.district
    ).exclude(pk=parish.pk)
    if parish.name and parish.district and taken.exists():
        return {"name": f"{parish.name} in {parish.district} is already listed."}
    return {}


def parish_create(*, access: Access, name: str, district: str, county: str = "") -> Parish:
    require(access, MANAGE)
    parish = Parish(umbrella=access.umbrella, name=name, district=district, county=county)
    _validate(parish, _parish_errors(access, parish))
    return record_create(access=access, instance=parish, rule=MANAGE)


def parish_update(*, access: Access, parish: Parish, name: str, district: str, county: str = "") -> Parish:
    _in_umbrella(access, parish)
    require(access, MANAGE)
    before = _assign(parish, dict(name=name, district=district, county=county))
    _validate(parish, _parish_errors(access, parish))
    return record_update(access=access, instance=parish, before=before, rule=MANAGE)


def parish_delete(*, access: Access, parish: Parish) -> None:
    """Refused while a CLT serves the parish or a site lies in it."""
    _in_umbrella(access, parish)
    _delete(access=access, instance=parish, rule=MANAGE)


# --- people ---------------------------------------------------------------------------------


def _person_errors(person: Person) -> dict[str, str]:
    if person.term_start and person.term_end and person.term_end < person.term_start:
        return {"term_end": f"The term cannot end before it starts ({person.term_start:%d %B %Y})."}
    return {}


def person_create(
    *,
    access: Access,
    clt: CLT,
    name: str,
    role: str,
    term_start: date,
    term_end: date | None = None,
    email: str = "",
    notes: str = "",
) -> Person:
    """Add a board member or volunteer to the CLT (staff, or the CLT's own volunteers)."""
    _require_change(access, clt)
    person = Person(
        umbrella=access.umbrella,
        clt=clt,
        name=name,
        email=email,
        role=role,
        term_start=term_start,
        term_end=term_end,
        notes=notes,
    )
    _validate(person, _person_errors(person))
    summary = f"Added {person.get_role_display().lower()} “{person}” to {clt}"
    return record_create(access=access, instance=person, rule=CLT_RECORD, summary=summary)


def person_update(
    *,
    access: Access,
    person: Person,
    name: str,
    role: str,
    term_start: date,
    term_end: date | None = None,
    email: str = "",
    notes: str = "",
) -> Person:
    _in_umbrella(access, person)
    _require_change(access, person.clt)
    before = _assign(
        person, dict(name=name, role=role, term_start=term_start, term_end=term_end, email=email, notes=notes)
    )
    _validate(person, _person_errors(person))
    return record_update(access=access, instance=person, before=before, rule=CLT_RECORD)


def person_delete(*, access: Access, person: Person) -> None:
    _in_umbrella(access, person)
    _require_change(access, person.clt)
    _delete(access=access, instance=person, rule=CLT_RECORD)


# --- advice and training --------------------------------------------------------------------


def _advice_session_errors(access: Access, session: AdviceSession, *, giver_changed: bool) -> dict[str, str]:
    # A giver who has since left the umbrella may stay on an old session; a new choice must be
    # one of the umbrella's admins or staff now.
    from schemes.costs.services import advice_time_problems

    if giver_changed and session.given_by_id is not None:
        if not selectors.advice_giver_list(access=access).filter(pk=session.given_by_id).exists():
            return {"given_by": "Choose a member of this umbrella's staff."}
    return advice_time_problems(access=access, session=session)


def advice_session_create(
    *,
    access: Access,
    clt: CLT,
    given_on: date,
    topic: str,
    hours: Decimal,
    given_by: User,
    attendees: str = "",
    notes: str = "",
    staff_role=None,
) -> AdviceSession:
    """Record advice or training the umbrella gave a CLT (staff).

    The single place an advice session comes into being: the cost recoupment work extends this
    to record the giver's time as a cost entry against the CLT (hours times the role's rate on
    that date), inside the same transaction.
    """
    require(access, MANAGE)
    _in_umbrella(access, clt)
    session = AdviceSession(
        umbrella=access.umbrella,
        clt=clt,
        given_on=given_on,
        topic=topic,
        hours=hours,
        given_by=given_by,
        attendees=attendees,
        notes=notes,
        staff_role=staff_role,
    )
    with transaction.atomic():
        _hold_giver(session)
        _validate(session, _advice_session_errors(access, session, giver_changed=True))
        summary = f"Recorded advice session “{session}” for {clt}"
        record_create(access=access, instance=session, rule=MANAGE, summary=summary)
        _advice_costs(access, session)
    return session


def _hold_giver(session: AdviceSession) -> None:
    """A costed session's time is the giver's: hold them while their day is checked and saved."""
    from schemes.costs.services import hold_time_of

    hold_time_of([session.given_by_id] if session.staff_role_id else [])


def _advice_costs(access: Access, session: AdviceSession) -> None:
    """The giver's time as a cost entry (cost entries live in schemes, imported here only)."""
    if session.staff_role_id is not None and session.staff_role.umbrella_id != access.umbrella.pk:
        raise PermissionDenied("Not in this umbrella.")
    from schemes.costs.services import advice_session_costs_sync

    advice_session_costs_sync(access=access, session=session)


def advice_session_update(
    *,
    access: Access,
    advice_session: AdviceSession,
    given_on: date,
    topic: str,
    hours: Decimal,
    given_by: User,
    attendees: str = "",
    notes: str = "",
    staff_role=None,
) -> AdviceSession:
    require(access, MANAGE)
    _in_umbrella(access, advice_session)
    giver_changed = given_by.pk != advice_session.given_by_id
    before = _assign(
        advice_session,
        dict(
            given_on=given_on,
            topic=topic,
            hours=hours,
            given_by=given_by,
            attendees=attendees,
            notes=notes,
            staff_role=staff_role,
        ),
    )
    with transaction.atomic():
        _hold_giver(advice_session)
        _validate(advice_session, _advice_session_errors(access, advice_session, giver_changed=giver_changed))
        record_update(access=access, instance=advice_session, before=before, rule=MANAGE)
        _advice_costs(access, advice_session)
    return advice_session


def advice_session_delete(*, access: Access, advice_session: AdviceSession) -> None:
    _in_umbrella(access, advice_session)
    from schemes.costs.services import advice_session_costs_delete

    with transaction.atomic():
        advice_session_costs_delete(access=access, session=advice_session)
        _delete(access=access, instance=advice_session, rule=MANAGE)


# --- revenue grants -------------------------------------------------------------------------


def _revenue_grant_errors(grant: RevenueGrant) -> dict[str, str]:
    errors = {}
    if grant.amount_awarded is not None and grant.status != GrantStatus.AWARDED:
        errors["amount_awarded"] = (
            "Only an awarded grant has an amount awarded: clear the amount, or set the status to Awarded."
        )
    elif grant.status == GrantStatus.AWARDED and grant.amount_awarded is None:
        errors["amount_awarded"] = "Give the amount awarded."
    if grant.submitted_on and grant.decision_on and grant.decision_on < grant.submitted_on:
        errors["decision_on"] = (
            f"The decision cannot come before the application was submitted ({grant.submitted_on:%d %B %Y})."
        )
    return errors


def revenue_grant_create(
    *,
    access: Access,
    clt: CLT,
    funder: str,
    amount_requested: Decimal,
    status: str = GrantStatus.DRAFTING,
    programme: str = "",
    amount_awarded: Decimal | None = None,
    submitted_on: date | None = None,
    decision_on: date | None = None,
    conditions: str = "",
) -> RevenueGrant:
    """Record a revenue grant application by the CLT (staff)."""
    require(access, MANAGE)
    _in_umbrella(access, clt)
    grant = RevenueGrant(
        umbrella=access.umbrella,
        clt=clt,
        funder=funder,
        programme=programme,
        amount_requested=amount_requested,
        amount_awarded=amount_awarded,
        status=status,
        submitted_on=submitted_on,
        decision_on=decision_on,
        conditions=conditions,
    )
    _validate(grant, _revenue_grant_errors(grant))
    summary = f"Recorded revenue grant “{grant}” for {clt}"
    return record_create(access=access, instance=grant, rule=MANAGE, summary=summary)


def revenue_grant_update(
    *,
    access: Access,
    revenue_grant: RevenueGrant,
    funder: str,
    amount_requested: Decimal,
    status: str,
    programme: str = "",
    amount_awarded: Decimal | None = None,
    submitted_on: date | None = None,
    decision_on: date | None = None,
    conditions: str = "",
) -> RevenueGrant:
    require(access, MANAGE)
    _in_umbrella(access, revenue_grant)
    before = _assign(
        revenue_grant,
        dict(
            funder=funder,
            programme=programme,
            amount_requested=amount_requested,
            amount_awarded=amount_awarded,
            status=status,
            submitted_on=submitted_on,
            decision_on=decision_on,
            conditions=conditions,
        ),
    )
    _validate(revenue_grant, _revenue_grant_errors(revenue_grant))
    return record_update(access=access, instance=revenue_grant, before=before, rule=MANAGE)


def revenue_grant_delete(*, access: Access, revenue_grant: RevenueGrant) -> None:
    _in_umbrella(access, revenue_grant)
    _delete(access=access, instance=revenue_grant, rule=MANAGE)


# --- AGMs -----------------------------------------------------------------------------------


def _agm_errors(agm: AGM) -> dict[str, str]:
    if agm.held_on and AGM.objects.filter(clt_id=agm.clt_id, held_on=agm.held_on).exclude(pk=agm.pk).exists():
        return {"held_on": f"{agm.clt} already has an AGM on {agm.held_on:%d %B %Y}."}
    return {}


def agm_create(
    *, access: Access, clt: CLT, held_on: date, members_present: int, resolutions: str = "", notes: str = ""
) -> AGM:
    """Record an AGM (staff, or the CLT's own volunteers)."""
    _require_change(access, clt)
    agm = AGM(
        umbrella=access.umbrella,
        clt=clt,
        held_on=held_on,
        members_present=members_present,
        resolutions=resolutions,
        notes=notes,
    )
    _validate(agm, _agm_errors(agm))
    return record_create(access=access, instance=agm, rule=CLT_RECORD, summary=f"Recorded “{agm}” of {clt}")


def agm_update(
    *, access: Access, agm: AGM, held_on: date, members_present: int, resolutions: str = "", notes: str = ""
) -> AGM:
    _in_umbrella(access, agm)
    _require_change(access, agm.clt)
    before = _assign(agm, dict(held_on=held_on, members_present=members_present, resolutions=resolutions, notes=notes))
    _validate(agm, _agm_errors(agm))
    return record_update(access=access, instance=agm, before=before, rule=CLT_RECORD)


def agm_delete(*, access: Access, agm: AGM) -> None:
    _in_umbrella(access, agm)
    _require_change(access, agm.clt)
    _delete(access=access, instance=agm, rule=CLT_RECORD)
