"""Writes of homes, vacancies and lets. Staff record a scheme's homes; the scheme's HA team (or
staff) records that a home falls vacant, which asks the CLT's allocation panel for a nomination,
and then whom it let the home to, from the list the panel issued for it (schemes.allocations
nomination_issue with the vacancy).

Each `*_problems` function says what is wrong, by field; the forms ask it too, so that every
problem shows at once, and the service asks again before it writes.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.access import Access, second_check
from accounts.records import record_create, record_event, record_update, require
from clts.allocations.selectors import agreed_policy_for
from schemes.allocations.models import ApplicantStatus, NominationEntry, NominationStatus
from schemes.models import Lease
from schemes.relets.models import Home, Let, Vacancy, VacancyStatus

#: How far ahead a vacancy may be recorded (a tenant's notice, a planned move).
NOTICE_AHEAD = timedelta(days=183)


def _day(d: date) -> str:
    return f"{d:%-d %B %Y}"


def home_save(*, access: Access, home: Home, before: dict | None = None, let_since: date | None = None) -> Home:
    """Create or change a home of a scheme. `let_since` (a new home only) records the tenancy it
    already has, begun before it was recorded here."""
    require(access, "relets.manage_homes")
    second_check(home.scheme.umbrella_id == access.umbrella.pk)
    errors = {}
    if let_since is not None and let_since > timezone.localdate():
        errors["let_since"] = "A tenancy that has begun cannot start in the future."
    if Home.objects.filter(scheme=home.scheme, name__iexact=home.name.strip()).exclude(pk=home.pk).exists():
        errors["name"] = f"{home.scheme} already has a home called “{home.name.strip()}”."
    if errors:
        raise ValidationError(errors)
    home.name = home.name.strip()
    try:
        with transaction.atomic():
            if before is None:
                record_create(
                    access=access, instance=home, rule="relets.manage_homes", summary=f"Added the home {home}"
                )
                if let_since is not None:
                    Let.objects.create(
                        umbrella=access.umbrella,
                        home=home,
                        started_on=let_since,
                        note="Let before the home was recorded in Fieldgate.",
                        recorded_by=access.user,
                    )
            else:
                record_update(access=access, instance=home, before=before, rule="relets.manage_homes")
    except IntegrityError as error:
        raise ValidationError({"name": f"{home.scheme} already has a home called “{home.name}”."}) from error
    return home


def vacancy_problems(*, access: Access, home: Home, vacant_from: date | None, today: date) -> dict[str, str]:
    """What stops `home` being recorded vacant from `vacant_from`."""
    scheme = home.scheme
    errors: dict[str, str] = {}
    if not home.is_let_tenure:
        errors["__all__"] = (
            f"{home} is {home.get_tenure_display().lower()}: it is resold, not re-let through a nomination."
        )
        return errors
    if scheme.housing_association_id is None:
        errors["__all__"] = f"{scheme} has no housing association partner to let the home."
        return errors
    if agreed_policy_for(access=access, clt=scheme.clt) is None:
        errors["__all__"] = (
            f"{scheme.clt} has no agreed allocation policy, so nobody can be ranked for a re-let. "
            "The umbrella's staff agree one with the CLT first; nothing was recorded."
        )
        return errors
    unfilled = Vacancy.objects.filter(home=home).exclude(status=VacancyStatus.LET).first()
    if unfilled is not None:
        errors["__all__"] = f"{home} is already recorded vacant from {_day(unfilled.vacant_from)}."
        return errors
    if vacant_from is not None:
        lease = Lease.objects.filter(scheme=scheme).first()
        last = Let.objects.filter(home=home).order_by("-started_on").first()
        if lease is not None and lease.start_on and vacant_from < lease.start_on:
            errors["vacant_from"] = f"The home cannot be vacant before the lease starts ({_day(lease.start_on)})."
        elif last is not None and vacant_from <= last.started_on:
            errors["vacant_from"] = (
                f"The current tenancy began on {_day(last.started_on)}: the home falls vacant after that."
            )
        elif vacant_from > today + NOTICE_AHEAD:
            errors["vacant_from"] = "Record a vacancy at most six months ahead."
    return errors


def vacancy_record(*, access: Access, home: Home, vacant_from: date, notes: str = "") -> Vacancy:
    """The HA's request for a nomination: the home is vacant from `vacant_from` (its tenancy, if
    one is running, ends that day). The panel and staff are told."""
    scheme = home.scheme
    require(access, "relets.report_for_scheme", scheme)
    errors = vacancy_problems(access=access, home=home, vacant_from=vacant_from, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            vacancy = record_create(
                access=access,
                instance=Vacancy(home=home, vacant_from=vacant_from, notes=notes.strip(), reported_by=access.user),
                rule="relets.report",  # the scheme was checked above
                summary=f"{home} vacant from {_day(vacant_from)}: a nomination asked for",
            )
            Let.objects.filter(home=home, ended_on__isnull=True).update(ended_on=vacant_from, updated_at=timezone.now())
    except IntegrityError as error:
        raise ValidationError(f"{home} was recorded vacant at the same moment; reload the page.") from error
    transaction.on_commit(lambda: _notify(vacancy, access))
    return vacancy


def _notify(vacancy: Vacancy, access: Access) -> None:
    from kombu.exceptions import OperationalError

    from schemes.relets.tasks import notify_vacancy

    try:
        notify_vacancy.apply_async(args=[vacancy.pk, access.user.pk], retry=False)
    except OperationalError:  # the queue is away: the reminders name open vacancies too
        pass


def let_problems(
    *, vacancy: Vacancy, started_on: date | None, entry: NominationEntry | None, outside_reason: str, today: date
) -> dict[str, str]:
    """What stops recording that the vacancy's home was let on `started_on`, to the nominee of
    `entry`, or outside the list for `outside_reason`."""
    errors: dict[str, str] = {}
    if vacancy.is_filled:
        errors["__all__"] = "This vacancy has been let already."
        return errors
    if entry is None and not outside_reason.strip():
        errors["nominee"] = "Choose the household from the nomination list, or say why it was let outside it."
    if entry is not None:
        if entry.nomination_list.vacancy_id != vacancy.pk or entry.nomination_list.status != NominationStatus.READY:
            errors["nominee"] = "Choose a household from a nomination list issued for this home."
        elif entry.applicant is None:
            errors["nominee"] = f"{entry.reference} has been erased: their record can no longer be let to."
        elif entry.applicant.status != ApplicantStatus.WAITING:
            errors["nominee"] = (
                f"{entry.reference} is no longer waiting ({entry.applicant.get_status_display().lower()})."
            )
        if outside_reason.strip():
            errors["outside_reason"] = "Give a reason only when the home was let to someone not on the list."
    if started_on is not None:
        if started_on < vacancy.vacant_from:
            errors["started_on"] = f"The tenancy cannot start before the home is vacant ({_day(vacancy.vacant_from)})."
        elif started_on > today:
            errors["started_on"] = "Record the let once the tenancy has started: it cannot be in the future."
    return errors


def let_record(
    *,
    access: Access,
    vacancy: Vacancy,
    started_on: date,
    entry: NominationEntry | None = None,
    outside_reason: str = "",
) -> Let:
    """The home is let again: to a nominee of the list issued for it (who is then housed), or to
    someone not on it, with the reason (the s106's cascade, say), who is recorded without a name."""
    home = vacancy.home
    require(access, "relets.report_for_scheme", home.scheme)
    errors = let_problems(
        vacancy=vacancy, started_on=started_on, entry=entry, outside_reason=outside_reason, today=timezone.localdate()
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        if locked.is_filled:
            raise ValidationError("This vacancy has just been let by someone else; reload the page.")
        applicant = entry.applicant if entry is not None else None
        let = Let.objects.create(
            umbrella=access.umbrella,
            home=home,
            vacancy=vacancy,
            nomination_entry=entry,
            applicant=applicant,
            reference=entry.reference if entry is not None else "",
            started_on=started_on,
            note=f"Let outside the nomination list: {outside_reason.strip()}" if entry is None else "",
            recorded_by=access.user,
        )
        Vacancy.objects.filter(pk=vacancy.pk).update(status=VacancyStatus.LET, updated_at=timezone.now())
        if applicant is not None:
            type(applicant).objects.filter(pk=applicant.pk).update(
                status=ApplicantStatus.HOUSED, updated_at=timezone.now()
            )
            record_event(
                access=access, instance=applicant, action="housed", summary=f"Housed in {home} from {_day(started_on)}"
            )
        who = entry.reference if entry is not None else "a household not on the list"
        record_event(access=access, instance=home, action="let", summary=f"{home} let to {who} from {_day(started_on)}")
    return let
