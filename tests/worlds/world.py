"""Two mirrored tenants, built once per test session (each test rolls its changes back).

Tenant B's every name carries a canary string; nothing of B may ever show in A's pages, exports,
PDFs or emails, and the reverse.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from accounts.models import Export, ExportStatus, ImportJob, ImportStatus, Invitation, Membership, Role, Umbrella, User
from core.pdf import write_private_file
from tests.factories import (
    AgreementFactory,
    CLTFactory,
    HousingAssociationFactory,
    ParishFactory,
    SchemeFactory,
    SiteFactory,
    UmbrellaFactory,
    UserFactory,
    membership,
)

CANARY = {"a": "CANARY-ALPHA-7f3e", "b": "CANARY-BRAVO-91c2"}


@dataclass
class Tenant:
    key: str
    umbrella: Umbrella
    users: dict[str, User] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    @property
    def canary(self) -> str:
        return CANARY[self.key]


@dataclass
class World:
    a: Tenant
    b: Tenant

    def tenant(self, key: str) -> Tenant:
        return getattr(self, key)


def build_tenant(key: str) -> Tenant:
    c = CANARY[key]
    umbrella = UmbrellaFactory(name=f"Umbrella {key.upper()} {c}", slug=f"tenant-{key}", address=f"1 High Street {c}")
    t = Tenant(key=key, umbrella=umbrella)
    parish1 = ParishFactory(umbrella=umbrella, name=f"Parish one {c}")
    parish2 = ParishFactory(umbrella=umbrella, name=f"Parish two {c}")
    clt1 = CLTFactory(umbrella=umbrella, name=f"First CLT {c}", parishes=[parish1], contact_name=f"Clerk {c}")
    clt2 = CLTFactory(umbrella=umbrella, name=f"Second CLT {c}", parishes=[parish2])
    ha1 = HousingAssociationFactory(umbrella=umbrella, name=f"First HA {c}")
    ha2 = HousingAssociationFactory(umbrella=umbrella, name=f"Second HA {c}")
    AgreementFactory(housing_association=ha1, notes=f"Agreement note {c}")
    AgreementFactory(housing_association=ha2)
    site1 = SiteFactory(umbrella=umbrella, parish=parish1, name=f"Site one {c}")
    scheme1 = SchemeFactory(
        clt=clt1, housing_association=ha1, site=site1, name=f"Scheme one {c}", rag_reason=f"Reason {c}"
    )
    scheme2 = SchemeFactory(clt=clt2, housing_association=ha2, name=f"Scheme two {c}")

    def person(label: str) -> User:
        return UserFactory(email=f"{label}-{key}@example.test", first_name=label.title(), last_name=c)

    t.users = {
        "admin": person("admin"),
        "staff": person("staff"),
        "volunteer": person("volunteer"),
        "other_clt_volunteer": person("othervolunteer"),
        "ha_team": person("hateam"),
        "other_ha_team": person("otherhateam"),
    }
    membership(umbrella, Role.ADMIN, user=t.users["admin"])
    membership(umbrella, Role.STAFF, user=t.users["staff"])
    volunteer_membership = membership(umbrella, Role.CLT_VOLUNTEER, user=t.users["volunteer"], clt=clt1, panel=True)
    membership(umbrella, Role.CLT_VOLUNTEER, user=t.users["other_clt_volunteer"], clt=clt2)
    membership(umbrella, Role.HA_TEAM, user=t.users["ha_team"], ha=ha1)
    membership(umbrella, Role.HA_TEAM, user=t.users["other_ha_team"], ha=ha2)
    invitation = Invitation.objects.create(
        umbrella=umbrella,
        email=f"invitee-{key}@example.test",
        role=Role.STAFF,
        invited_by=t.users["admin"],
        expires_at=timezone.now() + timedelta(days=14),
    )
    # A CSV export the staff member asked for (a task wrote it): only they may see or fetch it.
    export = Export.objects.create(
        umbrella=umbrella,
        requested_by=t.users["staff"],
        url_name="scheme_list",
        filename="schemes.csv",
        status=ExportStatus.READY,
        rows=1,
    )
    export.file_path = write_private_file(
        f"{umbrella.pk}/exports/{export.public_id}.csv", f"Name\nScheme one {c}\n".encode()
    )
    export.save(update_fields=["file_path"])
    # A large timesheet import the staff member uploaded, refused with its problems: only they see it.
    import_job = ImportJob.objects.create(
        umbrella=umbrella,
        requested_by=t.users["staff"],
        kind="timesheet",
        filename=f"timesheet {c}.csv",
        status=ImportStatus.READY,
        problems=[f"Line 2, column “scheme”: no scheme called “{c}”."],
        percent=100,
    )
    t.objects = {
        "export": export,
        "import_job": import_job,
        "clt": clt1,
        "other_clt": clt2,
        "ha": ha1,
        "other_ha": ha2,
        "scheme": scheme1,
        "other_scheme": scheme2,
        "site": site1,
        "parish": parish1,
        "membership": volunteer_membership,
        "invitation": invitation,
    }
    # Each app adds its own records (with the canary in their text) in its own module.
    from tests.worlds.world_allocations import extend as extend_allocations
    from tests.worlds.world_clts import extend as extend_clts
    from tests.worlds.world_documents import extend as extend_documents
    from tests.worlds.world_programmes import extend as extend_programmes
    from tests.worlds.world_relets import extend as extend_relets
    from tests.worlds.world_schemes import extend as extend_schemes

    t.objects.update(extend_clts(t))
    t.objects.update(extend_schemes(t))
    t.objects.update(extend_programmes(t))
    t.objects.update(extend_allocations(t))
    t.objects.update(extend_documents(t))
    t.objects.update(extend_relets(t))
    return t


def build_world() -> World:
    return World(a=build_tenant("a"), b=build_tenant("b"))


def active_membership_count(umbrella) -> int:
    return Membership.objects.active().filter(umbrella=umbrella).count()
