"""Writes for partner organisations."""

from accounts.access import Access
from accounts.records import record_create, record_update

from .models import AdviserFirm, HousingAssociation


def housing_association_create(*, access: Access, housing_association: HousingAssociation) -> HousingAssociation:
    return record_create(access=access, instance=housing_association, rule="partners.manage")


def housing_association_update(*, access: Access, housing_association: HousingAssociation, before: dict) -> HousingAssociation:
    return record_update(access=access, instance=housing_association, before=before, rule="partners.manage")


def adviser_firm_create(*, access: Access, firm: AdviserFirm) -> AdviserFirm:
    return record_create(access=access, instance=firm, rule="partners.manage")


def adviser_firm_update(*, access: Access, firm: AdviserFirm, before: dict) -> AdviserFirm:
    return record_update(access=access, instance=firm, before=before, rule="partners.manage")
