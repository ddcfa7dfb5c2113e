"""Writes for sites and schemes. Every rule about stages, tenders, leases and milestones is here."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.access import Access, access_for_user_id
from accounts.records import (
    record_create,
    record_create_many,
    record_delete,
    record_event,
    record_update,
    require,
    snapshot,
)
from clts.models import SetupStatus
from partnerships.organisations.models import AgreementStatus, CollaborationAgreement
from schemes.models import (
    Bid,
    Lease,
    Milestone,
    Negotiation,
    Scheme,
    Site,
    StageChange,
    Tender,
    TenderInvitation,
    TenderStatus,
)
from schemes.stages import PIPELINE, Stage, pipeline_index

# --- sites and landowner talks -------------------------------------------------------------


def site_create(*, access: Access, site: Site) -> Site:
    return record_create(access=access, instance=site, rule="schemes.manage")


def site_update(*, access: Access, site: Site, before: dict) -> Site:
    return record_update(access=access, instance=site, before=before, rule="schemes.manage")


def site_delete(*, access: Access, site: Site) -> None:
    if site.schemes.exists():
        raise ValidationError("This site belongs to a scheme. Remove it from the scheme first.")
    if site.exemplar_for.exists():
        raise ValidationError("This site is an exemplar site of a partnership programme. Remove it there first.")
    record_delete(access=access, instance=site, rule="schemes.manage")


def negotiation_log(*, access: Access, negotiation: Negotiation) -> Negotiation:
    """Log a conversation with the landowner; the site's negotiation status follows it."""
    with transaction.atomic():
        record_create(
            access=access,
            instance=negotiation,
            rule="schemes.manage",
            summary=f"Logged landowner talks on {negotiation.on:%d %b %Y}",
        )
        _site_follow_log(access=access, site=negotiation.site)
    return negotiation


def negotiation_update(*, access: Access, negotiation: Negotiation, before: dict) -> Negotiation:
    with transaction.atomic():
        record_update(access=access, instance=negotiation, before=before, rule="schemes.manage")
        _site_follow_log(access=access, site=negotiation.site)
    return negotiation


def negotiation_delete(*, access: Access, negotiation: Negotiation) -> None:
    site = negotiation.site
    with transaction.atomic():
        record_delete(access=access, instance=negotiation, rule="schemes.manage")
        _site_follow_log(access=access, site=site)


def _site_follow_log(*, access: Access, site: Site) -> None:
    latest = site.negotiations.order_by("-on", "-created_at").first()
    if latest and site.negotiation_status != latest.status_after:
        before = snapshot(site)
        site.negotiation_status = latest.status_after
        record_update(
            access=access,
            instance=site,
            before=before,
            rule="schemes.manage",
            summary="Negotiation status follows the latest log entry",
        )


# --- schemes --------------------------------------------------------------------------------


def _check_scheme_links(scheme: Scheme, umbrella_id: int) -> None:
    for obj in (scheme.clt, scheme.site, scheme.housing_association):
        if obj is not None and obj.umbrella_id != umbrella_id:
            raise ValidationError("That choice is not in this umbrella.")
    if scheme.site and scheme.clt and not scheme.clt.parishes.filter(pk=scheme.site.parish_id).exists():
        raise ValidationError({"site": f"{scheme.site} is in {scheme.site.parish}, which {scheme.clt} does not serve."})
    if scheme.bedrooms_total and scheme.bedrooms_total != scheme.homes_total:
        raise ValidationError(
            f"The bedroom mix adds up to {scheme.bedrooms_total} homes but the tenures to {scheme.homes_total}."
        )


def scheme_create(*, access: Access, scheme: Scheme, note: str = "") -> Scheme:
    _check_scheme_links(scheme, access.umbrella.pk)
    with transaction.atomic():
        record_create(access=access, instance=scheme, rule="schemes.manage")
        StageChange.objects.create(
            umbrella=access.umbrella,
            scheme=scheme,
            from_stage="",
            to_stage=scheme.stage,
            changed_by=access.user,
            changed_at=timezone.now(),
            note=note or "Scheme recorded",
        )
        # Milestones, tasks and costs logged against the CLT before it had a scheme move onto it.
        Milestone.objects.filter(umbrella=access.umbrella, clt=scheme.clt, scheme__isnull=True).update(scheme=scheme)
        from schemes.costs.services import costs_move_onto_scheme

        costs_move_onto_scheme(scheme=scheme)
    return scheme


def scheme_update(*, access: Access, scheme: Scheme, before: dict) -> Scheme:
    _check_scheme_links(scheme, access.umbrella.pk)
    return record_update(access=access, instance=scheme, before=before, rule="schemes.manage")


# The stage machine. A scheme moves one step along the spine (or one step back, to correct a
# mistake), goes on hold or is withdrawn from anywhere, and resumes from hold where it stopped.


def _gate_clt_incorporated(scheme: Scheme) -> str | None:
    if scheme.clt.setup_status not in (SetupStatus.INCORPORATED, SetupStatus.ACTIVE):
        return f"{scheme.clt} is not yet incorporated: record its incorporation on the CLT's profile first."
    return None


def _gate_site_secured(scheme: Scheme) -> str | None:
    if scheme.site is None:
        return "No site is chosen for the scheme: choose the site on the scheme first."
    if not scheme.site.is_secured:
        return (
            f"The site {scheme.site} is not secured: the landowner negotiation is at "
            f"“{scheme.site.get_negotiation_status_display()}”; an option agreed or a purchase is needed."
        )
    return None


def _gate_ha_matched(scheme: Scheme) -> str | None:
    if scheme.housing_association_id is None:
        return "No HA partner is matched: rank the partners on the HA matching page and confirm one."
    return None


def _gate_homes_planned(scheme: Scheme) -> str | None:
    if scheme.homes_total == 0:
        return "No homes are planned: enter the number of homes by tenure before planning is submitted."
    return None


def _lease(scheme: Scheme) -> Lease | None:
    try:
        return scheme.lease
    except Lease.DoesNotExist:
        return None


def _gate_freehold_and_lease(scheme: Scheme) -> list[str]:
    lease = _lease(scheme)
    problems = []
    if lease is None or lease.freehold_acquired_on is None:
        problems.append("No freehold is recorded: the CLT must own the freehold before it grants the lease.")
    if lease is None or lease.start_on is None:
        problems.append("No lease is recorded: record the lease to the HA with its start date.")
    return problems


def _gate_agreement_active(scheme: Scheme) -> str | None:
    if scheme.housing_association_id is None:
        return "No HA partner is matched."
    active = CollaborationAgreement.objects.filter(
        umbrella_id=scheme.umbrella_id,
        housing_association_id=scheme.housing_association_id,
        status=AgreementStatus.ACTIVE,
    ).exists()
    if not active:
        return (
            f"There is no active collaboration agreement with {scheme.housing_association}: "
            "the umbrella's costs could not be recovered."
        )
    return None


GATES = {
    Stage.CLT_FORMED: [_gate_clt_incorporated],
    Stage.SITE_SECURED: [_gate_site_secured],
    Stage.HA_MATCHED: [_gate_ha_matched],
    Stage.DESIGN: [_gate_ha_matched],
    Stage.PLANNING_SUBMITTED: [_gate_homes_planned],
    Stage.FREEHOLD_AND_LEASE: [_gate_freehold_and_lease],
    Stage.START_ON_SITE: [_gate_agreement_active],
}


def scheme_allowed_moves(scheme: Scheme) -> list[str]:
    """Stages the scheme may move to next (gates are checked when it moves)."""
    if scheme.stage == Stage.WITHDRAWN:
        return []
    if scheme.stage == Stage.ON_HOLD:
        return [s for s in (scheme.held_from_stage, Stage.WITHDRAWN) if s]
    here = pipeline_index(scheme.stage)
    moves = []
    if here + 1 < len(PIPELINE):
        moves.append(PIPELINE[here + 1])
    if here > 0:
        moves.append(PIPELINE[here - 1])
    return moves + [Stage.ON_HOLD, Stage.WITHDRAWN]


def scheme_gate_problems(scheme: Scheme, to_stage: str) -> list[str]:
    problems: list[str] = []
    for gate in GATES.get(to_stage, []):
        result = gate(scheme)
        if isinstance(result, list):
            problems.extend(result)
        elif result:
            problems.append(result)
    return problems


def noon_on(day: date) -> datetime:
    """A move dated to a day with no time given (history entered later): midday there."""
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _stage_move_at(scheme: Scheme, on: date | None, note: str, errors: dict) -> datetime:
    """When a move happened: now, or noon on a past day (history entered later), which must be
    neither in the future nor before the scheme's last move, and needs a note saying what it rests on."""
    now, today = timezone.now(), timezone.localdate()
    previous = StageChange.objects.filter(scheme=scheme).order_by("-changed_at", "-id").first()
    if on is None or on == today:
        return now
    if on > today:
        errors["on"] = f"A move cannot be dated after today ({today:%-d %b %Y})."
        return now
    if previous is not None and on < timezone.localdate(previous.changed_at):
        errors["on"] = (
            f"The scheme's last move was on {timezone.localdate(previous.changed_at):%-d %b %Y}: "
            "a move cannot be dated before it."
        )
    if not note.strip():
        errors.setdefault("note", "Say what the past date rests on (a board minute, a letter, a start notice).")
    at = noon_on(on)
    if previous is not None and previous.changed_at >= at:
        at = previous.changed_at + timedelta(seconds=1)  # the same day, after the move before it
    return at


def scheme_advance_stage(
    *, access: Access, scheme: Scheme, to_stage: str, note: str = "", on: date | None = None
) -> Scheme:
    """Move a scheme to `to_stage`, if the move is allowed and its gates pass; record who and when.
    `on` dates a move that happened earlier (not in the future, not before the last move, with a
    note); the history keeps both that date and when it was recorded. Every problem is told at once."""
    require(access, "schemes.manage", scheme)
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk, umbrella=access.umbrella)
        if to_stage not in scheme_allowed_moves(scheme):
            label = Stage(to_stage).label if to_stage in Stage.values else to_stage
            raise ValidationError({"to_stage": f"A scheme at “{scheme.get_stage_display()}” cannot move to “{label}”."})
        errors: dict = {}
        here, there = pipeline_index(scheme.stage), pipeline_index(to_stage)
        going_back = here is not None and there is not None and there < here
        if going_back and not note.strip():
            errors["note"] = "Say why the scheme is moving back a stage."
        if to_stage in (Stage.ON_HOLD, Stage.WITHDRAWN) and not note.strip():
            errors["note"] = "Say why the scheme is going on hold or being withdrawn."
        if not going_back and to_stage not in (Stage.ON_HOLD, Stage.WITHDRAWN):
            problems = scheme_gate_problems(scheme, to_stage)
            if problems:
                errors["to_stage"] = problems
        changed_at = _stage_move_at(scheme, on, note, errors)
        if errors:
            raise ValidationError(errors)
        from_stage = scheme.stage
        scheme.held_from_stage = from_stage if to_stage == Stage.ON_HOLD else ""
        scheme.stage = to_stage
        scheme.save(update_fields=["stage", "held_from_stage", "updated_at"])
        StageChange.objects.create(
            umbrella=access.umbrella,
            scheme=scheme,
            from_stage=from_stage,
            to_stage=to_stage,
            changed_by=access.user,
            changed_at=changed_at,
            note=note.strip(),
        )
        dated = timezone.localdate(changed_at)
        record_event(
            access=access,
            instance=scheme,
            action="stage",
            summary=f"Moved from “{Stage(from_stage).label}” to “{Stage(to_stage).label}”"
            + (f" on {dated:%-d %b %Y}" if dated != timezone.localdate() else "")
            + (f": {note.strip()}" if note.strip() else ""),
            changes={"stage": [Stage(from_stage).label, Stage(to_stage).label]},
        )
    return scheme


def scheme_match_ha(*, access: Access, scheme: Scheme, housing_association, reasons: list[str] | None = None) -> Scheme:
    """Staff confirm an HA partner for the scheme (after looking at the ranking)."""
    require(access, "schemes.manage", scheme)
    if housing_association.umbrella_id != access.umbrella.pk:
        raise PermissionDenied("Not in this umbrella.")
    before = snapshot(scheme)
    scheme.housing_association = housing_association
    with transaction.atomic():
        record_update(
            access=access,
            instance=scheme,
            before=before,
            rule="schemes.manage",
            summary=f"Matched with {housing_association}" + (f" ({'; '.join(reasons)})" if reasons else ""),
        )
    return scheme


# --- adviser tenders -------------------------------------------------------------------------


def tender_create(*, access: Access, tender: Tender, firms) -> Tender:
    with transaction.atomic():
        record_create(access=access, instance=tender, rule="schemes.manage")
        _tender_set_firms(access, tender, firms)
    return tender


def tender_update(*, access: Access, tender: Tender, before: dict, firms) -> Tender:
    if tender.status in (TenderStatus.AWARDED, TenderStatus.CANCELLED):
        raise ValidationError(f"This tender is {tender.get_status_display().lower()}; it can no longer change.")
    with transaction.atomic():
        record_update(access=access, instance=tender, before=before, rule="schemes.manage")
        _tender_set_firms(access, tender, firms)
    return tender


def _tender_set_firms(access: Access, tender: Tender, firms) -> None:
    firms = list(firms)
    if any(f.umbrella_id != access.umbrella.pk for f in firms):
        raise PermissionDenied("Not in this umbrella.")
    bidders = set(tender.bids.values_list("firm_id", flat=True))
    dropped = bidders - {f.pk for f in firms}
    if dropped:
        raise ValidationError({"invited_firms": "A firm that has bid cannot be un-invited."})
    TenderInvitation.objects.filter(tender=tender).exclude(firm__in=firms).delete()
    for firm in firms:
        TenderInvitation.objects.get_or_create(umbrella=access.umbrella, tender=tender, firm=firm)


def tender_set_status(*, access: Access, tender: Tender, status: str) -> Tender:
    """Close an open tender for evaluation, reopen a closed one, or cancel it."""
    allowed = {
        TenderStatus.OPEN: {TenderStatus.CLOSED, TenderStatus.CANCELLED},
        TenderStatus.CLOSED: {TenderStatus.OPEN, TenderStatus.CANCELLED},
    }
    if status not in allowed.get(tender.status, set()):
        raise ValidationError(
            f"A tender that is {tender.get_status_display().lower()} cannot become "
            f"{TenderStatus(status).label.lower()}."
        )
    before = snapshot(tender)
    tender.status = status
    return record_update(access=access, instance=tender, before=before, rule="schemes.manage")


def _check_bid(tender: Tender, bid: Bid) -> None:
    if tender.status != TenderStatus.OPEN:
        raise ValidationError(f"This tender is {tender.get_status_display().lower()}: it takes no more bids.")
    if not TenderInvitation.objects.filter(tender=tender, firm=bid.firm_id).exists():
        raise ValidationError({"firm": "Only firms invited to this tender can bid."})


def bid_record(*, access: Access, bid: Bid) -> Bid:
    _check_bid(bid.tender, bid)
    if Bid.objects.filter(tender=bid.tender, firm=bid.firm_id).exists():
        raise ValidationError({"firm": f"{bid.firm} has already bid; change that bid instead."})
    return record_create(access=access, instance=bid, rule="schemes.manage", summary=f"Recorded a bid from {bid.firm}")


def bid_update(*, access: Access, bid: Bid, before: dict) -> Bid:
    _check_bid(bid.tender, bid)
    return record_update(access=access, instance=bid, before=before, rule="schemes.manage")


def bid_delete(*, access: Access, bid: Bid) -> None:
    if bid.tender.status != TenderStatus.OPEN:
        raise ValidationError("Bids on a closed or awarded tender are kept.")
    record_delete(access=access, instance=bid, rule="schemes.manage")


def tender_appoint(*, access: Access, tender: Tender, bid: Bid, on: date | None = None) -> Tender:
    """Appoint the firm behind `bid`; the fee is its price. The tender closes as awarded."""
    if bid.tender_id != tender.pk:
        raise ValidationError("That bid is not on this tender.")
    if tender.status not in (TenderStatus.OPEN, TenderStatus.CLOSED):
        raise ValidationError(f"This tender is {tender.get_status_display().lower()}.")
    before = snapshot(tender)
    tender.status = TenderStatus.AWARDED
    tender.appointed_bid = bid
    tender.appointed_on = on or timezone.localdate()
    tender.appointed_fee = bid.price
    return record_update(
        access=access,
        instance=tender,
        before=before,
        rule="schemes.manage",
        summary=f"Appointed {bid.firm} for £{bid.price:,.2f}",
    )


# --- lease -----------------------------------------------------------------------------------


def _check_lease(lease: Lease) -> None:
    errors = {}
    if lease.start_on and lease.freehold_acquired_on is None:
        errors["freehold_acquired_on"] = (
            "The CLT must own the freehold before it grants the lease: record when it acquired it."
        )
    if lease.start_on and lease.freehold_acquired_on and lease.start_on < lease.freehold_acquired_on:
        errors["start_on"] = "The lease cannot start before the CLT acquired the freehold."
    if lease.start_on and lease.option_earliest_on:
        if lease.option_earliest_on < lease.start_on:
            errors["option_earliest_on"] = "The option cannot be exercised before the lease starts."
        elif lease.expires_on and lease.option_earliest_on > lease.expires_on:
            errors["option_earliest_on"] = "The option's earliest date is after the lease ends."
    basis_fields = {
        "fixed_formula": ["option_base_price", "option_indexation_percent"],
        "outstanding_debt": ["option_loan_principal", "option_loan_rate_percent", "option_loan_term_years"],
        "valuation": [],
    }[lease.option_basis]
    for name in basis_fields:
        if getattr(lease, name) is None:
            errors[name] = f"Needed for the “{lease.get_option_basis_display()}” price basis."
    if errors:
        raise ValidationError(errors)


def lease_save(*, access: Access, lease: Lease, before: dict | None = None) -> Lease:
    """Record or change the lease from the CLT to the scheme's HA partner."""
    if lease.scheme.housing_association_id is None:
        raise ValidationError("Match an HA partner before recording the lease: the HA is the leaseholder.")
    _check_lease(lease)
    if before is None:
        return record_create(access=access, instance=lease, rule="schemes.manage")
    return record_update(access=access, instance=lease, before=before, rule="schemes.manage")


# --- milestones and tasks --------------------------------------------------------------------


def _check_owner(access: Access, milestone: Milestone) -> None:
    """The owner must be someone who can see the milestone: umbrella staff, a volunteer of its CLT,
    or the team of its scheme's HA."""
    if milestone.owner_id is None:
        return
    owner_access = access_for_user_id(user_id=milestone.owner_id, umbrella_id=access.umbrella.pk)
    ok = owner_access is not None and (
        owner_access.is_staff
        or (owner_access.is_clt_volunteer and milestone.clt_id in owner_access.clt_ids)
        or (
            owner_access.is_ha_team
            and milestone.scheme is not None
            and milestone.scheme.housing_association_id in owner_access.ha_ids
        )
    )
    if not ok:
        raise ValidationError(
            {"owner": "The owner must be umbrella staff, a volunteer of this CLT or the scheme's HA team."}
        )


def milestone_create(*, access: Access, milestone: Milestone) -> Milestone:
    if milestone.scheme is not None:
        milestone.clt = milestone.scheme.clt
    _check_owner(access, milestone)
    return record_create(access=access, instance=milestone, rule="schemes.manage")


def milestone_update(*, access: Access, milestone: Milestone, before: dict) -> Milestone:
    if milestone.scheme is not None:
        milestone.clt = milestone.scheme.clt
    _check_owner(access, milestone)
    return record_update(access=access, instance=milestone, before=before, rule="schemes.manage")


def milestone_delete(*, access: Access, milestone: Milestone) -> None:
    record_delete(access=access, instance=milestone, rule="schemes.manage")


def milestone_can_update_progress(access: Access, milestone: Milestone) -> bool:
    """Staff; the HA team on its schemes' development milestones; anyone on what they own."""
    if access.is_staff or milestone.owner_id == access.user.pk:
        return True
    return (
        access.is_ha_team
        and milestone.is_development
        and milestone.scheme is not None
        and milestone.scheme.housing_association_id in access.ha_ids
    )


def milestone_update_progress(
    *, access: Access, milestone: Milestone, completed_on: date | None, due_on: date, notes: str
) -> Milestone:
    """What owners and HA teams may change: done date, due date, notes."""
    if not milestone_can_update_progress(access, milestone):
        raise PermissionDenied("You may not update this milestone.")
    before = snapshot(milestone)
    milestone.completed_on = completed_on
    milestone.due_on = due_on
    milestone.notes = notes
    return record_update(access=access, instance=milestone, before=before, rule="milestones.update")


def calendar_token_reset(*, user) -> None:
    import uuid

    user.calendar_token = uuid.uuid4()
    user.save(update_fields=["calendar_token"])


# --- milestone import ------------------------------------------------------------------------

IMPORT_COLUMNS = ["title", "due", "kind", "owner email", "development"]


IMPORT_REQUIRED = ["title", "due"]


def milestone_import(*, access: Access, scheme: Scheme, source, progress=None, on_saved=None) -> list[Milestone]:
    """Import milestones and tasks for a scheme from CSV (a file or its text): every row, or none.

    Each problem is reported by line and column, e.g. "Line 4, column “due”: 31/02/2027 is not
    a date (use YYYY-MM-DD)".
    """
    from accounts.models import Membership, User

    require(access, "schemes.manage", scheme)
    from core.csvimport import read_csv

    rows = read_csv(source, columns=IMPORT_COLUMNS, required=IMPORT_REQUIRED, progress=progress)
    problems = rows.problems
    pending: list[Milestone] = []
    owners: dict[str, User | None] = {}
    for line_no, row in rows:
        here = len(problems)
        title = row.get("title", "")
        if not title:
            problems.append(f"Line {line_no}, column “title”: a title is needed.")
        try:
            due_on = date.fromisoformat(row.get("due", ""))
        except ValueError:
            due_on = None
            problems.append(f"Line {line_no}, column “due”: “{row.get('due', '')}” is not a date (use YYYY-MM-DD).")
        kind = (row.get("kind") or "milestone").lower()
        if kind not in ("milestone", "task"):
            problems.append(f"Line {line_no}, column “kind”: “{row.get('kind')}” is not milestone or task.")
        development = (row.get("development") or "no").lower()
        if development not in ("yes", "no", "y", "n", "true", "false"):
            problems.append(f"Line {line_no}, column “development”: use yes or no.")
        owner = None
        if row.get("owner email"):
            # Within this umbrella only: whether the address is someone's elsewhere is not told.
            email = row["owner email"].lower()
            if email not in owners:
                owners[email] = User.objects.filter(
                    email__iexact=email,
                    memberships__in=Membership.objects.active().filter(umbrella=access.umbrella),
                ).first()
            owner = owners[email]
            if owner is None:
                problems.append(
                    f"Line {line_no}, column “owner email”: nobody with {row['owner email']} is in this umbrella."
                )
        if len(problems) > here:
            continue
        milestone = Milestone(
            umbrella=access.umbrella,
            scheme=scheme,
            clt=scheme.clt,
            title=title,
            due_on=due_on,
            kind=kind,
            owner=owner,
            is_development=development in ("yes", "y", "true"),
        )
        try:
            _check_owner(access, milestone)
            milestone.full_clean(exclude=["umbrella", "scheme", "clt", "owner"])  # our own lookups
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                column = {"owner": "owner email", "due_on": "due"}.get(field, field)
                problems.extend(f"Line {line_no}, column “{column}”: {m}" for m in messages_)
            continue
        pending.append(milestone)
    problems.refuse()
    if not pending:
        raise ValidationError({"file": "The file has no rows to import."})
    with transaction.atomic():
        record_create_many(
            access=access,
            instances=pending,
            rule="schemes.manage",
            summary=lambda milestone: f"Imported {milestone.get_kind_display().lower()} “{milestone}”",
        )
        if on_saved is not None:
            on_saved(len(pending))  # a queued import's "finished", in the same transaction
    return pending
