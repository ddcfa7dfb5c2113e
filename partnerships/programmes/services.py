"""Writes for strategic partnership programmes. Every rule about programmes lives here.

Each service checks the rule ("partners.manage"), checks that every record it links to is of the
same umbrella and programme (a posted foreign id never gets this far past the forms, but the
service does not trust that), validates, saves through accounts.records (which leaves the change
history) and notes the change on the programme's own history too.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.access import Access, second_check
from accounts.records import record_create, record_event, record_update, require, snapshot
from core import documents
from core.pdf import SafeURLFetcher, render_pdf, write_private_file
from partnerships.programmes.models import (
    CASE_STUDY_IN_PROGRESS,
    AgreementParty,
    CaseStudy,
    CaseStudyStatus,
    Commitment,
    Engagement,
    EngagementAttendee,
    EngagementReschedule,
    ExemplarSite,
    Organisation,
    OrganisationKind,
    Programme,
    ProgrammeAgreement,
    ProgrammeAgreementKind,
    ProgrammeAgreementStatus,
    ProgrammeMember,
    Representative,
)

RULE = "partners.manage"


def _same_umbrella(access: Access, *objs) -> None:
    for obj in objs:
        if obj is not None and obj.umbrella_id != access.umbrella.pk:
            raise ValidationError("That choice is not in this umbrella.")


def _note_on_programme(access: Access, programme: Programme, summary: str) -> None:
    record_event(access=access, instance=programme, action="changed", summary=summary)


# --- organisations ---------------------------------------------------------------------------


def _check_organisation(access: Access, organisation: Organisation) -> None:
    require(access, RULE)
    ha = organisation.housing_association if organisation.housing_association_id else None
    _same_umbrella(access, ha)
    if ha is not None and organisation.kind != OrganisationKind.HOUSING_ASSOCIATION:
        raise ValidationError({"housing_association": "Only a housing association links to a partner HA."})


def organisation_create(*, access: Access, organisation: Organisation) -> Organisation:
    _check_organisation(access, organisation)
    return record_create(access=access, instance=organisation, rule=RULE)


def organisation_update(*, access: Access, organisation: Organisation, before: dict) -> Organisation:
    _check_organisation(access, organisation)
    return record_update(access=access, instance=organisation, before=before, rule=RULE)


# --- programmes ------------------------------------------------------------------------------


def _check_programme(access: Access, programme: Programme) -> None:
    require(access, RULE)
    lead = programme.lead_authority if programme.lead_authority_id else None
    _same_umbrella(access, lead)
    errors = {}
    if lead is not None and lead.kind != OrganisationKind.LOCAL_AUTHORITY:
        errors["lead_authority"] = f"{lead} is not a local authority."
    if programme.starts_on and programme.ends_on and programme.ends_on < programme.starts_on:
        errors["ends_on"] = "The programme must end on or after the day it starts."
    if programme.funding_amount is not None and programme.funding_amount < 0:
        errors["funding_amount"] = "Funding cannot be negative."
    if errors:
        raise ValidationError(errors)


def programme_create(*, access: Access, programme: Programme) -> Programme:
    _check_programme(access, programme)
    return record_create(access=access, instance=programme, rule=RULE)


def programme_update(*, access: Access, programme: Programme, before: dict) -> Programme:
    _check_programme(access, programme)
    return record_update(access=access, instance=programme, before=before, rule=RULE)


# --- records of a programme ----------------------------------------------------------------


def _in_programme(programme: Programme, *members, field: str = "member") -> None:
    for member in members:
        if member is not None and member.programme_id != programme.pk:
            raise ValidationError({field: f"{member} is not a member of {programme}."})


def _check_record(access: Access, record) -> Programme:
    """The shared checks of a record that hangs off a programme; returns the programme."""
    require(access, RULE)
    programme = record.member.programme if isinstance(record, Representative) else record.programme
    _same_umbrella(access, programme)
    if isinstance(record, ProgrammeMember):
        _same_umbrella(access, record.organisation)
    elif isinstance(record, Representative):
        _same_umbrella(access, record.member)
    elif isinstance(record, Commitment):
        _in_programme(programme, record.member if record.member_id else None)
        if record.committed_on and record.due_on and record.due_on < record.committed_on:
            raise ValidationError({"due_on": "It cannot be due before it was committed to."})
    elif isinstance(record, ExemplarSite):
        if record.site_id and record.site.umbrella_id != access.umbrella.pk:
            raise ValidationError({"site": "That site is not in this umbrella."})
        _in_programme(programme, record.proposed_by if record.proposed_by_id else None, field="proposed_by")
    elif isinstance(record, ProgrammeAgreement):
        if (
            record.status == ProgrammeAgreementStatus.SIGNED
            and record.kind != ProgrammeAgreementKind.SPV
            and not record.signed_on
        ):
            raise ValidationError({"signed_on": "Give the date it was signed."})
    return programme


def _label(record) -> str:
    return f"{record._meta.verbose_name} “{record}”"


def programme_record_create(*, access: Access, record, attendees=None, parties=None):
    """Add a member, representative, engagement, commitment, agreement, exemplar site, next
    step, lesson or quote to a programme."""
    programme = _check_record(access, record)
    with transaction.atomic():
        record_create(access=access, instance=record, rule=RULE)
        if attendees is not None:
            _set_attendees(access, programme, record, attendees)
        if parties is not None:
            _set_parties(access, programme, record, parties)
        _note_on_programme(access, programme, f"Added {_label(record)}")
    return record


def programme_record_update(*, access: Access, record, before: dict, attendees=None, parties=None):
    programme = _check_record(access, record)
    with transaction.atomic():
        record_update(access=access, instance=record, before=before, rule=RULE)
        changed = False
        if attendees is not None:
            changed |= _set_attendees(access, programme, record, attendees)
        if parties is not None:
            changed |= _set_parties(access, programme, record, parties)
        if changed or snapshot(record) != before:
            _note_on_programme(access, programme, f"Changed {_label(record)}")
    return record


def _set_attendees(access: Access, programme: Programme, engagement: Engagement, attendees) -> bool:
    wanted = {r.pk: r for r in attendees}
    for r in wanted.values():
        _same_umbrella(access, r)
        if r.member.programme_id != programme.pk:
            raise ValidationError({"attendees": f"{r.name} does not represent a member of {programme}."})
    current = set(EngagementAttendee.objects.filter(engagement=engagement).values_list("representative_id", flat=True))
    EngagementAttendee.objects.filter(engagement=engagement).exclude(representative_id__in=wanted).delete()
    EngagementAttendee.objects.bulk_create(
        [
            EngagementAttendee(umbrella=access.umbrella, engagement=engagement, representative=r)
            for pk, r in wanted.items()
            if pk not in current
        ]
    )
    if current != set(wanted):
        record_event(
            access=access,
            instance=engagement,
            action="changed",
            summary="Attendees: " + (", ".join(sorted(r.name for r in wanted.values())) or "none"),
        )
        return True
    return False


def _set_parties(access: Access, programme: Programme, agreement: ProgrammeAgreement, parties) -> bool:
    wanted = {m.pk: m for m in parties}
    for m in wanted.values():
        _same_umbrella(access, m)
        _in_programme(programme, m, field="parties")
    current = set(AgreementParty.objects.filter(agreement=agreement).values_list("member_id", flat=True))
    AgreementParty.objects.filter(agreement=agreement).exclude(member_id__in=wanted).delete()
    AgreementParty.objects.bulk_create(
        [
            AgreementParty(umbrella=access.umbrella, agreement=agreement, member=m)
            for pk, m in wanted.items()
            if pk not in current
        ]
    )
    if current != set(wanted):
        record_event(
            access=access,
            instance=agreement,
            action="changed",
            summary="Parties: " + (", ".join(sorted(str(m) for m in wanted.values())) or "none"),
        )
        return True
    return False


def engagement_reschedule(
    *, access: Access, engagement: Engagement, new_date: date, reason: str
) -> EngagementReschedule:
    """Move an engagement to another date, keeping the original date and the reason."""
    require(access, RULE)
    _same_umbrella(access, engagement)
    if new_date == engagement.held_on:
        raise ValidationError({"new_date": "That is the date it is already on."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why it was moved."})
    move = EngagementReschedule(
        engagement=engagement, original_date=engagement.held_on, new_date=new_date, reason=reason.strip()
    )
    with transaction.atomic():
        record_create(
            access=access,
            instance=move,
            rule=RULE,
            summary=f"Moved {engagement.title} from {move.original_date:%d %b %Y} to {new_date:%d %b %Y}",
        )
        before = snapshot(engagement)
        engagement.held_on = new_date
        record_update(
            access=access, instance=engagement, before=before, rule=RULE, summary=f"Rescheduled: {reason.strip()}"
        )
        _note_on_programme(
            access,
            engagement.programme,
            f"Rescheduled {engagement.title} from {move.original_date:%d %b %Y} to "
            f"{new_date:%d %b %Y}: {reason.strip()}",
        )
    return move


# --- case studies ----------------------------------------------------------------------------


def case_study_request(*, access: Access, programme: Programme) -> tuple[CaseStudy, bool]:
    """Ask for a case-study PDF. Returns (case study, created); one already queued or rendering
    for the programme is returned instead of a second (the database holds that rule too), queued
    again first if it has been unfinished for too long (its worker died)."""
    require(access, RULE)
    if programme.umbrella_id != access.umbrella.pk:
        raise PermissionDenied("Not in this umbrella.")
    existing = CaseStudy.objects.filter(programme=programme, status__in=CASE_STUDY_IN_PROGRESS).first()
    if existing:
        from partnerships.programmes.tasks import CASE_STUDY

        documents.revive(CASE_STUDY, existing, user_id=access.user.pk)
        return existing, False
    try:
        with transaction.atomic():
            case_study = CaseStudy.objects.create(
                umbrella=access.umbrella, programme=programme, requested_by=access.user
            )
            record_event(access=access, instance=programme, action="requested", summary="Asked for a case-study PDF")
    except IntegrityError:
        existing = CaseStudy.objects.filter(programme=programme, status__in=CASE_STUDY_IN_PROGRESS).first()
        if existing:
            return existing, False
        raise
    _enqueue(case_study)
    return case_study, True


def _enqueue(case_study: CaseStudy) -> None:
    """Queue the PDF (core.documents); QueueUnavailable when the queue cannot be reached."""
    from partnerships.programmes.tasks import CASE_STUDY

    documents.enqueue(CASE_STUDY, case_study)


def case_study_context(*, access: Access, programme: Programme) -> dict:
    from partnerships.programmes import selectors as sel

    return {
        "programme": programme,
        "umbrella": access.umbrella,
        "glance": sel.programme_at_a_glance(access=access, programme=programme),
        "members": sel.member_list(access=access, programme=programme),
        "engagements": sel.engagement_list(access=access, programme=programme),
        "commitments": sel.commitment_list(access=access, programme=programme),
        "agreements": sel.agreement_list(access=access, programme=programme),
        "exemplar_sites": sel.exemplar_site_list(access=access, programme=programme),
        "next_steps": sel.next_step_list(access=access, programme=programme),
        "lessons": sel.lesson_list(access=access, programme=programme),
        "quotes": sel.quote_list(access=access, programme=programme),
        "generated_on": timezone.localdate(),
    }


def case_study_render(*, access: Access, case_study: CaseStudy) -> CaseStudy:
    """Draw the PDF and store it privately (called by the task)."""
    programme = case_study.programme
    second_check(programme.umbrella_id == access.umbrella.pk)
    html = render_to_string(
        "partnerships/programmes/case_study_pdf.html", case_study_context(access=access, programme=programme)
    )
    pdf = render_pdf(html, SafeURLFetcher())
    path = write_private_file(
        f"{access.umbrella.pk}/case-studies/{programme.public_id}/{case_study.public_id}.pdf", pdf
    )
    CaseStudy.objects.filter(pk=case_study.pk, status=CaseStudyStatus.RENDERING).update(
        status=CaseStudyStatus.READY, file_path=path, failure_reason="", rendered_at=timezone.now()
    )
    case_study.refresh_from_db()
    return case_study
