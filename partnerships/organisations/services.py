"""Writes for partner organisations."""

from accounts.access import Access
from accounts.records import record_create, record_update
from partnerships.organisations.models import AdviserFirm, HousingAssociation


def housing_association_create(*, access: Access, housing_association: HousingAssociation) -> HousingAssociation:
    return record_create(access=access, instance=housing_association, rule="partners.manage")


def housing_association_update(
    *, access: Access, housing_association: HousingAssociation, before: dict
) -> HousingAssociation:
    return record_update(access=access, instance=housing_association, before=before, rule="partners.manage")


def adviser_firm_create(*, access: Access, firm: AdviserFirm) -> AdviserFirm:
    return record_create(access=access, instance=firm, rule="partners.manage")


def adviser_firm_update(*, access: Access, firm: AdviserFirm, before: dict) -> AdviserFirm:
    return record_update(access=access, instance=firm, before=before, rule="partners.manage")


def staff_role_save(*, access: Access, role, before: dict | None = None):
    if before is None:
        return record_create(access=access, instance=role, rule="costs.view")
    return record_update(access=access, instance=role, before=before, rule="costs.view")


def role_rate_add(*, access: Access, rate):
    from django.core.exceptions import ValidationError

    from partnerships.organisations.models import RoleRate

    if RoleRate.objects.filter(staff_role=rate.staff_role, effective_from=rate.effective_from).exists():
        raise ValidationError(
            {"effective_from": "This role already has a rate from that date; change that one instead."}
        )
    return record_create(
        access=access,
        instance=rate,
        rule="costs.view",
        summary=f"Set {rate.staff_role}'s rate to £{rate.hourly_rate}/hour from {rate.effective_from:%d %b %Y}",
    )


def agreement_save(*, access: Access, agreement, before: dict | None = None):
    """The agreement's fee figure must match its basis; other figures are cleared so a reader is
    never shown a stale one."""
    from django.core.exceptions import ValidationError

    from partnerships.organisations.models import FeeBasis

    needed = {
        FeeBasis.FIXED_PER_HOME: "fee_per_home",
        FeeBasis.PERCENT_OF_COST: "fee_percent",
        FeeBasis.ACTUAL_CAPPED: "cap_amount",
    }[agreement.fee_basis]
    if getattr(agreement, needed) is None:
        raise ValidationError({needed: f"Needed for “{agreement.get_fee_basis_display()}”."})
    for name in ("fee_per_home", "fee_percent", "cap_amount"):
        if name != needed:
            setattr(agreement, name, None)
    if agreement.signed_on and agreement.review_on and agreement.review_on < agreement.signed_on:
        raise ValidationError({"review_on": "The review date cannot be before the agreement was signed."})
    if before is None:
        return record_create(access=access, instance=agreement, rule="partners.manage")
    return record_update(access=access, instance=agreement, before=before, rule="partners.manage")
