"""Writes of applicants and nomination lists, and the privacy rules: every view of an applicant is
logged, a subject-access export, erasure (the ranking history keeps a reference) and the retention
rule; a nomination list agreed by the panel is frozen and its PDF and CSV made by a task."""

import csv
import io
import json
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.access import Access
from accounts.models import AuditEvent
from accounts.records import record_create, record_event, record_update, require, snapshot
from clts.allocations.selectors import agreed_policy_for
from core import documents
from schemes.allocations.models import (
    NOMINATION_IN_PROGRESS,
    Applicant,
    ApplicantStatus,
    ApplicantView,
    Connection,
    NominationEntry,
    NominationList,
    NominationStatus,
)
from schemes.allocations.ranking import ranking_for, settle_ties
from schemes.allocations.selectors import nomination_entries, require_panel, view_log
from schemes.models import Scheme


def log_views(*, access: Access, applicants, context: str) -> None:
    """Every sight of an applicant's personal data leaves a line: who, when, where."""
    ApplicantView.objects.bulk_create(
        [
            ApplicantView(
                umbrella=access.umbrella,
                applicant=a,
                reference=a.reference,
                viewed_by=access.user,
                context=context[:200],
            )
            for a in applicants
            if a is not None
        ]
    )


def _save_connections(*, access: Access, applicant: Applicant, connections: list[dict]) -> None:
    """Replace the applicant's connections. A newly ticked "checked" records who and when; an
    unchanged one keeps who checked it first."""
    existing = {c.kind: c for c in applicant.connections.all()}
    keep = set()
    for data in connections:
        kind = data["kind"]
        keep.add(kind)
        connection = existing.get(kind) or Connection(umbrella=access.umbrella, applicant=applicant, kind=kind)
        was_checked = connection.checked
        for name in ("parish", "district", "years", "hours", "evidence", "checked"):
            setattr(connection, name, data.get(name))
        connection.district = connection.district or ""
        if connection.checked and not was_checked:
            connection.checked_by, connection.checked_at = access.user, timezone.now()
        elif not connection.checked:
            connection.checked_by, connection.checked_at = None, None
        connection.full_clean(exclude=["applicant"])
        connection.save()
    Connection.objects.filter(applicant=applicant).exclude(kind__in=keep).delete()


def _validate_connections(connections: list[dict]) -> None:
    if not connections:
        raise ValidationError("Record at least one local connection, with its evidence.")
    for data in connections:
        if not (data.get("evidence") or "").strip():
            raise ValidationError(
                {
                    f"{data['kind']}_evidence": "Say what evidence shows this connection "
                    "(for example council tax bills, a tenancy, payslips)."
                }
            )


def applicant_save(
    *, access: Access, applicant: Applicant, connections: list[dict], before: dict | None = None
) -> Applicant:
    """Create or change an applicant and their connections, all or nothing."""
    require(access, "applicants.manage")
    require_panel(access, applicant.scheme)
    policy = agreed_policy_for(access=access, clt=applicant.scheme.clt)
    if policy is None:
        raise ValidationError(
            f"{applicant.scheme.clt.name} has no agreed allocation policy yet: agree one before recording applicants."
        )
    if applicant.need_band not in {b.position for b in policy.bands.all()}:
        raise ValidationError({"need_band": "Choose a band of the agreed policy."})
    _validate_connections(connections)
    with transaction.atomic():
        if before is None:
            record_create(
                access=access,
                instance=applicant,
                rule="applicants.manage",
                summary=f"Recorded applicant {applicant.reference}",
            )
        else:
            record_update(
                access=access,
                instance=applicant,
                before=before,
                rule="applicants.manage",
                summary=f"Changed applicant {applicant.reference}",
            )
        _save_connections(access=access, applicant=applicant, connections=connections)
        Applicant.objects.filter(pk=applicant.pk).update(updated_at=timezone.now())
    return applicant


def subject_access_export(*, access: Access, applicant: Applicant) -> str:
    """Everything held about the person, as JSON: their record, connections and evidence, the
    nomination lists they are on, and who has looked at their record."""
    require(access, "applicants.manage")
    require_panel(access, applicant.scheme)
    log_views(access=access, applicants=[applicant], context="subject access export")
    record_event(
        access=access, instance=applicant, action="exported", summary=f"Subject access export of {applicant.reference}"
    )
    data = {
        "exported_at": timezone.now().isoformat(),
        "exported_by": access.user.email,
        "controller": access.umbrella.name,
        "applicant": {
            **snapshot(applicant),
            "reference": applicant.reference,
            "scheme": applicant.scheme.name,
            "CLT": applicant.scheme.clt.name,
        },
        "connections": [
            {
                "connection": c.get_kind_display(),
                "place": c.place,
                "years": c.years,
                "hours a week": c.hours,
                "evidence": c.evidence,
                "evidence checked": c.checked,
                "checked by": (c.checked_by.get_full_name() or c.checked_by.email) if c.checked_by else None,
                "checked at": c.checked_at.isoformat() if c.checked_at else None,
            }
            for c in applicant.connections.all()
        ],
        "nomination lists": [
            {
                "list": str(e.nomination_list),
                "for": f"the re-let of {e.nomination_list.vacancy.home}"
                if e.nomination_list.vacancy_id
                else "the scheme's homes",
                "agreed at": e.nomination_list.agreed_at.isoformat(),
                "rank": f"{e.rank}{'=' if e.tied else ''}",
                "tier": e.tier,
                "band": e.band,
                "reasons": e.reasons,
            }
            for e in applicant.nominations.select_related(
                "nomination_list", "nomination_list__scheme", "nomination_list__vacancy__home"
            ).order_by("nomination_list__number")
        ],
        "homes let": [
            {
                "home": str(let.home),
                "scheme": let.home.scheme.name,
                "from": let.started_on.isoformat(),
                "to": let.ended_on.isoformat() if let.ended_on else None,
            }
            for let in applicant.lets.select_related("home__scheme").order_by("started_on")
        ],
        "record viewed": [
            {
                "at": v.viewed_at.isoformat(),
                "by": v.viewed_by.email if v.viewed_by else "(account removed)",
                "where": v.context,
            }
            for v in view_log(access=access, applicant=applicant)
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def applicant_erase(*, access: Access | None, applicant: Applicant, reason: str) -> str:
    """Erase the person: delete the record and connections, scrub their change history, keep the
    nomination entries and view-log lines under the reference. Lists they were on are redrawn
    without the name. `access` is None for the retention task (acting as the umbrella)."""
    if access is not None:
        require(access, "applicants.manage")
        require_panel(access, applicant.scheme)
    reference = applicant.reference
    lists = list(NominationList.objects.filter(entries__applicant=applicant).distinct())
    with transaction.atomic():
        connection_ids = [str(c.public_id) for c in applicant.connections.all()]
        AuditEvent.objects.filter(
            umbrella_id=applicant.umbrella_id, object_type="applicant", object_id=str(applicant.public_id)
        ).update(summary=f"Applicant {reference} (erased)", changes={})
        AuditEvent.objects.filter(
            umbrella_id=applicant.umbrella_id, object_type="connection", object_id__in=connection_ids
        ).update(summary=f"Connection of {reference} (erased)", changes={})
        scheme = applicant.scheme
        applicant.delete()  # connections cascade; entries and view lines keep the reference
        AuditEvent.objects.create(
            umbrella_id=scheme.umbrella_id,
            actor=access.user if access else None,
            action="erased",
            object_type="scheme",
            object_id=str(scheme.public_id),
            summary=f"Erased applicant {reference}: {reason}"[:500],
        )
    for nomination_list in lists:
        _redraw(nomination_list, user_id=access.user.pk if access else None)
    return reference


def erase_expired(*, today: date | None = None) -> int:
    """The retention rule: applicants not housed whose record has not changed for the umbrella's
    retention period are erased. Returns how many."""
    from accounts.models import Umbrella

    now = (
        timezone.now() if today is None else timezone.make_aware(timezone.datetime(today.year, today.month, today.day))
    )
    erased = 0
    for umbrella in Umbrella.objects.all():
        cutoff = now - timedelta(days=round(umbrella.applicant_retention_months * 365.25 / 12))
        expired = (
            Applicant.objects.filter(umbrella=umbrella, updated_at__lt=cutoff)
            .exclude(status=ApplicantStatus.HOUSED)
            .select_related("scheme")
        )
        for applicant in expired:
            applicant_erase(
                access=None,
                applicant=applicant,
                reason=f"retention period of {umbrella.applicant_retention_months} months passed",
            )
            erased += 1
    return erased


def nomination_issue(
    *,
    access: Access,
    scheme: Scheme,
    today: date | None = None,
    vacancy=None,
    places_in_tie: dict[str, int | None] | None = None,
    tie_note: str = "",
) -> NominationList:
    """The panel agrees the ranking as it stands: it is frozen into a list, and the PDF and CSV
    are made by a task. Only ranked (tiered) applicants are nominated. For a re-let, `vacancy`
    (a schemes.relets Vacancy of this scheme) ranks those who fit its home, and the list is its.

    A list is never issued with a tie left open: the panel gives each tied applicant their place
    within the tie (`places_in_tie`, by reference) and says how it decided (`tie_note`)."""
    from accounts.access import second_check
    from schemes.relets.models import Vacancy, VacancyStatus

    require(access, "nominations.issue")
    require_panel(access, scheme)
    if scheme.housing_association_id is None:
        raise ValidationError("The scheme has no housing association partner to nominate to yet.")
    home = None
    if vacancy is not None:
        second_check(vacancy.umbrella_id == access.umbrella.pk and vacancy.home.scheme_id == scheme.pk)
        if vacancy.is_filled:
            raise ValidationError(f"{vacancy.home} has been let again: there is nothing to nominate for.")
        home = vacancy.home
    ranking = ranking_for(access=access, scheme=scheme, today=today, home=home)
    if not ranking.places:
        if home is not None:
            raise ValidationError(
                f"Nobody waiting fits {home} ({home.bedrooms} bedroom{'s' if home.bedrooms != 1 else ''}) "
                "with a checked local connection: record applicants and check their evidence first."
            )
        raise ValidationError("Nobody is ranked yet: record applicants and check their evidence first.")
    settle_ties(ranking, places_in_tie=places_in_tie or {}, note=tie_note)
    being_made = NominationList.objects.filter(scheme=scheme, status__in=NOMINATION_IN_PROGRESS).first()
    if being_made is not None:
        from schemes.allocations.tasks import NOMINATION_LIST

        if documents.revive(NOMINATION_LIST, being_made, user_id=access.user.pk):
            raise ValidationError(
                f"Nomination list {being_made.number} had stopped part-way and has been started again; "
                "wait for it to finish."
            )
        raise ValidationError("A nomination list for this scheme is being made; wait for it to finish.")
    what = f" for the re-let of {home}" if home is not None else ""
    try:
        with transaction.atomic():
            number = (NominationList.objects.filter(scheme=scheme).aggregate(n=Max("number"))["n"] or 0) + 1
            nomination_list = NominationList.objects.create(
                umbrella=access.umbrella,
                scheme=scheme,
                number=number,
                policy=ranking.policy,
                vacancy=vacancy,
                agreed_by=access.user,
                agreed_at=timezone.now(),
            )
            NominationEntry.objects.bulk_create(
                [
                    NominationEntry(
                        umbrella=access.umbrella,
                        nomination_list=nomination_list,
                        applicant=p.applicant,
                        reference=p.applicant.reference,
                        position=i + 1,
                        rank=p.rank,
                        tied=p.tied,
                        tier=p.assessment.tier_label,
                        band=p.assessment.band_label,
                        registered_on=p.applicant.registered_on,
                        reasons=p.explanation,
                    )
                    for i, p in enumerate(ranking.places)
                ]
            )
            if vacancy is not None:
                Vacancy.objects.filter(pk=vacancy.pk, status=VacancyStatus.OPEN).update(
                    status=VacancyStatus.NOMINATED, updated_at=timezone.now()
                )
            record_event(
                access=access,
                instance=scheme,
                action="nominated",
                summary=f"Agreed and issued nomination list {number}{what} ({len(ranking.places)} applicants) "
                f"under policy version {ranking.policy.version}",
            )
    except IntegrityError as error:
        raise ValidationError("Another nomination list was issued at the same moment; reload the page.") from error
    _enqueue(nomination_list, user_id=access.user.pk)
    return nomination_list


def nomination_retry(*, access: Access, nomination_list: NominationList) -> NominationList:
    require(access, "nominations.issue")
    require_panel(access, nomination_list.scheme)
    if nomination_list.in_progress:
        from schemes.allocations.tasks import NOMINATION_LIST

        if not documents.revive(NOMINATION_LIST, nomination_list, user_id=access.user.pk):
            raise ValidationError("This list is being made now; wait a moment.")
        return nomination_list
    if nomination_list.status != NominationStatus.FAILED:
        raise ValidationError("Only a list that failed can be tried again.")
    NominationList.objects.filter(pk=nomination_list.pk).update(
        status=NominationStatus.QUEUED, failure_reason="", attempts=0
    )
    nomination_list.refresh_from_db()
    _enqueue(nomination_list, user_id=access.user.pk)
    return nomination_list


def _redraw(nomination_list: NominationList, *, user_id: int | None) -> None:
    """Draw an issued list's files again (after an erasure), keeping its entries. The old files go
    at once: the erased person's name is on them, and a redraw that fails or is refused (nobody
    left who may ask) must not leave it there; the list then shows failed, for staff to try again."""
    from core.pdf import delete_private_file

    delete_private_file(nomination_list.pdf_path)
    delete_private_file(nomination_list.csv_path)
    NominationList.objects.filter(pk=nomination_list.pk).update(status=NominationStatus.QUEUED, attempts=0)
    _enqueue(nomination_list, user_id=user_id)


def _enqueue(nomination_list: NominationList, *, user_id: int | None) -> None:
    """Queue the files (core.documents), asked by `user_id` (None: the umbrella's own retention
    rule); QueueUnavailable when the queue cannot be reached."""
    from schemes.allocations.tasks import NOMINATION_LIST

    documents.enqueue(NOMINATION_LIST, nomination_list, user_id=user_id)


CSV_HEADER = [
    "Rank",
    "Tied",
    "Reference",
    "Name",
    "Email",
    "Phone",
    "People in household",
    "Bedrooms needed",
    "Tenure wanted",
    "Tier",
    "Band",
    "Registered on",
    "Reasons",
]


def _entry_row(entry: NominationEntry) -> list:
    person = entry.applicant
    return [
        entry.rank,
        "yes" if entry.tied else "",
        entry.reference,
        person.name if person else "(erased)",
        person.email if person else "",
        person.phone if person else "",
        person.household_size if person else "",
        person.bedrooms_needed if person else "",
        (person.get_tenure_wanted_display() or "Any") if person else "",
        entry.tier,
        entry.band,
        entry.registered_on.isoformat(),
        entry.reasons,
    ]


def nomination_render(*, access: Access, nomination_list: NominationList) -> None:
    """Draw the PDF and the CSV and store them privately (called by the task, with the access of
    the person who asked)."""
    from core.csvexport import BOM, csv_safe
    from core.pdf import SafeURLFetcher, render_pdf, write_private_file

    entries = list(nomination_entries(access=access, nomination_list=nomination_list))
    scheme = nomination_list.scheme
    html = render_to_string(
        "schemes/allocations/nomination_pdf.html",
        {
            "nl": nomination_list,
            "scheme": scheme,
            "entries": entries,
            "umbrella": nomination_list.umbrella,
            "policy": nomination_list.policy,
            "generated_on": timezone.localdate(),
        },
    )
    pdf = render_pdf(html, SafeURLFetcher())
    out = io.StringIO()
    out.write(BOM)  # as every CSV we write: a spreadsheet then reads it as UTF-8
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for entry in entries:
        writer.writerow([csv_safe(cell) for cell in _entry_row(entry)])
    base = f"{nomination_list.umbrella_id}/nominations/{scheme.public_id}/{nomination_list.public_id}"
    pdf_path = write_private_file(f"{base}.pdf", pdf)
    csv_path = write_private_file(f"{base}.csv", out.getvalue().encode("utf-8"))
    NominationList.objects.filter(pk=nomination_list.pk, status=NominationStatus.RENDERING).update(
        status=NominationStatus.READY,
        pdf_path=pdf_path,
        csv_path=csv_path,
        failure_reason="",
        rendered_at=timezone.now(),
    )
