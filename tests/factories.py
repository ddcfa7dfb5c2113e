"""factory_boy factories that build realistic, tenant-consistent rows."""

from decimal import Decimal

import factory
from allauth.account.models import EmailAddress

from accounts.models import Membership, Role, Umbrella, User
from clts.models import CLT, CLTParish, Parish, SetupStatus
from partnerships.organisations.models import AgreementStatus, CollaborationAgreement, FeeBasis, HousingAssociation
from schemes.models import Scheme, Site
from schemes.stages import Stage

PASSWORD = "correct-horse-battery"


class UmbrellaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Umbrella

    name = factory.Sequence(lambda n: f"Umbrella {n}")
    slug = factory.Sequence(lambda n: f"umbrella-{n}")
    host_organisation = "A community assets social enterprise"
    require_mfa_for_staff = False


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class HousingAssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HousingAssociation

    umbrella = factory.SubFactory(UmbrellaFactory)
    name = factory.Sequence(lambda n: f"Housing Association {n}")
    homes_managed = 12000
    area_of_operation = "Somerset\nDorset"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollaborationAgreement

    umbrella = factory.SelfAttribute("housing_association.umbrella")
    housing_association = factory.SubFactory(HousingAssociationFactory)
    status = AgreementStatus.ACTIVE
    fee_basis = FeeBasis.FIXED_PER_HOME
    fee_per_home = Decimal("4500.00")


class ParishFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parish

    umbrella = factory.SubFactory(UmbrellaFactory)
    name = factory.Sequence(lambda n: f"Parish {n}")
    district = "Somerset"
    county = "Somerset"


class CLTFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CLT
        skip_postgeneration_save = True

    umbrella = factory.SubFactory(UmbrellaFactory)
    name = factory.Sequence(lambda n: f"Village {n} Community Land Trust")
    setup_status = SetupStatus.ACTIVE
    membership_count = 40

    @factory.post_generation
    def parishes(self, create, extracted, **kwargs):
        if not create:
            return
        for parish in extracted or [ParishFactory(umbrella=self.umbrella)]:
            CLTParish.objects.create(umbrella=self.umbrella, clt=self, parish=parish)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    umbrella = factory.SubFactory(UmbrellaFactory)
    name = factory.Sequence(lambda n: f"Land at Field {n}")
    parish = factory.SubFactory(ParishFactory, umbrella=factory.SelfAttribute("..umbrella"))


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    umbrella = factory.SelfAttribute("clt.umbrella")
    clt = factory.SubFactory(CLTFactory)
    name = factory.Sequence(lambda n: f"Scheme {n}")
    stage = Stage.DESIGN
    homes_affordable_rent = 6
    homes_shared_ownership = 2
    total_cost = Decimal("1500000.00")


def membership(umbrella, role, *, user=None, clt=None, ha=None, panel=False) -> Membership:
    return Membership.objects.create(
        umbrella=umbrella,
        user=user or UserFactory(),
        role=role,
        clt=clt,
        housing_association=ha,
        is_allocation_panel=panel,
    )


__all__ = [
    "PASSWORD",
    "Role",
    "UmbrellaFactory",
    "UserFactory",
    "HousingAssociationFactory",
    "AgreementFactory",
    "ParishFactory",
    "CLTFactory",
    "SiteFactory",
    "SchemeFactory",
    "membership",
]
