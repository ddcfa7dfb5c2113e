"""Query budgets: every list, home and record page costs the same number of queries with 50 rows as
with 1, and no more than its budget (15 unless the page says why).

Each case builds an umbrella of its own (never the session's mirrored world, whose rows would blur
the counts), signs in one role, adds the first row of what the page lists and measures the second
request of the warmed client; then adds rows up to 50 and measures again. Rows are realistic: a
scheme has its CLT, its site in a parish, its HA partner and a lead officer; a tender its invited
firms and bids; a record page its children (stage moves, milestones, tenders, talks, bids, board
members, AGMs, grants, agreements, change history...). A volunteer's rows are on their CLT, an HA
team's on their HA, so the rows are the ones that role really sees.

Which pages and which roles: tests/permissions/matrix.py says it. Every GET list page (a TenantListView, with
its `?format=csv` export) and the home and record pages named in RECORD_PAGES, for each of admin,
staff, volunteer and ha_team whose expected status there is 200. A list page added to the matrix
without a builder here fails `test_every_list_page_has_a_query_budget`.

When the count grows, the failure names each query that repeats, how often (1 row -> 50 rows) and
where it runs: the innermost template tag ("schemes/tender_list.html:18 {{ t.scheme.name }}") and
the innermost project frame.
"""

import itertools
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.template.base import Node, TokenType
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Invitation, Role
from accounts.views_base import TenantListView
from clts.models import AGM, AdviceSession, AdviceTopic, CLTParish, GrantStatus, Person, PersonRole, RevenueGrant
from core.versions import umbrellas_changed
from partnerships.organisations.models import (
    AdviserFirm,
    AdviserRole,
    AgreementStatus,
    CollaborationAgreement,
    FeeBasis,
)
from schemes.models import (
    RAG,
    Bid,
    Milestone,
    MilestoneKind,
    Negotiation,
    NegotiationStatus,
    PlanningStatus,
    StageChange,
    Tender,
    TenderInvitation,
    TenderStatus,
)
from schemes.stages import Stage
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
from tests.permissions.matrix import MATRIX
from tests.permissions.test_permission_matrix import tenant_url_patterns

pytestmark = pytest.mark.django_db

FEW, MANY = 1, 50
DEFAULT_BUDGET = 15

#: Pages allowed more than DEFAULT_BUDGET, and why. Keyed by page id ("name" or "name?format=csv").
#: Every page pays 2 before it reads anything of its own: the user and the access (memberships,
#: which give the umbrella switcher too). Sessions are in Redis and cost no query.
from tests.worlds.world_allocations import (
    build_applicant_page,
    build_applicants,
    build_check_page,
    build_nomination_lists,
    build_nomination_page,
    build_policies,
    build_policy_page,
    build_ranking_page,
)
from tests.worlds.world_programmes import build_programme_organisations, build_programmes  # noqa: E402
from tests.worlds.world_relets import build_home_list, build_home_page, build_vacancies  # noqa: E402

BUDGETS: dict[str, int] = {
    # The CLT page has eleven reads of its own, one per thing it shows: the CLT (with its scheme
    # count), its parishes, board, AGMs, the latest advice sessions and their totals, grants and
    # their totals, allocation policy versions, schemes and change history.
    "clt_detail": 18,
    # The scheme page (14 reads before allocations) also shows who the homes are for: the CLT's agreed
    # policy, its tiers, the tiers' parishes and its bands (4 reads), and the nomination lists (1).
    # Staff see its money to date too, figured as the next statement would be (8 reads: the HA's
    # agreement, the rates, earlier invoices, issued statements, the scheme with its moves, costs
    # and agreed appraisals).
    "scheme_detail": 24,
    # An applicant's record: the applicant, their connections, the view-log line it writes, the agreed
    # policy with its tiers, parishes and bands (4) to place them, the lists they are on, the latest
    # views and the change history: 10 of its own.
    "applicant_detail": 17,
    # The ranking: the scheme, the policy with tiers, parishes and bands (4), the waiting applicants and
    # their connections (2), the view-log lines it writes (1 insert) and the lists issued: 9 of its own.
    "scheme_ranking": 16,
    # The dashboards answer a role's first questions in one page: each figure is one aggregate
    # read (pipeline by stage, homes by tenure, five money figures, red and amber schemes,
    # milestones due and their count, CLTs by status, grants, partners), constant with the data.
    "umbrella_home": 25,
}

#: The roles a page is measured for: those of them the matrix lets in (expected 200).
MEASURED_ROLES = ["admin", "staff", "volunteer", "ha_team"]

#: Pages that are not TenantListViews but list rows all the same: home, people, record pages.
RECORD_PAGES = [
    "umbrella_home",
    "member_list",
    "scheme_detail",
    "clt_detail",
    "site_detail",
    "tender_detail",
    "ha_detail",
    "policy_detail",
    "eligibility_check",
    "applicant_detail",
    "scheme_ranking",
    "nomination_detail",
]

TODAY = date.today()


# --- a fresh umbrella per case --------------------------------------------------------------


class Tenancy:
    """One umbrella and the person signed in to it, with helpers that build realistic rows.

    A volunteer's rows hang off their CLT (`own_clt`) and an HA team's off their HA (`own_ha`),
    each made (with the membership) on first use; staff and admins see everything, so their rows
    each get a CLT, HA, parish and site of their own. With `spread=True` a volunteer or HA team
    gets a new CLT or HA, and a membership of it, per row: the pages that list CLTs or HAs.
    """

    def __init__(self, role: str):
        self.role = role
        self.umbrella = UmbrellaFactory(require_mfa_for_staff=False)
        self.user = UserFactory(first_name="Signed", last_name=f"In {role}")
        self.targets: dict[str, object] = {}
        self._own_clt = None
        self._own_ha = None
        self._lead = None
        self._numbers = itertools.count()
        if role in ("admin", "staff"):
            membership(self.umbrella, Role(role), user=self.user)

    @staticmethod
    def mark(i: int) -> str:
        """A token naming row i, unique on the page (so the test can see the row is shown)."""
        return f"Row-{i:03d}"

    def n(self) -> int:
        return next(self._numbers)

    def target(self, key: str, make):
        """The page's own object (the scheme of a scheme page...), made once."""
        if key not in self.targets:
            self.targets[key] = make()
        return self.targets[key]

    # people

    def colleague(self, label: str = ""):
        """Another member of the umbrella's staff (milestone owners, advisers, authors of changes)."""
        user = UserFactory(first_name="Colleague", last_name=label or f"No {self.n()}")
        membership(self.umbrella, Role.STAFF, user=user)
        return user

    @property
    def lead(self):
        if self._lead is None:
            self._lead = self.colleague("Lead officer")
        return self._lead

    # places and organisations

    def parish(self, *, serves=None, name: str = ""):
        parish = ParishFactory(umbrella=self.umbrella, **({"name": name} if name else {}))
        if serves is not None:
            CLTParish.objects.create(umbrella=self.umbrella, clt=serves, parish=parish)
        return parish

    def new_clt(self, name: str = ""):
        clt = CLTFactory(
            umbrella=self.umbrella,
            parishes=[self.parish()],
            name=name or f"Village {self.n()} Community Land Trust",
            contact_name="The clerk",
            registration_number=f"RS{self.n():06d}",
            incorporated_on=date(2020, 3, 1),
        )
        return clt

    @property
    def own_clt(self):
        """The volunteer's CLT (for other roles simply a CLT of the umbrella)."""
        if self._own_clt is None:
            self._own_clt = self.new_clt("Our Village Community Land Trust")
            if self.role == "volunteer":
                membership(self.umbrella, Role.CLT_VOLUNTEER, user=self.user, clt=self._own_clt, panel=True)
        return self._own_clt

    def clt(self, *, spread: bool = False, name: str = ""):
        """A CLT for a row: the volunteer's own (or, spread, another they volunteer for); else a new one."""
        if self.role != "volunteer":
            return self.new_clt(name)
        if not spread:
            return self.own_clt
        clt = self.new_clt(name)
        membership(self.umbrella, Role.CLT_VOLUNTEER, user=self.user, clt=clt)
        return clt

    def new_ha(self, name: str = ""):
        ha = HousingAssociationFactory(
            umbrella=self.umbrella,
            name=name or f"Housing Association {self.n()}",
            area_of_operation="Somerset\nDorset\nWiltshire",
            staff_count=240,
        )
        AgreementFactory(housing_association=ha, signed_on=date(2024, 4, 1))
        return ha

    @property
    def own_ha(self):
        if self._own_ha is None:
            self._own_ha = self.new_ha("Our Housing Association")
            if self.role == "ha_team":
                membership(self.umbrella, Role.HA_TEAM, user=self.user, ha=self._own_ha)
        return self._own_ha

    def ha(self, *, spread: bool = False, name: str = ""):
        if self.role != "ha_team":
            return self.new_ha(name)
        if not spread:
            return self.own_ha
        ha = self.new_ha(name)
        membership(self.umbrella, Role.HA_TEAM, user=self.user, ha=ha)
        return ha

    def site(self, *, clt=None, name: str = "", i: int = 0):
        """A site in a parish the CLT serves, scored and with a landowner."""
        parish = self.parish(serves=clt)
        scores = (
            {}
            if i % 4 == 3
            else {
                f: (i + k) % 6
                for k, f in enumerate(
                    ["score_access", "score_planning", "score_landowner", "score_community", "score_cost"]
                )
            }
        )
        return SiteFactory(
            umbrella=self.umbrella,
            parish=parish,
            name=name or f"Land at Field {self.n()}",
            landowner=f"Landowner {self.n()}",
            address="Grid ref ST 123 456",
            area_hectares=Decimal("0.850"),
            planning_status=list(PlanningStatus)[i % len(PlanningStatus)],
            negotiation_status=list(NegotiationStatus)[i % len(NegotiationStatus)],
            **scores,
        )

    STAGES = [
        Stage.SITE_SEARCH,
        Stage.HA_MATCHED,
        Stage.DESIGN,
        Stage.PLANNING_SUBMITTED,
        Stage.START_ON_SITE,
        Stage.ON_HOLD,
    ]

    def scheme(self, *, name: str, i: int = 0, clt=None, ha=None, site=None, spread: bool = False):
        """A scheme with its CLT, HA partner, site (in a parish the CLT serves) and lead officer."""
        clt = clt or self.clt(spread=spread)
        ha = ha or self.ha(spread=spread)
        site = site or self.site(clt=clt, i=i)
        stage = self.STAGES[i % len(self.STAGES)]
        return SchemeFactory(
            clt=clt,
            housing_association=ha,
            site=site,
            name=name,
            stage=stage,
            held_from_stage=Stage.DESIGN if stage == Stage.ON_HOLD else "",
            rag=list(RAG)[i % 3],
            rag_reason="Waiting on highways" if i % 3 else "",
            lead_officer=self.lead,
            clt_contact="The chair",
            homes_social_rent=i % 3,
            bedrooms_2=4,
            bedrooms_3=4,
            grant=Decimal("420000.00"),
        )

    def history(self, obj, i: int, actor=None):
        """One change-history entry on obj, by a colleague (the pages show the actor's name)."""
        AuditEvent.objects.create(
            umbrella=self.umbrella,
            actor=actor or self.colleague(f"Editor {i}"),
            action="updated",
            object_type=obj._meta.model_name,
            object_id=str(obj.public_id),
            summary=f"Changed {obj._meta.verbose_name} ({self.mark(i)})",
            changes={"notes": [f"before {i}", f"after {i}"]},
        )


# --- builders: create rows i in `rows`, return the URL's kwargs -------------------------------


def build_schemes(t: Tenancy, rows, *, spread: bool = False) -> dict:
    for i in rows:
        t.scheme(name=f"{t.mark(i)} Orchard Close", i=i, spread=spread)
    return {}


def build_home(t: Tenancy, rows) -> dict:
    # The home page lists schemes; a volunteer's also lists their CLTs and an HA team's their HAs,
    # so for them every row brings a CLT or HA of theirs too. The staff dashboard lists the
    # schemes at red or amber, so these are red, with their mark in the reason.
    # Each scheme's CLT has its agreed allocation policy (a volunteer's home lists them) and each
    # scheme an issued nomination list (an HA team's home lists them).
    from schemes.allocations.models import NominationList, NominationStatus
    from schemes.models import Scheme
    from tests.worlds.world_allocations import make_policy

    build_schemes(t, rows, spread=True)
    for i in rows:
        Scheme.objects.filter(umbrella=t.umbrella, name=f"{t.mark(i)} Orchard Close").update(
            rag="red", rag_reason=f"{t.mark(i)} needs a decision"
        )
        scheme = Scheme.objects.get(umbrella=t.umbrella, name=f"{t.mark(i)} Orchard Close")
        NominationList.objects.create(
            umbrella=t.umbrella,
            scheme=scheme,
            number=1,
            status=NominationStatus.READY,
            policy=make_policy(t, scheme.clt, tiers=False),
            agreed_by=t.lead,
            agreed_at=timezone.now() - timedelta(days=i),
        )
    return {}


def build_members(t: Tenancy, rows) -> dict:
    for i in rows:
        user = UserFactory(first_name="Member", last_name=t.mark(i))
        kind = i % 3
        if kind == 0:
            membership(t.umbrella, Role.STAFF, user=user)
        elif kind == 1:
            membership(t.umbrella, Role.CLT_VOLUNTEER, user=user, clt=t.new_clt(), panel=bool(i % 2))
        else:
            membership(t.umbrella, Role.HA_TEAM, user=user, ha=t.new_ha())
        scope = [{}, {"clt": t.new_clt()}, {"housing_association": t.new_ha()}][kind]
        Invitation.objects.create(
            umbrella=t.umbrella,
            email=f"invitee-{t.mark(i).lower()}@example.test",
            role=[Role.STAFF, Role.CLT_VOLUNTEER, Role.HA_TEAM][kind],
            invited_by=t.user,
            expires_at=timezone.now() + timedelta(days=14),
            **scope,
        )
    return {}


def build_has(t: Tenancy, rows) -> dict:
    for i in rows:
        ha = t.ha(spread=True, name=f"{t.mark(i)} Homes")
        for k in range(2):
            t.scheme(name=f"{t.mark(i)} scheme {k}", i=i, ha=ha)
    return {}


def build_firms(t: Tenancy, rows) -> dict:
    for i in rows:
        AdviserFirm.objects.create(
            umbrella=t.umbrella,
            name=f"{t.mark(i)} Architects LLP",
            disciplines="architect, planning consultant",
            contact_name=f"Partner {i}",
            contact_email=f"partner{i}@example.test",
            address="1 Quay Street",
        )
    return {}


def build_clts(t: Tenancy, rows) -> dict:
    for i in rows:
        clt = t.clt(spread=True, name=f"{t.mark(i)} Community Land Trust")
        t.parish(serves=clt)  # a second parish served
        for k in range(2):
            SchemeFactory(clt=clt, name=f"{t.mark(i)} scheme {k}", housing_association=None)
    return {}


def build_parishes(t: Tenancy, rows) -> dict:
    for i in rows:
        parish = t.parish(name=f"{t.mark(i)} Parva")
        for _ in range(2):
            CLTFactory(umbrella=t.umbrella, parishes=[parish])
    return {}


def build_people(t: Tenancy, rows) -> dict:
    for i in rows:
        start = TODAY - timedelta(days=400 + i)
        ends = [TODAY - timedelta(days=5), TODAY + timedelta(days=30), TODAY + timedelta(days=700), None][i % 4]
        Person.objects.create(
            umbrella=t.umbrella,
            clt=t.clt(),
            name=f"{t.mark(i)} Board Member",
            email=f"board{i}@example.test",
            role=list(PersonRole)[i % len(PersonRole)],
            term_start=start,
            term_end=ends,
            notes="Elected at the AGM",
        )
    return {}


def build_agms(t: Tenancy, rows) -> dict:
    for i in rows:
        AGM.objects.create(
            umbrella=t.umbrella,
            clt=t.clt(),
            held_on=date(2025, 6, 14) - timedelta(days=7 * i),
            members_present=20 + i,
            resolutions=f"{t.mark(i)}: accounts adopted\nBoard re-elected",
            notes="Held in the village hall",
        )
    return {}


def build_advice(t: Tenancy, rows) -> dict:
    for i in rows:
        AdviceSession.objects.create(
            umbrella=t.umbrella,
            clt=t.clt(),
            given_on=date(2025, 3, 1) - timedelta(days=i),
            topic=list(AdviceTopic)[i % len(AdviceTopic)],
            attendees="The board",
            notes="Follow-up agreed",
            hours=Decimal("1.50"),
            given_by=t.colleague(t.mark(i)),
        )
    return {}


def build_surveys(t: Tenancy, rows) -> dict:
    from clts.models import HousingNeed, HousingNeedSurvey

    for i in rows:
        parish = t.parish(serves=t.clt(), name=f"{t.mark(i)} Parish")
        survey = HousingNeedSurvey.objects.create(
            umbrella=t.umbrella, parish=parish, surveyed_on=date(2025, 3, 1), households_surveyed=200, responses=80
        )
        HousingNeed.objects.create(umbrella=t.umbrella, survey=survey, tenure="social_rent", bedrooms=2, households=3)
    return {}


def build_grants(t: Tenancy, rows) -> dict:
    for i in rows:
        status = list(GrantStatus)[i % len(GrantStatus)]
        submitted = None if status == GrantStatus.DRAFTING else date(2024, 9, 2) - timedelta(days=i)
        decided = submitted + timedelta(days=90) if status in (GrantStatus.AWARDED, GrantStatus.REFUSED) else None
        RevenueGrant.objects.create(
            umbrella=t.umbrella,
            clt=t.clt(),
            funder=f"{t.mark(i)} Foundation",
            programme="Community Housing Fund (revenue)",
            status=status,
            amount_requested=Decimal("45000.00"),
            amount_awarded=Decimal("40000.00") if status == GrantStatus.AWARDED else None,
            submitted_on=submitted,
            decision_on=decided,
            conditions="Quarterly reports",
        )
    return {}


def build_sites(t: Tenancy, rows) -> dict:
    for i in rows:
        # A volunteer sees the sites in the parishes their CLT serves.
        t.site(clt=t.own_clt if t.role == "volunteer" else None, name=f"{t.mark(i)} Land at Church Lane", i=i)
    return {}


def _tender(t: Tenancy, scheme, i: int, *, title: str, firms: int = 2, appoint: bool = False):
    tender = Tender.objects.create(
        umbrella=t.umbrella,
        scheme=scheme,
        role=list(AdviserRole)[i % len(AdviserRole)],
        title=title,
        brief="Design to RIBA stage 4",
        price_weight=40,
        closes_on=date(2026, 7, 1) + timedelta(days=i),
    )
    bids = []
    for k in range(firms):
        firm = AdviserFirm.objects.create(umbrella=t.umbrella, name=f"{title} firm {k}", disciplines="architect")
        TenderInvitation.objects.create(umbrella=t.umbrella, tender=tender, firm=firm)
        bids.append(
            Bid.objects.create(
                umbrella=t.umbrella,
                tender=tender,
                firm=firm,
                price=Decimal("24000.00") + 1000 * k,
                quality_score=Decimal(70 + k),
            )
        )
    if appoint:
        tender.appointed_bid, tender.appointed_on, tender.appointed_fee = bids[0], date(2026, 8, 1), bids[0].price
        tender.status = TenderStatus.AWARDED
        tender.save()
    return tender


def build_tenders(t: Tenancy, rows) -> dict:
    for i in rows:
        scheme = t.scheme(name=f"Scheme for tender {i}", i=i)
        _tender(t, scheme, i, title=f"{t.mark(i)} Architect", appoint=i % 2 == 0)
    return {}


def build_milestones(t: Tenancy, rows) -> dict:
    for i in rows:
        on_scheme = t.role == "ha_team" or i % 2 == 0  # an HA team sees only its schemes' milestones
        scheme = t.scheme(name=f"Scheme for milestone {i}", i=i) if on_scheme else None
        Milestone.objects.create(
            umbrella=t.umbrella,
            clt=scheme.clt if scheme else t.clt(),
            scheme=scheme,
            kind=MilestoneKind.MILESTONE if i % 3 else MilestoneKind.TASK,
            title=f"{t.mark(i)} Planning decision",
            due_on=TODAY + timedelta(days=i - 10),
            owner=t.user if (t.role == "volunteer" and i % 2) else t.colleague(f"Owner {i}"),
            is_development=bool(scheme and i % 4 == 0),
            completed_on=TODAY if i % 5 == 0 else None,
        )
    return {}


def build_statements(t: Tenancy, rows) -> dict:
    """Recoupment statements, one HA and period each; an HA team's on their HA, and only those it
    may see (issued or paid: never a draft)."""
    from partnerships.recoupment.models import Statement, StatementStatus

    statuses = [StatementStatus.ISSUED, StatementStatus.PAID]
    if t.role != "ha_team":
        statuses += [StatementStatus.READY, StatementStatus.QUEUED, StatementStatus.FAILED]
    for i in rows:
        status = statuses[i % len(statuses)]
        start = date(2022, 1, 1) + timedelta(days=31 * i)
        done = status not in (StatementStatus.QUEUED, StatementStatus.FAILED)
        Statement.objects.create(
            umbrella=t.umbrella,
            housing_association=t.ha(),
            period_start=start,
            period_end=start + timedelta(days=27),
            reference=f"{t.mark(i)}-{t.umbrella.slug}",
            status=status,
            requested_by=t.lead,
            total_outstanding=Decimal("36000.00") if done else None,
            total_vat=Decimal("7200.00") if done else None,
            total_due=Decimal("43200.00") if done else None,
            issued_at=timezone.now() if status in (StatementStatus.ISSUED, StatementStatus.PAID) else None,
            paid_on=TODAY if status == StatementStatus.PAID else None,
        )
    return {}


def build_earlier_invoices(t: Tenancy, rows) -> dict:
    """Invoices raised before Fieldgate, each for a scheme and its HA (staff only)."""
    from partnerships.recoupment.models import EarlierInvoice

    for i in rows:
        scheme = t.scheme(name=f"Invoiced scheme {i}", i=i, spread=True)
        EarlierInvoice.objects.create(
            umbrella=t.umbrella, scheme=scheme, housing_association=scheme.housing_association,
            reference=f"{t.mark(i)}-{t.umbrella.slug}", invoiced_on=date(2024, 4, 1) + timedelta(days=i),
            amount=Decimal("1500.00"), recorded_by=t.colleague(f"Recorder {i}"), note=f"{t.mark(i)} by post",
        )  # fmt: skip
    return {}


def build_costs(t: Tenancy, rows) -> dict:
    """The umbrella's costs: staff time (a colleague, their role, hours) and expenses, against a
    scheme or, before it has one, a CLT."""
    from partnerships.organisations.models import RoleRate, StaffRole
    from schemes.models import CostEntry, CostKind

    def staff_role(k):
        role = StaffRole.objects.create(umbrella=t.umbrella, name=["Project manager", "Adviser", "Director"][k])
        RoleRate.objects.create(
            umbrella=t.umbrella, staff_role=role, hourly_rate=Decimal("45.00") + 10 * k, effective_from=date(2024, 4, 1)
        )
        return role

    for i in rows:
        scheme = t.scheme(name=f"Scheme for cost {i}", i=i) if i % 2 == 0 else None
        clt = scheme.clt if scheme else t.clt()
        common = dict(umbrella=t.umbrella, clt=clt, scheme=scheme, on=date(2025, 5, 1) - timedelta(days=i))
        if i % 3:
            CostEntry.objects.create(
                kind=CostKind.TIME,
                person=t.colleague(f"Worker {i}"),
                staff_role=t.target(f"staff role {i % 3}", lambda: staff_role(i % 3)),
                hours=Decimal("3.50"),
                activity=f"{t.mark(i)} site visit",
                **common,
            )
        else:
            CostEntry.objects.create(
                kind=CostKind.EXPENSE,
                description=f"{t.mark(i)} hall hire",
                amount=Decimal("80.00"),
                vat=Decimal("16.00"),
                source="receipt",
                **common,
            )
    return {}


def build_scheme_page(t: Tenancy, rows) -> dict:
    """A scheme page with i stage moves, milestones, adviser tenders and history entries; its CLT's
    agreed allocation policy (with its tiers and bands) and i issued nomination lists."""
    from schemes.allocations.models import NominationList, NominationStatus
    from tests.worlds.world_allocations import make_policy

    def make():
        scheme = t.scheme(name="Orchard Close", i=2)
        t.target("policy", lambda: make_policy(t, scheme.clt))
        return scheme

    scheme = t.target("scheme", make)
    for i in rows:
        NominationList.objects.create(
            umbrella=t.umbrella,
            scheme=scheme,
            number=i + 1,
            policy=t.targets["policy"],
            agreed_by=t.colleague(f"Panel {i}"),
            status=NominationStatus.READY,
            agreed_at=timezone.now() - timedelta(days=50 - i),
        )
        StageChange.objects.create(
            umbrella=t.umbrella,
            scheme=scheme,
            from_stage=Stage.HA_MATCHED,
            to_stage=Stage.DESIGN,
            changed_by=t.colleague(f"Mover {i}"),
            changed_at=timezone.now() - timedelta(days=100 - i),
            note=f"Moved ({t.mark(i)})",
        )
        Milestone.objects.create(
            umbrella=t.umbrella,
            clt=scheme.clt,
            scheme=scheme,
            title=f"{t.mark(i)} milestone",
            due_on=TODAY + timedelta(days=i),
            owner=t.colleague(f"Owner {i}"),
            is_development=i % 2 == 0,
        )
        _tender(t, scheme, i, title=f"Tender {i}", appoint=i % 2 == 0)
        t.history(scheme, i)
    return {"public_id": scheme.public_id}


def build_clt_page(t: Tenancy, rows) -> dict:
    """A CLT page with i parishes, board members, AGMs, advice sessions, grants, schemes, allocation
    policy versions, history."""
    from clts.allocations.models import AllocationPolicy, PolicyStatus

    clt = t.target("clt", lambda: t.clt())
    for i in rows:
        AllocationPolicy.objects.create(
            umbrella=t.umbrella,
            clt=clt,
            version=i + 1,
            status=PolicyStatus.SUPERSEDED,
            agreed_on=date(2020, 1, 1) + timedelta(days=i),
        )
        if i:
            t.parish(serves=clt)
        Person.objects.create(
            umbrella=t.umbrella,
            clt=clt,
            name=f"{t.mark(i)} Trustee",
            role=PersonRole.BOARD_MEMBER,
            term_start=TODAY - timedelta(days=300),
            term_end=TODAY + timedelta(days=20 * i),
        )
        AGM.objects.create(
            umbrella=t.umbrella,
            clt=clt,
            held_on=date(2025, 6, 14) - timedelta(days=365 * i),
            members_present=30,
            resolutions=f"Accounts adopted ({t.mark(i)})",
        )
        AdviceSession.objects.create(
            umbrella=t.umbrella,
            clt=clt,
            given_on=date(2025, 3, 1) - timedelta(days=i),
            topic=AdviceTopic.GOVERNANCE,
            hours=Decimal("2.00"),
            given_by=t.colleague(f"Adviser {i}"),
        )
        RevenueGrant.objects.create(
            umbrella=t.umbrella,
            clt=clt,
            funder=f"Funder {i}",
            status=GrantStatus.SUBMITTED,
            amount_requested=Decimal("10000.00"),
            submitted_on=date(2025, 1, 1),
        )
        t.scheme(name=f"Scheme {i} of the CLT", i=i, clt=clt)
        t.history(clt, i)
    return {"public_id": clt.public_id}


def build_site_page(t: Tenancy, rows) -> dict:
    """A site page with i landowner talks, schemes on the site and history entries."""
    site = t.target("site", lambda: t.site(clt=t.own_clt if t.role == "volunteer" else None, name="Church Lane"))
    for i in rows:
        Negotiation.objects.create(
            umbrella=t.umbrella,
            site=site,
            on=date(2026, 3, 1) - timedelta(days=i),
            contact=f"{t.mark(i)} landowner's agent",
            offer_or_terms="£15,000 a plot",
            outcome="Considering",
            status_after=NegotiationStatus.NEGOTIATING,
        )
        t.scheme(name=f"Scheme {i} on the site", i=i, site=site)
        t.history(site, i)
    return {"public_id": site.public_id}


def build_tender_page(t: Tenancy, rows) -> dict:
    """A tender being evaluated with i invited firms, their bids and history entries."""

    def make():
        tender = _tender(t, t.scheme(name="Orchard Close", i=2), 0, title="Architect", firms=0)
        tender.status = TenderStatus.CLOSED
        tender.save()
        return tender

    tender = t.target("tender", make)
    for i in rows:
        firm = AdviserFirm.objects.create(umbrella=t.umbrella, name=f"{t.mark(i)} Architects", disciplines="architect")
        TenderInvitation.objects.create(umbrella=t.umbrella, tender=tender, firm=firm)
        Bid.objects.create(
            umbrella=t.umbrella,
            tender=tender,
            firm=firm,
            price=Decimal("20000.00") + 100 * i,
            quality_score=Decimal(50 + i % 50),
        )
        t.history(tender, i)
    return {"public_id": tender.public_id}


def build_ha_page(t: Tenancy, rows) -> dict:
    """An HA page with i collaboration agreements (past and current), schemes and history entries."""
    ha = t.target("ha", lambda: t.ha())
    bases = [
        {"fee_basis": FeeBasis.FIXED_PER_HOME, "fee_per_home": Decimal("4500.00")},
        {"fee_basis": FeeBasis.PERCENT_OF_COST, "fee_percent": Decimal("2.50")},
        {"fee_basis": FeeBasis.ACTUAL_CAPPED, "cap_amount": Decimal("60000.00")},
    ]
    for i in rows:
        if i:  # the HA came with its first agreement
            CollaborationAgreement.objects.create(
                umbrella=t.umbrella,
                housing_association=ha,
                status=AgreementStatus.EXPIRED,
                signed_on=date(2023, 1, 1) - timedelta(days=i),
                **bases[i % 3],
            )
        t.scheme(name=f"{t.mark(i)} Meadow View", i=i, ha=ha)
        t.history(ha, i)
    return {"public_id": ha.public_id}


@dataclass(frozen=True)
class Page:
    url_name: str
    build: object
    query: str = ""
    #: how many of the 50 rows the page must show (lists show 25 a page, the home page 10 schemes)
    shows_at_least: int = 10

    @property
    def id(self) -> str:
        return self.url_name + (f"?{self.query}" if self.query else "")


def _list(url_name, build):
    return [Page(url_name, build), Page(url_name, build, query="format=csv")]


PAGES: list[Page] = [
    *_list("scheme_list", build_schemes),
    *_list("site_list", build_sites),
    *_list("tender_list", build_tenders),
    *_list("milestone_list", build_milestones),
    *_list("ha_list", build_has),
    *_list("adviser_firm_list", build_firms),
    *_list("statement_list", build_statements),
    *_list("cost_entry_list", build_costs),
    *_list("earlier_invoice_list", build_earlier_invoices),
    *_list("clt_list", build_clts),
    *_list("parish_list", build_parishes),
    *_list("person_list", build_people),
    *_list("agm_list", build_agms),
    *_list("advice_session_list", build_advice),
    *_list("revenue_grant_list", build_grants),
    *_list("survey_list", build_surveys),
    *_list("programme_list", build_programmes),
    *_list("programme_organisation_list", build_programme_organisations),
    Page("umbrella_home", build_home),
    Page("member_list", build_members),
    Page("scheme_detail", build_scheme_page),
    Page("clt_detail", build_clt_page),
    Page("site_detail", build_site_page),
    Page("tender_detail", build_tender_page),
    Page("ha_detail", build_ha_page),
    # allocations (builders in tests/worlds/world_allocations.py)
    *_list("policy_list", build_policies),
    *_list("applicant_list", build_applicants),
    *_list("nomination_list", build_nomination_lists),
    Page("policy_detail", build_policy_page),
    Page("eligibility_check", build_check_page),
    # The applicant page shows the latest 20 views of the record (and every change and list).
    Page("applicant_detail", build_applicant_page, shows_at_least=20),
    Page("scheme_ranking", build_ranking_page),
    Page("nomination_detail", build_nomination_page),
    # homes and re-lets (builders in tests/worlds/world_relets.py)
    *_list("vacancy_list", build_vacancies),
    *_list("home_list", build_home_list),
    Page("home_detail", build_home_page),
]


def roles_for(page: Page) -> list[str]:
    for case in MATRIX:
        if case.method == "GET" and case.url_name == page.url_name and case.query == page.query:
            return [role for role in MEASURED_ROLES if case.expect[role] == 200]
    raise AssertionError(f"{page.id} is not in tests/permissions/matrix.py")


CASES = [pytest.param(page, role, id=f"{page.id}-{role}") for page in PAGES for role in roles_for(page)]


# --- measuring ------------------------------------------------------------------------------

PROJECT = Path(__file__).resolve().parents[2]


def _where() -> str:
    """Where the running query comes from: the innermost template tag and project frame."""
    template = code = ""
    frame = sys._getframe(2)
    while frame is not None and not (template and code):
        node = frame.f_locals.get("self")
        # type(), not isinstance(): the latter would evaluate a lazy object (request.user) and query.
        if not template and issubclass(type(node), Node) and getattr(node, "token", None) is not None:
            name = getattr(getattr(node, "origin", None), "template_name", "?")
            tag = "{{ %s }}" if node.token.token_type == TokenType.VAR else "{%% %s %%}"
            template = f"{name}:{node.token.lineno} " + tag % node.token.contents
        path = frame.f_code.co_filename
        if (
            not code
            and path.startswith(str(PROJECT))
            and "/.venv/" not in path
            and "/tests/" not in path
            and not path.endswith("middleware.py")
        ):
            code = f"{Path(path).relative_to(PROJECT)}:{frame.f_lineno} in {frame.f_code.co_name}"
        frame = frame.f_back
    return " / ".join(part for part in (template, code) if part)


@dataclass
class Measure:
    count: int
    body: bytes
    queries: list[tuple[str, str]] = field(default_factory=list)  # (sql with %s, where)
    sql: list[str] = field(default_factory=list)  # as executed


def measure(client: Client, url: str) -> Measure:
    seen: list[tuple[str, str]] = []

    def record(execute, sql, params, many, context):
        seen.append((sql, _where()))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(record):
        response = client.get(url)
        assert response.status_code == 200, f"GET {url}: {response.status_code}"
        # A streamed CSV runs its queries while it is read: read it inside the measurement.
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return Measure(len(captured), body, seen, [q["sql"] for q in captured.captured_queries])


def _statement(sql: str) -> str:
    return re.sub(r'"s\d+_x\d+"', '"s?"', sql)  # savepoint names differ from request to request


def growth(few: Measure, many: Measure) -> str:
    """The queries that run more often with more rows, how often, and where from."""
    before = Counter(_statement(sql) for sql, _ in few.queries)
    after = Counter(_statement(sql) for sql, _ in many.queries)
    where = defaultdict(Counter)
    for sql, place in many.queries:
        where[_statement(sql)][place or "?"] += 1
    lines = []
    for sql, n in after.most_common():
        if n > before[sql]:
            places = "; ".join(f"{p} (x{c})" for p, c in where[sql].most_common(3))
            lines.append(f"  {before[sql]} -> {n} times: {sql[:300]}\n      from {places}")
    return "\n".join(lines) or "  (same statements, different counts)"


RESULTS: list[tuple[str, str, int, int, int]] = []


@pytest.fixture(scope="module", autouse=True)
def _print_table(request):
    yield
    if not RESULTS:
        return
    lines = ["", f"query budgets: page [role]: queries with {FEW} row / with {MANY} rows / budget"]
    for page_id, role, few, many, budget in RESULTS:
        flag = "" if few == many <= budget else ("  GROWS" if many != few else "  OVER BUDGET")
        lines.append(f"  {page_id:<32} {role:<10} {few:>4} / {many:>4} / {budget:>3}{flag}")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():  # to the terminal, not into a captured teardown
        print("\n".join(lines), flush=True)


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("page, role", CASES)
def test_query_count_does_not_grow_with_rows_and_stays_in_budget(page: Page, role: str):
    t = Tenancy(role)
    kwargs = page.build(t, range(0, FEW))
    url = reverse(page.url_name, kwargs={"umbrella_slug": t.umbrella.slug, **kwargs})
    if page.query:
        url += "?" + page.query
    client = Client()
    client.force_login(t.user)
    measure(client, url)  # the first request of a session does one-off work: do not count it

    # Cached reads (the home pages' figures, core.versions) are measured as computed, the way
    # they are read after every change to the umbrella's data.
    umbrellas_changed([t.umbrella.pk])
    few = measure(client, url)
    assert t.mark(0).encode() in few.body, f"{page.id} as {role} does not show its row: the count proves nothing"

    page.build(t, range(FEW, MANY))
    umbrellas_changed([t.umbrella.pk])
    many = measure(client, url)
    shown = sum(t.mark(i).encode() in many.body for i in range(MANY))
    assert shown >= min(MANY, page.shows_at_least), f"{page.id} as {role} shows {shown} of its {MANY} rows"

    budget = BUDGETS.get(page.id, DEFAULT_BUDGET)
    RESULTS.append((page.id, role, few.count, many.count, budget))
    print(f"{page.id} [{role}]: {few.count} queries with {FEW} row, {many.count} with {MANY}; budget {budget}")

    assert many.count == few.count, (
        f"{page.id} as {role}: {few.count} queries with {FEW} row, {many.count} with {MANY} rows.\n"
        f"Queries that repeat per row:\n{growth(few, many)}"
    )
    assert few.count <= budget, f"{page.id} as {role}: {few.count} queries, over its budget of {budget}:\n" + "\n".join(
        f"  {sql[:160]}" for sql in few.sql
    )


def test_every_list_page_has_a_query_budget():
    """Every GET list page of the matrix (and its CSV export) and every record page is measured."""
    list_views = {name for name, view, _ in tenant_url_patterns() if view and issubclass(view, TenantListView)}
    wanted = {(c.url_name, c.query) for c in MATRIX if c.method == "GET" and c.url_name in list_views}
    wanted |= {(name, "") for name in RECORD_PAGES}
    measured = {(p.url_name, p.query) for p in PAGES}
    missing = sorted(f"{name}{'?' + q if q else ''}" for name, q in wanted - measured)
    assert not missing, f"add a builder to tests/project/test_query_budgets.py PAGES for: {missing}"
    assert all(roles_for(p) for p in PAGES)
