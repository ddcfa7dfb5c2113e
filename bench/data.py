"""The large synthetic data set for `make bench` (issue 7): many umbrellas, one of them big.

At scale 1: 50 umbrellas, 2,000 CLTs, 10,000 schemes, 500,000 cost entries and 50 housing
associations, one umbrella (the first, slug `bench-big`) holding a fifth of each; around them what
the pages read (parishes, sites, housing need surveys, stage history, milestones, leases, tenders
and bids, statements, grants, board members, advice sessions, audit events, memberships).

Rows go in with PostgreSQL's COPY (ids assigned here, sequences reset after), so the whole set
takes well under a minute. Only for a throwaway benchmark database: it never runs in the app.
Every row is valid against the models' constraints (the database checks them on COPY).
"""

from __future__ import annotations

import io
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import AuditEvent, Membership, Role, Umbrella, User
from clts.models import (
    CLT,
    AdviceSession,
    AdviceTopic,
    CLTParish,
    GrantStatus,
    HousingNeed,
    HousingNeedSurvey,
    Parish,
    Person,
    PersonRole,
    RevenueGrant,
    SetupStatus,
    Tenure,
)
from partnerships.organisations.models import (
    AdviserFirm,
    AdviserRole,
    AgreementStatus,
    CollaborationAgreement,
    FeeBasis,
    HousingAssociation,
    RoleRate,
    StaffRole,
)
from partnerships.recoupment.models import Statement, StatementStatus
from schemes.models import (
    RAG,
    Bid,
    CostEntry,
    Lease,
    Milestone,
    MilestoneKind,
    NegotiationStatus,
    Scheme,
    Site,
    StageChange,
    Tender,
    TenderInvitation,
    TenderStatus,
)
from schemes.stages import PIPELINE, Stage

BIG_SLUG = "bench-big"
EXPORT_SLUG = "bench-export"
COST_COLUMNS = [
    "id",
    "public_id",
    "umbrella_id",
    "kind",
    "clt_id",
    "scheme_id",
    "on",
    "person_id",
    "staff_role_id",
    "hours",
    "activity",
    "description",
    "amount",
    "vat",
]
FULL = {"umbrellas": 50, "clts": 2000, "schemes": 10000, "cost_entries": 500000, "has": 50}

_WORDS = [
    "Ash",
    "Beech",
    "Brook",
    "Church",
    "Combe",
    "Down",
    "Elm",
    "Ford",
    "Green",
    "Hill",
    "Holt",
    "Lea",
    "Marsh",
    "Mill",
    "Moor",
    "Oak",
    "Orchard",
    "Pound",
    "Quarry",
    "Rectory",
    "Ridge",
    "Stone",
    "Vale",
    "Well",
    "Willow",
    "Wood",
]
_SUFFIX = ["Close", "Meadow", "Fields", "Court", "View", "Gardens", "Lane", "Green", "Rise", "Place"]
_DISTRICTS = [
    "Somerset",
    "East Devon",
    "Mid Devon",
    "Dorset",
    "Wiltshire",
    "Cornwall",
    "Teignbridge",
    "South Hams",
    "Torridge",
    "West Devon",
    "Mendip",
    "Sedgemoor",
]
_COUNTY = {
    "Somerset": "Somerset",
    "East Devon": "Devon",
    "Mid Devon": "Devon",
    "Dorset": "Dorset",
    "Wiltshire": "Wiltshire",
    "Cornwall": "Cornwall",
    "Teignbridge": "Devon",
    "South Hams": "Devon",
    "Torridge": "Devon",
    "West Devon": "Devon",
    "Mendip": "Somerset",
    "Sedgemoor": "Somerset",
}
# How schemes spread over the stages (weights), roughly a real pipeline: many early, fewer late.
_STAGE_WEIGHTS = {
    Stage.ENQUIRY: 10,
    Stage.CLT_FORMED: 9,
    Stage.SITE_SEARCH: 9,
    Stage.SITE_SECURED: 8,
    Stage.HA_MATCHED: 7,
    Stage.DESIGN: 7,
    Stage.PLANNING_SUBMITTED: 6,
    Stage.PLANNING_APPROVED: 5,
    Stage.S106_SIGNED: 5,
    Stage.FREEHOLD_AND_LEASE: 4,
    Stage.START_ON_SITE: 6,
    Stage.PRACTICAL_COMPLETION: 4,
    Stage.OCCUPIED: 8,
    Stage.ON_HOLD: 5,
    Stage.WITHDRAWN: 7,
}


def _split(total: int, parts: int) -> list[int]:
    """`total` shared as evenly as possible over `parts` (the first ones get the remainder)."""
    if parts <= 0:
        return []
    q, r = divmod(total, parts)
    return [q + (1 if i < r else 0) for i in range(parts)]


def plan_counts(scale: float) -> dict[str, list[int]]:
    """Per umbrella counts: the first umbrella holds a fifth of everything, the rest share the rest."""
    n_umbrellas = max(2, round(FULL["umbrellas"] * scale))
    out = {}
    for key in ("clts", "schemes", "cost_entries", "has"):
        total = max(n_umbrellas, round(FULL[key] * scale)) if key != "has" else max(1, round(FULL[key] * scale))
        big = max(1, round(total / 5))
        out[key] = [big] + _split(total - big, n_umbrellas - 1)
    return out


# --- COPY ------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if isinstance(value, (dict, list)):
        return _text(json.dumps(value))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


class Copier:
    """COPY rows into a model's table with ids chosen here (so later rows can point at them)."""

    CHUNK = 50_000

    def __init__(self):
        self.counts: dict[str, int] = {}
        self.now = timezone.now()
        self._next_id: dict[type, int] = {}

    def next_id(self, model) -> int:
        if model not in self._next_id:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')
                self._next_id[model] = cursor.fetchone()[0] + 1
        return self._next_id[model]

    def ids(self, model, n: int) -> range:
        start = self.next_id(model)
        self._next_id[model] = start + n
        return range(start, start + n)

    def copy(self, model, columns: list[str], rows: list[tuple]) -> None:
        """`columns` are attnames including "id"; other NOT NULL fields of the model are filled
        with their defaults (a callable default, such as a uuid, is called for every row)."""
        if not rows:
            return
        meta = model._meta
        given = set(columns)
        extra_const, extra_call = [], []
        for f in meta.concrete_fields:
            if f.attname in given:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                extra_const.append((f.column, self.now))
            elif f.has_default():
                if callable(f.default):
                    extra_call.append((f.column, f.default))
                else:
                    extra_const.append((f.column, f.get_default()))
            elif f.null:
                continue
            elif f.empty_strings_allowed and not f.is_relation:
                extra_const.append((f.column, ""))
            else:
                raise ValueError(f"{meta.label}.{f.name} needs a value")
        cols = [meta.get_field(c).column if c != "id" else "id" for c in columns]
        cols += [c for c, _ in extra_const] + [c for c, _ in extra_call]
        const_tail = "\t".join(_text(v) for _, v in extra_const)
        calls = [fn for _, fn in extra_call]
        sql = f'COPY "{meta.db_table}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) FROM STDIN'
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg2's cursor, for copy_expert
            for start in range(0, len(rows), self.CHUNK):
                buf = io.StringIO()
                for row in rows[start : start + self.CHUNK]:
                    cells = [_text(v) for v in row]
                    if const_tail:
                        cells.append(const_tail)
                    if calls:
                        cells.extend(_text(fn()) for fn in calls)
                    buf.write("\t".join(cells))
                    buf.write("\n")
                buf.seek(0)
                raw.copy_expert(sql, buf)
        self.counts[meta.label] = self.counts.get(meta.label, 0) + len(rows)

    def reset_sequences(self) -> None:
        models = list(self._next_id)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


# --- the data set ------------------------------------------------------------------------------


@dataclass
class BenchLogin:
    role: str
    user_id: int
    email: str


@dataclass
class BenchWorld:
    slug: str
    logins: dict[str, BenchLogin]
    #: a scheme each role may see, with a site, an HA partner, a lease, a tender and milestones
    detail_scheme: str
    counts: dict[str, int] = field(default_factory=dict)
    big_counts: dict[str, int] = field(default_factory=dict)
    build_seconds: float = 0.0


def _stage_path(stage: str, held_from: str) -> list[str]:
    if stage in PIPELINE:
        return PIPELINE[: PIPELINE.index(stage) + 1]
    return PIPELINE[: PIPELINE.index(held_from) + 1] + [stage]


def build(*, scale: float = 1.0, seed: int = 7, today: date | None = None, vacuum: bool = True) -> BenchWorld:
    """Build the data set (committed: gunicorn reads it from other processes). Run it on an empty,
    throwaway database: `make bench` gets one from scripts/harness.py."""
    t0 = time.perf_counter()
    with transaction.atomic():  # foreign keys are deferred to the commit: any order of COPY is fine
        rnd = random.Random(seed)
        today = today or timezone.localdate()
        plan = plan_counts(scale)
        n_umbrellas = len(plan["clts"])
        cp = Copier()
        now = cp.now
        tz = timezone.get_current_timezone()

        def at(day: date, hour: int = 10) -> datetime:
            return datetime.combine(day, dtime(hour, 0), tzinfo=tz)

        stages = list(_STAGE_WEIGHTS)
        weights = list(_STAGE_WEIGHTS.values())

        umbrella_ids = cp.ids(Umbrella, n_umbrellas)
        cp.copy(
            Umbrella,
            ["id", "name", "slug", "region", "address", "email", "require_mfa_for_staff"],
            [
                (
                    uid,
                    "Bench big umbrella" if i == 0 else f"Bench umbrella {i:02d}",
                    BIG_SLUG if i == 0 else f"bench-{i:02d}",
                    "South West",
                    "1 Bench Street\nLangport",
                    f"umbrella{i}@bench.test",
                    False,
                )
                for i, uid in enumerate(umbrella_ids)
            ],
        )

        user_rows = []

        def add_user(email: str, first: str, last: str) -> int:
            uid = cp.next_id(User) + len(user_rows)
            user_rows.append(
                (uid, email, first, last, "!bench-unusable", False, False, True, now, uuid.uuid4(), uuid.uuid4())
            )
            return uid

        memberships: list[tuple] = []
        role_rows, rate_rows, firm_rows, ha_rows, agreement_rows = [], [], [], [], []
        parish_rows, cltparish_rows, clt_rows, person_rows, grant_rows, advice_rows = [], [], [], [], [], []
        survey_rows, need_rows, site_rows, scheme_rows, change_rows, milestone_rows = [], [], [], [], [], []
        lease_rows, tender_rows, invite_rows, bid_rows, statement_rows, audit_rows = [], [], [], [], [], []

        ids = {
            m: cp.next_id(m)
            for m in (
                StaffRole,
                RoleRate,
                AdviserFirm,
                HousingAssociation,
                CollaborationAgreement,
                Parish,
                CLTParish,
                CLT,
                Person,
                RevenueGrant,
                AdviceSession,
                HousingNeedSurvey,
                HousingNeed,
                Site,
                Scheme,
                StageChange,
                Milestone,
                Lease,
                Tender,
                TenderInvitation,
                Bid,
                CostEntry,
                Statement,
                AuditEvent,
                Membership,
            )
        }

        def nid(model) -> int:
            value = ids[model]
            ids[model] = value + 1
            return value

        logins: dict[str, BenchLogin] = {}
        detail_scheme = None
        big_counts: dict[str, int] = {}
        start_fy = date(today.year if today.month >= 4 else today.year - 1, 4, 1)

        for ui, uid in enumerate(umbrella_ids):
            n_clts, n_schemes, n_costs, n_has = (
                plan["clts"][ui],
                plan["schemes"][ui],
                plan["cost_entries"][ui],
                plan["has"][ui],
            )
            admin = add_user(f"admin@u{ui}.bench.test", "Ada", f"Admin{ui}")
            staff = add_user(f"staff@u{ui}.bench.test", "Sam", f"Staff{ui}")
            staff_people = [admin, staff]
            memberships.append((nid(Membership), uuid.uuid4(), uid, admin, Role.ADMIN, None, None, False, now))
            memberships.append((nid(Membership), uuid.uuid4(), uid, staff, Role.STAFF, None, None, False, now))
            if ui == 0:
                logins["staff"] = BenchLogin("staff", staff, f"staff@u{ui}.bench.test")

            # staff roles and their rates (a rise each April)
            roles = []
            for name, rate in (("Project manager", 52), ("CLT adviser", 45), ("Administrator", 28)):
                rid = nid(StaffRole)
                roles.append(rid)
                role_rows.append((rid, uuid.uuid4(), uid, name))
                for k, year in enumerate((today.year - 3, today.year - 2, today.year - 1)):
                    rate_rows.append((nid(RoleRate), uuid.uuid4(), uid, rid, Decimal(rate + 2 * k), date(year, 4, 1)))

            firms = []
            for k, discipline in enumerate(("architect", "quantity surveyor", "solicitor", "planning consultant")):
                fid = nid(AdviserFirm)
                firms.append(fid)
                firm_rows.append((fid, uuid.uuid4(), uid, f"{_WORDS[k * 3]} {discipline.title()}s LLP", discipline))

            has, ha_team = [], {}
            for k in range(n_has):
                hid = nid(HousingAssociation)
                has.append(hid)
                ha_rows.append(
                    (
                        hid,
                        uuid.uuid4(),
                        uid,
                        f"{_WORDS[k % 26]}{'' if k < 26 else k} Homes",
                        f"H{k}",
                        "\n".join(rnd.sample(_DISTRICTS, 3)),
                        f"development@ha{k}.u{ui}.bench.test",
                        4 if k % 3 else None,
                        40 if k % 3 else None,
                    )
                )
                basis = [FeeBasis.FIXED_PER_HOME, FeeBasis.PERCENT_OF_COST, FeeBasis.ACTUAL_CAPPED][k % 3]
                agreement_rows.append(
                    (
                        nid(CollaborationAgreement),
                        uuid.uuid4(),
                        uid,
                        hid,
                        AgreementStatus.DRAFT if k % 7 == 6 else AgreementStatus.ACTIVE,
                        date(today.year - 3, 6, 1),
                        basis,
                        Decimal("4500.00") if basis == FeeBasis.FIXED_PER_HOME else None,
                        Decimal("2.50") if basis == FeeBasis.PERCENT_OF_COST else None,
                        Decimal("40000.00") if basis == FeeBasis.ACTUAL_CAPPED else None,
                        Stage.START_ON_SITE,
                    )
                )
                team = add_user(f"team@ha{k}.u{ui}.bench.test", "Hal", f"Team{ui}-{k}")
                ha_team[hid] = team
                memberships.append((nid(Membership), uuid.uuid4(), uid, team, Role.HA_TEAM, None, hid, False, now))
                if ui == 0 and k == 0:
                    logins["ha_team"] = BenchLogin("ha_team", team, f"team@ha{k}.u{ui}.bench.test")
                # four quarterly statements: paid, paid, issued, ready
                for q in range(4):
                    p_start = start_fy - timedelta(days=365) + timedelta(days=91 * q + 91)
                    p_end = p_start + timedelta(days=90)
                    status = [
                        StatementStatus.PAID,
                        StatementStatus.PAID,
                        StatementStatus.ISSUED,
                        StatementStatus.READY,
                    ][q]
                    due = Decimal(rnd.randint(2000, 30000))
                    issued = at(p_end + timedelta(days=10)) if status != StatementStatus.READY else None
                    statement_rows.append(
                        (
                            nid(Statement),
                            uuid.uuid4(),
                            uid,
                            hid,
                            p_start,
                            p_end,
                            1,
                            f"BENCH-{ui}-{k}-{q}",
                            status,
                            {},
                            due,
                            Decimal("0.00"),
                            due,
                            staff,
                            at(p_end + timedelta(days=5)),
                            issued,
                            staff if issued else None,
                            p_end + timedelta(days=40) if status == StatementStatus.PAID else None,
                        )
                    )

            # parishes, CLTs, their people, grants and advice
            clts, clt_parish, clt_volunteer = [], {}, {}
            for k in range(n_clts):
                district = _DISTRICTS[k % len(_DISTRICTS)]
                pid = nid(Parish)
                parish_rows.append(
                    (
                        pid,
                        uuid.uuid4(),
                        uid,
                        f"{_WORDS[k % 26]} {_WORDS[(k // 26) % 26]}ton {k}",
                        district,
                        _COUNTY[district],
                    )
                )
                cid = nid(CLT)
                clts.append(cid)
                clt_parish[cid] = pid
                status = [
                    SetupStatus.ACTIVE,
                    SetupStatus.ACTIVE,
                    SetupStatus.INCORPORATED,
                    SetupStatus.FORMING,
                    SetupStatus.ENQUIRY,
                    SetupStatus.DORMANT,
                ][k % 6]
                clt_rows.append(
                    (
                        cid,
                        uuid.uuid4(),
                        uid,
                        f"{_WORDS[k % 26]} {_WORDS[(k // 26) % 26]}ton {k} CLT",
                        "cbs",
                        f"RS{ui:02d}{k:05d}",
                        date(2015 + k % 10, 1 + k % 12, 1 + k % 28),
                        20 + k % 80,
                        status,
                        True,
                        True,
                        True,
                        k % 4 != 0,
                        k % 5 != 0,
                    )
                )
                cltparish_rows.append((nid(CLTParish), uid, cid, pid))
                vol = add_user(f"volunteer@clt{k}.u{ui}.bench.test", "Val", f"Volunteer{ui}-{k}")
                clt_volunteer[cid] = vol
                memberships.append(
                    (nid(Membership), uuid.uuid4(), uid, vol, Role.CLT_VOLUNTEER, cid, None, k % 2 == 0, now)
                )
                if ui == 0 and k == 0:
                    logins["clt_volunteer"] = BenchLogin("clt_volunteer", vol, f"volunteer@clt{k}.u{ui}.bench.test")
                for j, role in enumerate(
                    (PersonRole.CHAIR, PersonRole.SECRETARY, PersonRole.TREASURER, PersonRole.BOARD_MEMBER)
                ):
                    term_start = today - timedelta(days=200 + 300 * j + k % 97)
                    person_rows.append(
                        (
                            nid(Person),
                            uuid.uuid4(),
                            uid,
                            cid,
                            f"{_WORDS[(k + j) % 26]} Person {k}-{j}",
                            role,
                            term_start,
                            term_start + timedelta(days=3 * 365),
                        )
                    )
                submitted = k % 5 == 0
                grant_rows.append(
                    (
                        nid(RevenueGrant),
                        uuid.uuid4(),
                        uid,
                        cid,
                        "Community Housing Fund",
                        "Revenue",
                        Decimal(5000 + 250 * (k % 20)),
                        GrantStatus.SUBMITTED if submitted else GrantStatus.DRAFTING,
                        today - timedelta(days=k % 60) if submitted else None,
                    )
                )
                for j in range(2):
                    advice_rows.append(
                        (
                            nid(AdviceSession),
                            uuid.uuid4(),
                            uid,
                            cid,
                            today - timedelta(days=30 + 90 * j + k % 30),
                            [AdviceTopic.GOVERNANCE, AdviceTopic.BUSINESS_PLANNING][j],
                            Decimal("2.00"),
                            staff,
                            roles[1],
                        )
                    )
                if k % 5 < 3:  # three parishes in five have a housing needs survey
                    sid = nid(HousingNeedSurvey)
                    survey_rows.append((sid, uuid.uuid4(), uid, pid, today - timedelta(days=400 + k % 300), 300, 120))
                    for tenure in (Tenure.SOCIAL_RENT, Tenure.AFFORDABLE_RENT, Tenure.SHARED_OWNERSHIP):
                        for bedrooms in (1, 2, 3):
                            need_rows.append(
                                (nid(HousingNeed), uuid.uuid4(), uid, sid, tenure, bedrooms, 1 + (k + bedrooms) % 5)
                            )

            # schemes and what hangs off them
            scheme_ids = []
            for k in range(n_schemes):
                cid = clts[k % n_clts]
                first = ui == 0 and k == 0
                stage = Stage.START_ON_SITE if first else rnd.choices(stages, weights)[0]
                held_from = ""
                if stage in (Stage.ON_HOLD, Stage.WITHDRAWN):
                    held_from = rnd.choice(PIPELINE[:9])
                effective = held_from or stage
                reached = PIPELINE.index(effective)
                ha = None
                if has and reached >= PIPELINE.index(Stage.HA_MATCHED):
                    ha = has[0] if first else has[k % len(has)]
                site = None
                if reached >= PIPELINE.index(Stage.SITE_SECURED) or (stage == Stage.SITE_SEARCH and k % 2):
                    site = nid(Site)
                    secured = reached >= PIPELINE.index(Stage.SITE_SECURED)
                    site_rows.append(
                        (
                            site,
                            uuid.uuid4(),
                            uid,
                            f"Land at {_WORDS[k % 26]} {_SUFFIX[k % 10]} {k}",
                            clt_parish[cid],
                            f"Landowner {k}",
                            NegotiationStatus.OPTION_AGREED if secured else NegotiationStatus.NEGOTIATING,
                            1 + k % 5,
                            1 + (k + 1) % 5,
                            1 + (k + 2) % 5,
                            1 + (k + 3) % 5,
                            1 + (k + 4) % 5,
                        )
                    )
                sid = nid(Scheme)
                scheme_ids.append(sid)
                homes = [rnd.randint(0, 6), rnd.randint(0, 6), rnd.randint(0, 4), 0, rnd.randint(0, 2)]
                beds = sum(homes)
                b1, b2 = beds // 4, beds // 2
                public = uuid.uuid4()
                if first:
                    detail_scheme = str(public)
                rag = RAG.RED if k % 10 == 3 else RAG.AMBER if k % 5 in (1, 4) else RAG.GREEN
                scheme_rows.append(
                    (
                        sid,
                        public,
                        uid,
                        f"{_WORDS[(k * 7) % 26]} {_SUFFIX[k % 10]}, {k:05d}",
                        cid,
                        site,
                        ha,
                        stage,
                        held_from if stage == Stage.ON_HOLD else "",
                        rag,
                        "Waiting for the highways response" if rag != RAG.GREEN else "",
                        staff,
                        f"Contact {k}",
                        *homes,
                        b1,
                        b2,
                        beds - b1 - b2,
                        0,
                        Decimal(250000 * max(1, beds)) if reached >= 5 else None,
                        Decimal(60000 * max(1, beds)) if reached >= 7 else None,
                    )
                )
                started = today - timedelta(days=75 * (len(_stage_path(stage, effective)) + 1) + k % 60)
                previous = ""
                for step, to_stage in enumerate(_stage_path(stage, effective)):
                    change_rows.append(
                        (
                            nid(StageChange),
                            uid,
                            sid,
                            previous,
                            to_stage,
                            staff,
                            at(started + timedelta(days=75 * step)),
                            "" if step else "Enquiry from the parish council",
                        )
                    )
                    previous = to_stage
                for j in range(5):
                    due = today + timedelta(days=-150 + 90 * j + k % 45)
                    done = due < today and (k + j) % 3 != 0
                    kind = MilestoneKind.TASK if j % 2 else MilestoneKind.MILESTONE
                    milestone_rows.append(
                        (
                            nid(Milestone),
                            uuid.uuid4(),
                            uid,
                            cid,
                            sid,
                            kind,
                            f"{['Survey', 'Planning', 'Design', 'Tender', 'Handover'][j]} step {k}",
                            due,
                            clt_volunteer[cid] if kind == MilestoneKind.TASK else staff,
                            j >= 3,
                            due if done else None,
                        )
                    )
                if reached >= PIPELINE.index(Stage.FREEHOLD_AND_LEASE):
                    start_on = started + timedelta(days=75 * 9)
                    lease_rows.append(
                        (
                            nid(Lease),
                            uuid.uuid4(),
                            uid,
                            sid,
                            start_on,
                            125,
                            start_on,
                            Decimal("1000.00"),
                            Decimal("250.00"),
                            start_on + timedelta(days=365 * 21),
                            "fixed_formula",
                            Decimal("150000.00"),
                            Decimal("2.00"),
                        )
                    )
                if first or k % 10 == 5:
                    tid = nid(Tender)
                    awarded = reached >= PIPELINE.index(Stage.DESIGN)
                    bids = []
                    for j, firm in enumerate(firms[:2]):
                        bid = nid(Bid)
                        bids.append(bid)
                        bid_rows.append(
                            (
                                bid,
                                uuid.uuid4(),
                                uid,
                                tid,
                                firm,
                                Decimal(20000 + 1500 * j),
                                Decimal(70 - 5 * j),
                                today - timedelta(days=100),
                            )
                        )
                        invite_rows.append((nid(TenderInvitation), uid, tid, firm))
                    tender_rows.append(
                        (
                            tid,
                            uuid.uuid4(),
                            uid,
                            sid,
                            AdviserRole.ARCHITECT,
                            f"Architect for scheme {k}",
                            TenderStatus.AWARDED if awarded else TenderStatus.OPEN,
                            40,
                            today - timedelta(days=120),
                            bids[0] if awarded else None,
                            today - timedelta(days=90) if awarded else None,
                            Decimal(20000) if awarded else None,
                        )
                    )
                audit_rows.append(
                    (
                        nid(AuditEvent),
                        uid,
                        staff,
                        "created",
                        "scheme",
                        str(public),
                        f"Added scheme {k}",
                        {},
                        at(started),
                    )
                )
                audit_rows.append(
                    (
                        nid(AuditEvent),
                        uid,
                        staff,
                        "stage",
                        "scheme",
                        str(public),
                        f"Moved scheme {k} to {stage}",
                        {},
                        at(today - timedelta(days=k % 90)),
                    )
                )

            # cost entries: mostly on schemes, some on CLTs before they have one; three years of them.
            # Copied umbrella by umbrella to keep memory down (foreign keys are checked at commit).
            span = 3 * 365
            cost_rows = []
            for k in range(n_costs):
                on_clt = k % 20 == 19
                s_index = k % n_schemes
                sid = None if on_clt else scheme_ids[s_index]
                cid = clts[k % n_clts] if on_clt else clts[s_index % n_clts]
                on = today - timedelta(days=rnd.randrange(span))
                if k % 5 == 4:
                    amount = Decimal(rnd.randint(500, 50000)) / 100
                    cost_rows.append(
                        (
                            nid(CostEntry),
                            uuid.uuid4(),
                            uid,
                            "expense",
                            cid,
                            sid,
                            on,
                            None,
                            None,
                            None,
                            "",
                            "Travel and room hire",
                            amount,
                            (amount * Decimal("0.2")).quantize(Decimal("0.01")),
                        )
                    )
                else:
                    cost_rows.append(
                        (
                            nid(CostEntry),
                            uuid.uuid4(),
                            uid,
                            "time",
                            cid,
                            sid,
                            on,
                            staff_people[k % 2],
                            roles[k % 3],
                            Decimal(rnd.randint(1, 32)) / 4,
                            "Site meeting and follow-up",
                            "",
                            None,
                            Decimal("0.00"),
                        )
                    )
            cp.copy(CostEntry, COST_COLUMNS, cost_rows)
            if ui == 0:
                big_counts = {
                    "clts": n_clts,
                    "schemes": n_schemes,
                    "cost_entries": n_costs,
                    "housing_associations": n_has,
                }

        cp.copy(
            User,
            [
                "id",
                "email",
                "first_name",
                "last_name",
                "password",
                "is_superuser",
                "is_staff",
                "is_active",
                "date_joined",
                "public_id",
                "calendar_token",
            ],
            user_rows,
        )
        cp.ids(User, len(user_rows))
        cp.copy(StaffRole, ["id", "public_id", "umbrella_id", "name"], role_rows)
        cp.copy(
            RoleRate, ["id", "public_id", "umbrella_id", "staff_role_id", "hourly_rate", "effective_from"], rate_rows
        )
        cp.copy(AdviserFirm, ["id", "public_id", "umbrella_id", "name", "disciplines"], firm_rows)
        cp.copy(
            HousingAssociation,
            [
                "id",
                "public_id",
                "umbrella_id",
                "name",
                "short_name",
                "area_of_operation",
                "statement_email",
                "min_scheme_homes",
                "max_scheme_homes",
            ],
            ha_rows,
        )
        cp.copy(
            CollaborationAgreement,
            [
                "id",
                "public_id",
                "umbrella_id",
                "housing_association_id",
                "status",
                "signed_on",
                "fee_basis",
                "fee_per_home",
                "fee_percent",
                "cap_amount",
                "goes_ahead_at",
            ],
            agreement_rows,
        )
        cp.copy(Parish, ["id", "public_id", "umbrella_id", "name", "district", "county"], parish_rows)
        cp.copy(
            CLT,
            [
                "id",
                "public_id",
                "umbrella_id",
                "name",
                "legal_form",
                "registration_number",
                "incorporated_on",
                "membership_count",
                "setup_status",
                "s79_defined_community",
                "s79_community_benefit",
                "s79_open_membership",
                "s79_member_control",
                "s79_asset_lock",
            ],
            clt_rows,
        )
        cp.copy(CLTParish, ["id", "umbrella_id", "clt_id", "parish_id"], cltparish_rows)
        cp.copy(
            Membership,
            [
                "id",
                "public_id",
                "umbrella_id",
                "user_id",
                "role",
                "clt_id",
                "housing_association_id",
                "is_allocation_panel",
                "created_at",
            ],
            memberships,
        )
        cp.copy(
            Person, ["id", "public_id", "umbrella_id", "clt_id", "name", "role", "term_start", "term_end"], person_rows
        )
        cp.copy(
            RevenueGrant,
            [
                "id",
                "public_id",
                "umbrella_id",
                "clt_id",
                "funder",
                "programme",
                "amount_requested",
                "status",
                "submitted_on",
            ],
            grant_rows,
        )
        cp.copy(
            AdviceSession,
            ["id", "public_id", "umbrella_id", "clt_id", "given_on", "topic", "hours", "given_by_id", "staff_role_id"],
            advice_rows,
        )
        cp.copy(
            HousingNeedSurvey,
            ["id", "public_id", "umbrella_id", "parish_id", "surveyed_on", "households_surveyed", "responses"],
            survey_rows,
        )
        cp.copy(
            HousingNeed, ["id", "public_id", "umbrella_id", "survey_id", "tenure", "bedrooms", "households"], need_rows
        )
        cp.copy(
            Site,
            [
                "id",
                "public_id",
                "umbrella_id",
                "name",
                "parish_id",
                "landowner",
                "negotiation_status",
                "score_access",
                "score_planning",
                "score_landowner",
                "score_community",
                "score_cost",
            ],
            site_rows,
        )
        cp.copy(
            Scheme,
            [
                "id",
                "public_id",
                "umbrella_id",
                "name",
                "clt_id",
                "site_id",
                "housing_association_id",
                "stage",
                "held_from_stage",
                "rag",
                "rag_reason",
                "lead_officer_id",
                "clt_contact",
                "homes_social_rent",
                "homes_affordable_rent",
                "homes_shared_ownership",
                "homes_discounted_sale",
                "homes_first_homes",
                "bedrooms_1",
                "bedrooms_2",
                "bedrooms_3",
                "bedrooms_4_plus",
                "total_cost",
                "grant",
            ],
            scheme_rows,
        )
        cp.copy(
            StageChange,
            ["id", "umbrella_id", "scheme_id", "from_stage", "to_stage", "changed_by_id", "changed_at", "note"],
            change_rows,
        )
        cp.copy(
            Milestone,
            [
                "id",
                "public_id",
                "umbrella_id",
                "clt_id",
                "scheme_id",
                "kind",
                "title",
                "due_on",
                "owner_id",
                "is_development",
                "completed_on",
            ],
            milestone_rows,
        )
        cp.copy(
            Lease,
            [
                "id",
                "public_id",
                "umbrella_id",
                "scheme_id",
                "freehold_acquired_on",
                "term_years",
                "start_on",
                "premium",
                "ground_rent",
                "option_earliest_on",
                "option_basis",
                "option_base_price",
                "option_indexation_percent",
            ],
            lease_rows,
        )
        cp.copy(
            Bid,
            ["id", "public_id", "umbrella_id", "tender_id", "firm_id", "price", "quality_score", "received_on"],
            bid_rows,
        )
        cp.copy(
            Tender,
            [
                "id",
                "public_id",
                "umbrella_id",
                "scheme_id",
                "role",
                "title",
                "status",
                "price_weight",
                "closes_on",
                "appointed_bid_id",
                "appointed_on",
                "appointed_fee",
            ],
            tender_rows,
        )
        cp.copy(TenderInvitation, ["id", "umbrella_id", "tender_id", "firm_id"], invite_rows)
        cp.copy(
            Statement,
            [
                "id",
                "public_id",
                "umbrella_id",
                "housing_association_id",
                "period_start",
                "period_end",
                "version",
                "reference",
                "status",
                "figures",
                "total_outstanding",
                "total_vat",
                "total_due",
                "requested_by_id",
                "rendered_at",
                "issued_at",
                "issued_by_id",
                "paid_on",
            ],
            statement_rows,
        )
        cp.copy(
            AuditEvent,
            ["id", "umbrella_id", "actor_id", "action", "object_type", "object_id", "summary", "changes", "at"],
            audit_rows,
        )
        for model, value in ids.items():
            cp._next_id[model] = value
        cp.reset_sequences()
    copied = time.perf_counter() - t0
    # What autovacuum would have done by the time a real database held this much: fresh statistics
    # and visibility maps, so the planner and index-only scans behave as they would in production.
    # (Not inside a transaction: the tests build a small set with vacuum=False.)
    if vacuum:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    world = BenchWorld(
        slug=BIG_SLUG,
        logins=logins,
        detail_scheme=detail_scheme,
        counts=dict(cp.counts),
        big_counts=big_counts,
        build_seconds=round(time.perf_counter() - t0, 1),
    )
    world.counts["copy_seconds"] = round(copied, 1)
    return world


def build_export_umbrella(*, n_schemes: int, seed: int = 11) -> tuple[str, int]:
    """A separate umbrella holding `n_schemes` schemes (for the 10,000-row CSV export check),
    made after the page runs so they see only the data set above. Returns (slug, staff user id)."""
    with transaction.atomic():
        slug, staff, cp = _fill_export(n_schemes=n_schemes, seed=seed)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return slug, staff


def _fill_export(*, n_schemes: int, seed: int):
    rnd = random.Random(seed)
    cp = Copier()
    (uid,) = cp.ids(Umbrella, 1)
    cp.copy(
        Umbrella, ["id", "name", "slug", "require_mfa_for_staff"], [(uid, "Bench export umbrella", EXPORT_SLUG, False)]
    )
    (staff,) = cp.ids(User, 1)
    cp.copy(
        User,
        [
            "id",
            "email",
            "password",
            "is_superuser",
            "is_staff",
            "is_active",
            "date_joined",
            "public_id",
            "calendar_token",
        ],
        [(staff, "staff@export.bench.test", "!bench-unusable", False, False, True, cp.now, uuid.uuid4(), uuid.uuid4())],
    )
    cp.copy(
        Membership,
        ["id", "public_id", "umbrella_id", "user_id", "role", "is_allocation_panel", "created_at"],
        [(cp.ids(Membership, 1)[0], uuid.uuid4(), uid, staff, Role.STAFF, False, cp.now)],
    )
    n_clts = max(1, n_schemes // 5)
    clt_ids = cp.ids(CLT, n_clts)
    parish_ids = cp.ids(Parish, n_clts)
    cp.copy(
        Parish,
        ["id", "public_id", "umbrella_id", "name", "district"],
        [(p, uuid.uuid4(), uid, f"Parish {k}", _DISTRICTS[k % 12]) for k, p in enumerate(parish_ids)],
    )
    cp.copy(
        CLT,
        ["id", "public_id", "umbrella_id", "name"],
        [(c, uuid.uuid4(), uid, f"Export CLT {k}") for k, c in enumerate(clt_ids)],
    )
    ha_ids = cp.ids(HousingAssociation, 5)
    cp.copy(
        HousingAssociation,
        ["id", "public_id", "umbrella_id", "name"],
        [(h, uuid.uuid4(), uid, f"Export Homes {k}") for k, h in enumerate(ha_ids)],
    )
    site_ids = cp.ids(Site, n_schemes)
    cp.copy(
        Site,
        ["id", "public_id", "umbrella_id", "name", "parish_id"],
        [(s, uuid.uuid4(), uid, f"Land {k}", parish_ids[k % n_clts]) for k, s in enumerate(site_ids)],
    )
    stages = list(_STAGE_WEIGHTS)
    rows = []
    for k, sid in enumerate(cp.ids(Scheme, n_schemes)):
        stage = rnd.choice(stages)
        rows.append(
            (
                sid,
                uuid.uuid4(),
                uid,
                f"{_WORDS[(k * 7) % 26]} {_SUFFIX[k % 10]}, {k:05d}",
                clt_ids[k % n_clts],
                site_ids[k],
                ha_ids[k % 5],
                stage,
                PIPELINE[3] if stage == Stage.ON_HOLD else "",
                RAG.AMBER if k % 4 == 1 else RAG.GREEN,
                "=cmd|' /C calc'!A0" if k == 1 else "",
                rnd.randint(0, 8),
                Decimal(rnd.randint(100000, 900000)),
            )
        )
    cp.copy(
        Scheme,
        [
            "id",
            "public_id",
            "umbrella_id",
            "name",
            "clt_id",
            "site_id",
            "housing_association_id",
            "stage",
            "held_from_stage",
            "rag",
            "rag_reason",
            "homes_social_rent",
            "total_cost",
        ],
        rows,
    )
    cp.reset_sequences()
    return EXPORT_SLUG, staff, cp
