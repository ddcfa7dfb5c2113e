"""Writes of appraisals (staff): a new version (a copy of the latest, or the scheme's homes to
begin with), changes to a draft, and agreeing one at the scheme's stage. Agreed versions never
change; a later thought is a new version."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.forms.models import model_to_dict
from django.utils import timezone

from accounts.access import Access, second_check
from accounts.records import record_create, record_event, record_update, require
from schemes.appraisals.models import AFFORDABLE_RENT_CAP, Appraisal, AppraisalStatus

RULE = "appraisals.manage"
_NOT_COPIED = {"id", "umbrella", "scheme", "version", "status", "agreed_on", "agreed_at_stage", "agreed_by"}


def appraisal_problems(appraisal: Appraisal) -> dict[str, str]:
    """What the sums cannot take, by field, all at once."""
    errors = {}
    if appraisal.homes == 0:
        errors["social_rent_homes"] = "An appraisal needs at least one home, of any tenure."
    if appraisal.affordable_rent_homes:
        if not appraisal.market_rent_weekly:
            errors["market_rent_weekly"] = "Give the market rent: affordable rent is at most 80% of it."
        elif appraisal.affordable_rent_weekly > appraisal.market_rent_weekly * AFFORDABLE_RENT_CAP / 100:
            cap = (appraisal.market_rent_weekly * AFFORDABLE_RENT_CAP / 100).quantize(Decimal("0.01"))
            errors["affordable_rent_weekly"] = (
                f"Affordable rent is at most 80% of the market rent: at most £{cap:,.2f} a week here."
            )
    if appraisal.shared_ownership_homes and not appraisal.shared_ownership_value:
        errors["shared_ownership_value"] = "Give the market value of a shared ownership home."
    if appraisal.discounted_sale_homes and not appraisal.discounted_sale_value:
        errors["discounted_sale_value"] = "Give the market value of a discounted sale home."
    return errors


def appraisal_start(*, access: Access, scheme) -> Appraisal:
    """A new draft version: a copy of the latest (agreed or not), or the scheme's homes."""
    require(access, RULE)
    second_check(scheme.umbrella_id == access.umbrella.pk)
    latest = Appraisal.objects.filter(scheme=scheme).order_by("-version").first()
    if latest is not None:
        fields = {k: v for k, v in model_to_dict(latest).items() if k not in _NOT_COPIED}
        return Appraisal(umbrella=access.umbrella, scheme=scheme, **fields)
    return Appraisal(
        umbrella=access.umbrella,
        scheme=scheme,
        social_rent_homes=scheme.homes_social_rent,
        affordable_rent_homes=scheme.homes_affordable_rent,
        shared_ownership_homes=scheme.homes_shared_ownership,
        discounted_sale_homes=scheme.homes_discounted_sale + scheme.homes_first_homes,  # First Homes: a discounted sale
        grant=scheme.grant or 0,
    )


def appraisal_save(*, access: Access, appraisal: Appraisal, before: dict | None = None) -> Appraisal:
    require(access, RULE)
    second_check(appraisal.scheme.umbrella_id == access.umbrella.pk)
    if appraisal.pk and appraisal.is_agreed:
        raise ValidationError("An agreed version does not change: start a new version to think again.")
    errors = appraisal_problems(appraisal)
    if errors:
        raise ValidationError(errors)
    if before is not None:
        with transaction.atomic():
            # The row as it is now, locked: a version agreed since the form was opened is not changed.
            if Appraisal.objects.select_for_update().get(pk=appraisal.pk).is_agreed:
                raise ValidationError("This version has been agreed since you opened it: start a new version.")
            return record_update(access=access, instance=appraisal, before=before, rule=RULE)
    try:
        with transaction.atomic():
            latest = Appraisal.objects.filter(scheme=appraisal.scheme).aggregate(n=Max("version"))["n"] or 0
            appraisal.version = latest + 1
            return record_create(access=access, instance=appraisal, rule=RULE, summary=f"Started {appraisal}")
    except IntegrityError as error:
        raise ValidationError("Another version was started at the same moment; reload the page.") from error


def appraisal_agree(*, access: Access, appraisal: Appraisal) -> Appraisal:
    """Agree this version at the scheme's present stage (the gate): it is marked, and never changes."""
    require(access, RULE)
    second_check(appraisal.umbrella_id == access.umbrella.pk)
    if appraisal.is_agreed:
        raise ValidationError(f"Version {appraisal.version} was agreed on {appraisal.agreed_on:%-d %b %Y}.")
    errors = appraisal_problems(appraisal)
    if errors:
        raise ValidationError(list(errors.values()))
    with transaction.atomic():
        appraisal.status = AppraisalStatus.AGREED
        appraisal.agreed_on = timezone.localdate()
        appraisal.agreed_at_stage = appraisal.scheme.stage
        appraisal.agreed_by = access.user
        agreed = Appraisal.objects.filter(pk=appraisal.pk, status=AppraisalStatus.DRAFT).update(
            status=appraisal.status,
            agreed_on=appraisal.agreed_on,
            agreed_at_stage=appraisal.agreed_at_stage,
            agreed_by=appraisal.agreed_by,
            updated_at=timezone.now(),
        )
        if not agreed:  # agreed by someone else a moment ago
            raise ValidationError(f"Version {appraisal.version} has just been agreed; reload the page.")
        record_event(
            access=access,
            instance=appraisal.scheme,
            action="changed",
            summary=f"Agreed appraisal version {appraisal.version} at “{appraisal.get_agreed_at_stage_display()}”",
        )
    return appraisal
