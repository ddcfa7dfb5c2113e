"""Cost entries: reads and writes. The umbrella's own business: staff only (rule "costs.view")."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.access import Access
from accounts.models import Membership, Role, User
from accounts.records import record_create, record_create_many, record_delete, record_update, require
from clts.models import CLT
from core.csvimport import read_csv
from partnerships.organisations.models import StaffRole
from schemes.models import HOURS_A_DAY, CostEntry, CostKind, Scheme

RULE = "costs.view"


def _check(access: Access, entry: CostEntry) -> None:
    if entry.scheme is not None:
        entry.clt = entry.scheme.clt
    errors = {}
    if entry.kind == CostKind.TIME:
        for name, label in (("person", "who did the work"), ("staff_role", "their role"), ("hours", "the hours")):
            if getattr(entry, name if name == "hours" else f"{name}_id") is None:
                errors[name] = f"A time entry needs {label}."
        entry.amount = None
        entry.vat = Decimal("0")
        if (
            entry.person_id
            and not Membership.objects.active()
            .filter(umbrella=access.umbrella, user_id=entry.person_id, role__in=[Role.ADMIN, Role.STAFF])
            .exists()
        ):
            errors["person"] = "Time is recorded for the umbrella's own admins and staff."
        errors.update(time_problems(access=access, person=entry.person, on=entry.on, hours=entry.hours,
                                    exclude_pk=entry.pk))  # fmt: skip
    else:
        if entry.amount is None:
            errors["amount"] = "An expense needs its amount before VAT."
        if not entry.description:
            errors["description"] = "Say what the expense was for."
        entry.hours = None
        entry.person = entry.person if entry.person_id else None
        entry.staff_role = None
    for obj in (entry.clt if entry.clt_id else None, entry.scheme, entry.staff_role):
        if obj is not None and obj.umbrella_id != access.umbrella.pk:
            raise ValidationError("That choice is not in this umbrella.")
    if errors:
        raise ValidationError(errors)


def time_problems(*, access: Access, person, on: date | None, hours: Decimal | None, exclude_pk=None) -> dict:
    """What is wrong with `hours` of `person`'s time on `on`, by field ("on", "hours"): time is
    recorded once worked; an entry is one day's work at most; and a person's day, with what is
    recorded already (but the entry being changed), is 24 hours at most."""
    errors = {}
    if on is not None and on > timezone.localdate():
        errors["on"] = "Time is recorded once it is worked: give today's date or an earlier one."
    if hours is not None and hours > HOURS_A_DAY:
        errors["hours"] = "An entry is at most 24 hours, one day: enter longer work a day at a time."
    elif person is not None and on is not None and hours is not None:
        others = hours_on_the_day(access=access, person_id=person.pk, on=on, exclude_pk=exclude_pk)
        if others + hours > HOURS_A_DAY:
            errors["hours"] = (
                f"{person.display_name} already has {others:.2f} hours recorded on {on:%-d %b %Y}; "
                f"with these {hours:.2f} it would be {others + hours:.2f}, more than a day has."
            )
    return errors


def advice_time_problems(*, access: Access, session) -> dict:
    """The same limits for a costed advice session's time (its date is "given_on")."""
    if session.staff_role_id is None or session.given_by_id is None:
        return {}
    existing = CostEntry.objects.filter(
        umbrella=access.umbrella, source=ADVICE_SOURCE, source_id=str(session.public_id)
    ).first()
    errors = time_problems(
        access=access,
        person=session.given_by,
        on=session.given_on,
        hours=session.hours,
        exclude_pk=existing.pk if existing else None,
    )
    return {("given_on" if key == "on" else key): message for key, message in errors.items()}


def hours_on_the_day(*, access: Access, person_id: int, on: date, exclude_pk=None) -> Decimal:
    """The hours already recorded for one person on one day (but for the entry being changed)."""
    entries = CostEntry.objects.filter(umbrella=access.umbrella, kind=CostKind.TIME, person_id=person_id, on=on)
    if exclude_pk is not None:
        entries = entries.exclude(pk=exclude_pk)
    return entries.aggregate(total=Sum("hours"))["total"] or Decimal("0")


def hold_time_of(person_ids) -> None:
    """Within the caller's transaction, hold these people (their user rows, in id order) until it
    ends: two saves of one person's time at once (a double click, an import beside a form) then
    check their day one after the other, so neither misses the other's hours and a day never
    passes 24. Call it before reading their day's hours."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    if ids:
        list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def cost_entry_create(*, access: Access, entry: CostEntry) -> CostEntry:
    require(access, RULE)
    with transaction.atomic():
        hold_time_of([entry.person_id] if entry.kind == CostKind.TIME else [])
        _check(access, entry)
        return record_create(access=access, instance=entry, rule=RULE)


def cost_entry_update(*, access: Access, entry: CostEntry, before: dict) -> CostEntry:
    require(access, RULE)
    with transaction.atomic():
        hold_time_of([entry.person_id] if entry.kind == CostKind.TIME else [])
        _check(access, entry)
        return record_update(access=access, instance=entry, before=before, rule=RULE)


def cost_entry_delete(*, access: Access, entry: CostEntry) -> None:
    record_delete(access=access, instance=entry, rule=RULE)


TIMESHEET_COLUMNS = ["date", "person email", "role", "hours", "activity", "scheme", "clt"]


TIMESHEET_REQUIRED = ["date", "person email", "role", "hours"]


def timesheet_import(*, access: Access, source, progress=None, on_saved=None) -> list[CostEntry]:
    """Import a timesheet (CSV, a file or its text): every row, or none. Each bad row is reported
    by line and column (core.csvimport lists the first of them and counts the rest).

    Columns: date (YYYY-MM-DD), person email, role (a staff role's name), hours, activity, and
    either scheme (its name) or clt (its name) for work before the CLT has a scheme.
    """
    require(access, RULE)
    rows = read_csv(source, columns=TIMESHEET_COLUMNS, required=TIMESHEET_REQUIRED, progress=progress)
    problems = rows.problems
    people = {
        u.email.lower(): u
        for u in User.objects.filter(
            memberships__umbrella=access.umbrella,
            memberships__revoked_at__isnull=True,
            memberships__role__in=[Role.ADMIN, Role.STAFF],
        )
    }
    roles = {r.name.lower(): r for r in StaffRole.objects.filter(umbrella=access.umbrella)}
    schemes = {s.name.lower(): s for s in Scheme.objects.filter(umbrella=access.umbrella).select_related("clt")}
    clts = {c.name.lower(): c for c in CLT.objects.filter(umbrella=access.umbrella)}
    pending = []
    today = timezone.localdate()
    day_lines: dict[tuple[int, date], list[int]] = {}  # (person, day): the lines with time for it
    for line, row in rows:
        here = len(problems)

        def bad(column, message):
            problems.append(f"Line {line}, column “{column}”: {message}")

        try:
            on = date.fromisoformat(row.get("date", ""))
        except ValueError:
            on = None
            bad("date", f"“{row.get('date', '')}” is not a date (use YYYY-MM-DD).")
        else:
            if on > today:
                bad("date", f"{on:%-d %b %Y} is after today: time is recorded once it is worked.")
        person = people.get(row.get("person email", "").lower())
        if person is None:
            bad("person email", f"“{row.get('person email', '')}” is not a member of this umbrella's staff.")
        role = roles.get(row.get("role", "").lower())
        if role is None:
            bad(
                "role",
                f"“{row.get('role', '')}” is not one of the staff roles ({', '.join(r.name for r in roles.values()) or 'none yet'}).",
            )
        try:
            hours = Decimal(row.get("hours", ""))
            if hours <= 0 or hours > 24 or hours != hours.quantize(Decimal("0.01")):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            hours = None
            bad(
                "hours",
                f"“{row.get('hours', '')}” is not a number of hours between 0.01 and 24 (two decimals at most).",
            )
        scheme = clt = None
        if row.get("scheme"):
            scheme = schemes.get(row["scheme"].lower())
            if scheme is None:
                bad("scheme", f"no scheme called “{row['scheme']}”.")
            else:
                clt = scheme.clt
        elif row.get("clt"):
            clt = clts.get(row["clt"].lower())
            if clt is None:
                bad("clt", f"no CLT called “{row['clt']}”.")
        else:
            bad("scheme", "give the scheme, or the CLT for work before it has one.")
        if len(problems) > here:
            continue
        day_lines.setdefault((person.pk, on), []).append(line)
        pending.append(
            CostEntry(
                umbrella=access.umbrella,
                kind=CostKind.TIME,
                clt=clt,
                scheme=scheme,
                on=on,
                person=person,
                staff_role=role,
                hours=hours,
                activity=row.get("activity", "")[:300],
                source="timesheet import",
            )
        )
    with transaction.atomic():
        hold_time_of(entry.person_id for entry in pending)
        _check_days(access=access, pending=pending, day_lines=day_lines, problems=problems)
        problems.refuse()
        if not pending:
            raise ValidationError({"file": "The file has no rows to import."})
        record_create_many(access=access, instances=pending, rule=RULE, summary=lambda entry: f"Imported {entry}")
        if on_saved is not None:
            on_saved(len(pending))  # a queued import's "finished", in the same transaction
    return pending


def _check_days(*, access: Access, pending: list[CostEntry], day_lines: dict, problems) -> None:
    """No one's time on one day, this file's and what is recorded already, comes to more than 24 hours."""
    in_file: dict[tuple[int, date], Decimal] = {}
    names = {}
    for entry in pending:
        key = (entry.person_id, entry.on)
        in_file[key] = in_file.get(key, Decimal("0")) + entry.hours
        names[key] = entry.person.display_name
    if not in_file:
        return
    recorded = {
        (row["person_id"], row["on"]): row["total"]
        for row in CostEntry.objects.filter(
            umbrella=access.umbrella,
            kind=CostKind.TIME,
            person_id__in={p for p, _ in in_file},
            on__in={d for _, d in in_file},
        )
        .values("person_id", "on")
        .annotate(total=Sum("hours"))
    }
    for key, hours in sorted(in_file.items(), key=lambda kv: day_lines[kv[0]][0]):
        already = recorded.get(key, Decimal("0"))
        if already + hours > HOURS_A_DAY:
            lines = ", ".join(str(n) for n in day_lines[key])
            problems.append(
                f"Line{'s' if len(day_lines[key]) > 1 else ''} {lines}, column “hours”: {names[key]} would have "
                f"{already + hours:.2f} hours on {key[1]:%-d %b %Y} ({already:.2f} recorded already), more than a day has."
            )


def costs_move_onto_scheme(*, scheme: Scheme) -> int:
    """Costs logged against the CLT before it had a scheme move onto its first scheme."""
    return CostEntry.objects.filter(umbrella_id=scheme.umbrella_id, clt=scheme.clt, scheme__isnull=True).update(
        scheme=scheme
    )


ADVICE_SOURCE = "advice session"


def advice_session_costs_sync(*, access: Access, session) -> CostEntry | None:
    """Keep an advice session's time entry in step with it: the giver's hours at the rate of the
    staff role the session is costed as, against the CLT's one live scheme, or the CLT itself.
    A session with no staff role has no time entry."""
    from schemes.stages import Stage

    existing = CostEntry.objects.filter(
        umbrella=access.umbrella, source=ADVICE_SOURCE, source_id=str(session.public_id)
    ).first()
    if session.staff_role_id is None:
        if existing is not None:
            record_delete(access=access, instance=existing, rule=RULE)
        return None
    live = list(Scheme.objects.filter(umbrella=access.umbrella, clt=session.clt).exclude(stage=Stage.WITHDRAWN)[:2])
    entry = existing or CostEntry(kind=CostKind.TIME, source=ADVICE_SOURCE, source_id=str(session.public_id))
    before = snapshot_of(entry) if existing else None
    entry.clt = session.clt
    entry.scheme = live[0] if len(live) == 1 else None
    entry.on = session.given_on
    entry.person = session.given_by
    entry.staff_role = session.staff_role
    entry.hours = session.hours
    entry.activity = f"Advice and training: {session.get_topic_display()}"[:300]
    if existing is None:
        return record_create(access=access, instance=entry, rule=RULE, summary=f"Costed advice session {session}")
    return record_update(access=access, instance=entry, before=before, rule=RULE)


def advice_session_costs_delete(*, access: Access, session) -> None:
    for entry in CostEntry.objects.filter(
        umbrella=access.umbrella, source=ADVICE_SOURCE, source_id=str(session.public_id)
    ):
        record_delete(access=access, instance=entry, rule=RULE)


def snapshot_of(entry):
    from accounts.records import snapshot

    return snapshot(entry)
