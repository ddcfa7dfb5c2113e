"""Applicants for a scheme, their ranking, the nomination lists issued to the HA, and the privacy
duties that come with personal data: the view log, subject-access export, erasure, retention.

Who sees what (accounts.rules): staff, and the allocation panel of the scheme's CLT, see
applicants; the HA team sees an issued (ready) nomination list of its scheme and nothing earlier;
everyone else gets 404 from these selectors.
"""

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.access import Access, second_check
from accounts.models import AuditEvent
from accounts.records import record_create, record_event, record_update, require, snapshot
from clts.allocations.models import AllocationPolicy
from clts.allocations.policies import Answer, Assessment, agreed_policy_for, assess
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
from schemes.models import Scheme
from schemes.selectors import scheme_list

# --- reads -----------------------------------------------------------------------------------


def applicant_scheme_list(*, access: Access) -> QuerySet[Scheme]:
    """Schemes whose applicants this access may see: staff all; the panel its CLTs' schemes."""
    qs = scheme_list(access=access)
    if access.is_staff:
        return qs
    if access.is_clt_volunteer and access.panel_clt_ids:
        return qs.filter(clt_id__in=access.panel_clt_ids)
    return qs.none()


def require_panel(access: Access, scheme: Scheme) -> None:
    """Writes and exports of applicants: staff, or the allocation panel of the scheme's CLT."""
    second_check(scheme.umbrella_id == access.umbrella.pk)
    if not (access.is_staff or (access.is_clt_volunteer and scheme.clt_id in access.panel_clt_ids)):
        raise PermissionDenied("Only the CLT's allocation panel and umbrella staff handle applicants.")


def applicant_list(
    *, access: Access, scheme: Scheme | None = None, status: str = "", search: str = ""
) -> QuerySet[Applicant]:
    qs = Applicant.objects.filter(umbrella=access.umbrella, scheme__in=applicant_scheme_list(access=access))
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(reference__iexact=search.strip()))
    return qs.select_related("scheme", "scheme__clt").order_by("scheme__name", "registered_on", "pk")


def _connections_prefetch():
    return Prefetch("connections", queryset=Connection.objects.select_related("parish", "checked_by").order_by("kind"))


def applicant_get(*, access: Access, public_id) -> Applicant:
    return get_object_or_404(
        applicant_list(access=access).prefetch_related(_connections_prefetch()), public_id=public_id
    )


def applicant_scheme_get(*, access: Access, public_id) -> Scheme:
    return get_object_or_404(applicant_scheme_list(access=access), public_id=public_id)


def view_log(*, access: Access, applicant: Applicant) -> QuerySet[ApplicantView]:
    return (
        ApplicantView.objects.filter(umbrella=access.umbrella, reference=applicant.reference)
        .select_related("viewed_by")
        .order_by("-viewed_at", "-pk")
    )


def answers_of(applicant: Applicant) -> list[Answer]:
    return [
        Answer(
            kind=c.kind,
            parish=c.parish,
            district=c.parish.district if c.parish else c.district,
            years=c.years,
            hours=c.hours,
            checked=c.checked,
        )
        for c in applicant.connections.all()
    ]


def allocation_summary(*, access: Access, scheme: Scheme) -> dict:
    """For the scheme's page: the CLT's agreed policy (with its rules), whether this access may
    rank and record applicants, and the nomination lists it may see."""
    from clts.allocations.policies import tier_places

    policy = agreed_policy_for(access=access, clt=scheme.clt)
    may_rank = access.is_staff or scheme.clt_id in access.panel_clt_ids
    return {
        "policy": policy,
        "tiers": [(t, tier_places(t)) for t in policy.tiers.all()] if policy else [],
        "may_rank": may_rank,
        "may_check": access.is_staff or scheme.clt_id in access.clt_ids,
        "nomination_lists": nomination_list_list(access=access, scheme=scheme),
    }


# --- the ranking -----------------------------------------------------------------------------


@dataclass
class Place:
    applicant: Applicant
    assessment: Assessment
    rank: int = 0
    tied: bool = False
    explanation: str = ""

    @property
    def key(self) -> tuple:
        a = self.assessment
        return (
            a.tier.position if a.tier else 10_000,
            a.band.position if a.band else 10_000,
            self.applicant.registered_on,
        )

    @property
    def rank_label(self) -> str:
        return f"{self.rank}{'=' if self.tied else ''}"


def _waiting(since: date, today: date) -> str:
    months = (today.year - since.year) * 12 + today.month - since.month - (today.day < since.day)
    years, months = divmod(max(months, 0), 12)
    parts = ([f"{years} year{'s' if years != 1 else ''}"] if years else []) + (
        [f"{months} month{'s' if months != 1 else ''}"] if months or not years else []
    )
    return " ".join(parts)


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _why_ahead(place: Place, below: Place) -> str:
    a, b = place.assessment, below.assessment
    other = below.applicant.reference
    if place.key[0] != below.key[0]:
        return f"Above {other} because {a.tier_phrase} comes before {b.tier_phrase}."
    if place.key[1] != below.key[1]:
        return f"Above {other} (same tier) because {a.band_phrase} is more urgent than {b.band_phrase}."
    return (
        f"Above {other} (same tier and band) because they registered earlier "
        f"({_day(place.applicant.registered_on)}, against {_day(below.applicant.registered_on)})."
    )


@dataclass
class Ranking:
    policy: AllocationPolicy
    places: list[Place]  # in a tier, in order
    not_ranked: list[Place]  # waiting but with no checked connection in any tier


def ranking_for(*, access: Access, scheme: Scheme, today: date | None = None) -> Ranking:
    """Waiting applicants ordered by tier, then band, then time waiting (registered first),
    each place explained. Equal tier, band and date registered is a tie: the same rank, shown
    as "3=". Raises ValidationError when the CLT has no agreed policy."""
    require(access, "applicants.view")
    today = today or timezone.localdate()
    policy = agreed_policy_for(access=access, clt=scheme.clt)
    if policy is None:
        raise ValidationError(
            f"{scheme.clt.name} has no agreed allocation policy, so there is nothing to rank against. Agree one first."
        )
    applicants = applicant_list(access=access, scheme=scheme, status=ApplicantStatus.WAITING).prefetch_related(
        _connections_prefetch()
    )
    places, not_ranked = [], []
    for applicant in applicants:
        place = Place(applicant, assess(policy, answers_of(applicant), applicant.need_band))
        (places if place.assessment.tier else not_ranked).append(place)
    places.sort(key=lambda p: (p.key, p.applicant.pk))  # within a tie: the order they were recorded
    for i, place in enumerate(places):
        previous = places[i - 1] if i else None
        if previous and previous.key == place.key:
            place.rank, place.tied, previous.tied = previous.rank, True, True
        else:
            place.rank = i + 1
    for i, place in enumerate(places):
        a = place.assessment
        lines = [
            f"{a.tier_phrase[0].upper()}{a.tier_phrase[1:]}: " + " ".join(a.passing_reasons),
            f"In {a.band_phrase}.",
            f"Waiting {_waiting(place.applicant.registered_on, today)} "
            f"(registered {_day(place.applicant.registered_on)}).",
        ]
        if place.tied:
            others = ", ".join(p.applicant.reference for p in places if p.key == place.key and p is not place)
            lines.append(f"Tied with {others}: same tier, band and date registered; the panel decides between them.")
        nxt = next((p for p in places[i + 1 :] if p.key != place.key), None)
        if nxt:
            lines.append(_why_ahead(place, nxt))
        place.explanation = " ".join(lines)
    for place in not_ranked:
        failed = [t.reason for r in place.assessment.tiers for t in r.tests]
        place.explanation = "No checked local connection in any tier, so not ranked. " + " ".join(failed)
    return Ranking(policy=policy, places=places, not_ranked=not_ranked)


# --- the view log ----------------------------------------------------------------------------


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


# --- applicants ------------------------------------------------------------------------------


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
                "agreed at": e.nomination_list.agreed_at.isoformat(),
                "rank": f"{e.rank}{'=' if e.tied else ''}",
                "tier": e.tier,
                "band": e.band,
                "reasons": e.reasons,
            }
            for e in applicant.nominations.select_related("nomination_list", "nomination_list__scheme")
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


# --- nomination lists ------------------------------------------------------------------------


def nomination_list_list(*, access: Access, scheme: Scheme | None = None) -> QuerySet[NominationList]:
    """Staff and the panel see every list of their schemes; the HA team only issued (ready) ones
    of the schemes it partners on."""
    qs = NominationList.objects.filter(umbrella=access.umbrella)
    if access.is_staff:
        pass
    elif access.is_clt_volunteer and access.panel_clt_ids:
        qs = qs.filter(scheme__clt_id__in=access.panel_clt_ids)
    elif access.is_ha_team:
        qs = qs.filter(scheme__housing_association_id__in=access.ha_ids, status=NominationStatus.READY)
    else:
        return qs.none()
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    return qs.select_related("scheme", "scheme__clt", "scheme__housing_association", "policy", "agreed_by")


def nomination_list_get(*, access: Access, public_id) -> NominationList:
    return get_object_or_404(nomination_list_list(access=access), public_id=public_id)


def nomination_entries(*, access: Access, nomination_list: NominationList) -> QuerySet[NominationEntry]:
    second_check(nomination_list.umbrella_id == access.umbrella.pk)
    return nomination_list.entries.select_related("applicant").order_by("position")


def nomination_issue(*, access: Access, scheme: Scheme, today: date | None = None) -> NominationList:
    """The panel agrees the ranking as it stands: it is frozen into a list, and the PDF and CSV
    are made by a task. Only ranked (tiered) applicants are nominated."""
    require(access, "nominations.issue")
    require_panel(access, scheme)
    if scheme.housing_association_id is None:
        raise ValidationError("The scheme has no housing association partner to nominate to yet.")
    ranking = ranking_for(access=access, scheme=scheme, today=today)
    if not ranking.places:
        raise ValidationError("Nobody is ranked yet: record applicants and check their evidence first.")
    if NominationList.objects.filter(scheme=scheme, status__in=NOMINATION_IN_PROGRESS).exists():
        raise ValidationError("A nomination list for this scheme is being made; wait for it to finish.")
    try:
        with transaction.atomic():
            number = (NominationList.objects.filter(scheme=scheme).aggregate(n=Max("number"))["n"] or 0) + 1
            nomination_list = NominationList.objects.create(
                umbrella=access.umbrella,
                scheme=scheme,
                number=number,
                policy=ranking.policy,
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
            record_event(
                access=access,
                instance=scheme,
                action="nominated",
                summary=f"Agreed and issued nomination list {number} ({len(ranking.places)} applicants) "
                f"under policy version {ranking.policy.version}",
            )
    except IntegrityError as error:
        raise ValidationError("Another nomination list was issued at the same moment; reload the page.") from error
    _enqueue(nomination_list, user_id=access.user.pk)
    return nomination_list


def nomination_retry(*, access: Access, nomination_list: NominationList) -> NominationList:
    require(access, "nominations.issue")
    require_panel(access, nomination_list.scheme)
    if nomination_list.status != NominationStatus.FAILED:
        raise ValidationError("Only a list that failed can be tried again.")
    NominationList.objects.filter(pk=nomination_list.pk).update(status=NominationStatus.QUEUED, failure_reason="")
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
    NominationList.objects.filter(pk=nomination_list.pk).update(status=NominationStatus.QUEUED)
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
        entry.tier,
        entry.band,
        entry.registered_on.isoformat(),
        entry.reasons,
    ]


def nomination_render(*, access: Access, nomination_list: NominationList) -> None:
    """Draw the PDF and the CSV and store them privately (called by the task, with the access of
    the person who asked)."""
    from core.csvexport import csv_safe
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
