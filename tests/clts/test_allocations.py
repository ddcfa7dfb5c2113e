"""Allocations: the policy's versions, the eligibility check with its reasons, applicants and their
evidence, the ranking with ties, nomination lists (PDF and CSV read back), and privacy: the view
log, subject-access export, erasure and the retention rule.

Worked example used throughout (policy "v1", agreed):
  tier 1  Ashby (this parish): lives there >= 3 years, or works there >= 16 hours a week
  tier 2  Brook, Coldwell (adjoining): lives there >= 3 years, or close family there >= 5 years
  tier 3  the district of Somerset: lives there >= 5 years
  bands   1 Urgent, 2 Overcrowded, 3 Sharing
"""

import csv
import html
import io
import json
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.access import access_for
from accounts.models import AuditEvent, Role
from clts.allocations import selectors as policy_selectors
from clts.allocations import services as policy_services
from clts.allocations.eligibility import Answer, assess
from clts.allocations.models import AllocationPolicy, NeedBand, PolicyStatus, PolicyTier, TierScope
from core.pdf import private_path
from schemes.allocations import services as allocation_services
from schemes.allocations.models import (
    Applicant,
    ApplicantView,
    Connection,
    NominationEntry,
    NominationList,
    NominationStatus,
)
from schemes.allocations.ranking import ranking_for
from schemes.allocations.tasks import erase_expired_applicants
from tests.factories import (
    CLTFactory,
    HousingAssociationFactory,
    ParishFactory,
    SchemeFactory,
    UmbrellaFactory,
    membership,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)


class Setup:
    """An umbrella, a CLT in Ashby with an agreed three-tier policy, its scheme with an HA, and
    the people: staff, the panel volunteer, a volunteer not on the panel, the HA team."""

    def __init__(self):
        u = self.umbrella = UmbrellaFactory(name="Vale CLT Project", slug="vale")
        self.ashby = ParishFactory(umbrella=u, name="Ashby", district="Somerset")
        self.brook = ParishFactory(umbrella=u, name="Brook", district="Somerset")
        self.coldwell = ParishFactory(umbrella=u, name="Coldwell", district="Somerset")
        self.dorton = ParishFactory(umbrella=u, name="Dorton", district="Somerset")
        self.faraway = ParishFactory(umbrella=u, name="Faraway", district="Dorset")
        self.clt = CLTFactory(umbrella=u, name="Ashby CLT", parishes=[self.ashby])
        self.ha = HousingAssociationFactory(umbrella=u, name="Vale Homes")
        self.scheme = SchemeFactory(clt=self.clt, housing_association=self.ha, name="Church Lane, Ashby")
        self.staff = membership(u, Role.STAFF).user
        self.panel = membership(u, Role.CLT_VOLUNTEER, clt=self.clt, panel=True).user
        self.volunteer = membership(u, Role.CLT_VOLUNTEER, clt=self.clt).user
        self.team = membership(u, Role.HA_TEAM, ha=self.ha).user
        self.access = access_for(user=self.staff, umbrella_slug=u.slug)
        self.panel_access = access_for(user=self.panel, umbrella_slug=u.slug)
        self.policy = self.make_policy()

    def make_policy(self) -> AllocationPolicy:
        a = self.access
        p = policy_services.policy_start(access=a, clt=self.clt)
        p.s106_reference, p.s106_signed_on = "24/00123/FUL", date(2024, 3, 1)
        p.housing_association, p.district_council, p.nomination_signed_on = (
            self.ha,
            "Somerset Council",
            date(2024, 3, 1),
        )
        p.save()
        for position, name, scope, parishes, district, tests in [
            (1, "Ashby", TierScope.THIS_PARISH, [self.ashby], "", {"lives_years": 3, "works_hours": 16}),
            (
                2,
                "Brook and Coldwell",
                TierScope.ADJOINING,
                [self.brook, self.coldwell],
                "",
                {"lives_years": 3, "family_years": 5},
            ),
            (3, "Somerset", TierScope.DISTRICT, [], "Somerset", {"lives_years": 5}),
        ]:
            policy_services.tier_save(
                access=a,
                parishes=parishes,
                tier=PolicyTier(policy=p, position=position, name=name, scope=scope, district=district, **tests),
            )
        for position, name in [(1, "Urgent"), (2, "Overcrowded"), (3, "Sharing")]:
            policy_services.band_save(
                access=a, band=NeedBand(policy=p, position=position, name=name, description=f"{name} need")
            )
        return policy_services.policy_agree(access=a, policy=p, agreed_on=date(2024, 4, 1))

    def client(self, user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    def url(self, name, obj=None) -> str:
        kw = {"umbrella_slug": self.umbrella.slug}
        if obj is not None:
            kw["public_id"] = obj.public_id
        return reverse(name, kwargs=kw)

    def applicant(self, name, registered, band, *connections) -> Applicant:
        """connections: (kind, parish or district name, amount, checked)."""
        rows = []
        parishes = {p.name: p for p in (self.ashby, self.brook, self.coldwell, self.dorton, self.faraway)}
        for kind, place, amount, checked in connections:
            parish = parishes.get(place)
            rows.append(
                {
                    "kind": kind,
                    "parish": parish,
                    "district": "" if parish else place,
                    "years": None if kind == "works" else amount,
                    "hours": amount if kind == "works" else None,
                    "evidence": f"Evidence for {name}",
                    "checked": checked,
                }
            )
        return allocation_services.applicant_save(
            access=self.panel_access,
            connections=rows,
            applicant=Applicant(scheme=self.scheme, name=name, registered_on=registered, need_band=band),
        )


@pytest.fixture
def s():
    return Setup()


def policy_rules(s):
    return policy_selectors.policy_get(access=s.access, public_id=s.policy.public_id)


# --- the check, with worked answers ------------------------------------------------------------


def test_lives_in_the_parish_long_enough_is_tier_one(s):
    result = assess(policy_rules(s), [Answer("lives", s.ashby, "Somerset", years=4)], 2)
    assert str(result.tier) == "Tier 1: Ashby" and str(result.band) == "Band 2: Overcrowded"
    assert result.tiers[0].tests[0].reason == "Met “lives there, at least 3 years”: lives in Ashby for 4 years."
    assert result.tiers[0].tests[1].reason == "Not met “works there, at least 16 hours a week”: not claimed."


def test_short_residence_fails_tier_one_with_the_reason_and_falls_to_family_in_tier_two(s):
    result = assess(
        policy_rules(s),
        [Answer("lives", s.ashby, "Somerset", years=2), Answer("family", s.coldwell, "Somerset", years=30)],
        1,
    )
    assert result.tier.position == 2
    assert result.tiers[0].tests[0].reason == (
        "Not met “lives there, at least 3 years”: lives in Ashby for 2 years, short of 3 years."
    )
    assert "Met “close family there, at least 5 years”: has close family in Coldwell for 30 years." in [
        t.reason for t in result.tiers[1].tests
    ]


def test_a_place_outside_the_tier_is_named_in_the_reason(s):
    result = assess(policy_rules(s), [Answer("works", s.brook, "Somerset", hours=37)], 3)
    assert result.tier is None and result.tier_label == "No local connection in any tier"
    assert result.tiers[0].tests[1].reason == (
        "Not met “works there, at least 16 hours a week”: works in Brook, 37 hours a week, which is outside Ashby."
    )


def test_the_district_tier_takes_anywhere_in_it_but_not_another_district(s):
    rules = policy_rules(s)
    assert assess(rules, [Answer("lives", None, "Somerset", years=6)], 1).tier.position == 3
    assert assess(rules, [Answer("lives", s.dorton, "Somerset", years=6)], 1).tier.position == 3
    outside = assess(rules, [Answer("lives", s.faraway, "Dorset", years=40)], 1)
    assert outside.tier is None
    assert (
        outside.tiers[2]
        .tests[0]
        .reason.endswith("lives in Faraway for 40 years, which is outside anywhere in Somerset.")
    )


def test_unchecked_evidence_does_not_count(s):
    result = assess(
        policy_rules(s),
        [
            Answer("lives", s.ashby, "Somerset", years=10, checked=False),
            Answer("lives", s.ashby, "Somerset", years=10, checked=False),
        ],
        1,
    )
    assert result.tier is None
    assert "the evidence has not been checked" in result.tiers[0].tests[0].reason


def test_a_band_outside_the_policy_is_said_so(s):
    assert assess(policy_rules(s), [], 7).band_label == "Band 7 is not in this policy"


def test_the_checker_shows_tier_band_and_reasons_and_stores_nothing(s):
    counts = (
        Applicant.objects.count(),
        Connection.objects.count(),
        ApplicantView.objects.count(),
        AuditEvent.objects.count(),
    )
    response = s.client(s.volunteer).post(
        s.url("eligibility_check", s.clt),
        {
            "lives_place": f"p:{s.brook.public_id}",
            "lives_amount": "4",
            "works_place": f"p:{s.ashby.public_id}",
            "works_amount": "10",
            "need_band": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Result: Tier 2: Brook and Coldwell; Band 1: Urgent" in page
    assert "works in Ashby, 10 hours a week, short of 16 hours a week" in page
    assert "Save as an applicant" not in page  # not on the panel
    assert (
        Applicant.objects.count(),
        Connection.objects.count(),
        ApplicantView.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    panel_page = (
        s.client(s.panel)
        .post(
            s.url("eligibility_check", s.clt),
            {"lives_place": f"p:{s.brook.public_id}", "lives_amount": "4", "need_band": "1"},
        )
        .content.decode()
    )
    assert "Save as an applicant for Church Lane, Ashby" in panel_page


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"lives_place": "p:00000000-0000-0000-0000-000000000000", "lives_amount": "3", "need_band": "1"},
            "That is not one of the choices",
        ),
        ({"lives_place": "", "lives_amount": "3", "need_band": "1"}, "Say where, or leave the number empty."),
        ({"lives_place": "d:Somerset", "need_band": "1"}, "Say how long (or how many hours) for this connection."),
        ({"lives_place": "d:Somerset", "lives_amount": "3"}, "Choose one from the list."),
    ],
)
def test_the_checker_refuses_bad_answers_clearly(s, data, message):
    response = s.client(s.staff).post(s.url("eligibility_check", s.clt), data)
    assert response.status_code == 400 and message in response.content.decode()


def test_the_checker_without_an_agreed_policy_says_so(s):
    other = CLTFactory(umbrella=s.umbrella, name="Brook CLT", parishes=[s.brook])
    page = s.client(s.staff).get(s.url("eligibility_check", other)).content.decode()
    assert "Brook CLT has no agreed allocation policy yet" in page


# --- policy versions -------------------------------------------------------------------------


def test_a_new_version_copies_the_rules_and_supersedes_the_old_once_agreed(s):
    draft = policy_services.policy_start(access=s.access, clt=s.clt)
    assert (draft.version, draft.status) == (2, PolicyStatus.DRAFT)
    assert [(t.position, t.name, t.lives_years) for t in draft.tiers.order_by("position")] == [
        (1, "Ashby", 3),
        (2, "Brook and Coldwell", 3),
        (3, "Somerset", 5),
    ]
    assert set(draft.tiers.get(position=2).parishes.values_list("name", flat=True)) == {"Brook", "Coldwell"}
    with pytest.raises(ValidationError, match="already has a draft"):
        policy_services.policy_start(access=s.access, clt=s.clt)
    with pytest.raises(ValidationError, match="is agreed: it cannot be changed"):
        policy_services.tier_delete(access=s.access, tier=s.policy.tiers.first())
    policy_services.policy_agree(access=s.access, policy=draft, agreed_on=date(2026, 1, 5))
    s.policy.refresh_from_db()
    assert s.policy.status == PolicyStatus.SUPERSEDED
    assert policy_selectors.agreed_policy_for(access=s.access, clt=s.clt).version == 2
    old_page = s.client(s.volunteer).get(s.url("policy_detail", s.policy)).content.decode()
    assert "Superseded" in old_page and "Brook and Coldwell" in old_page  # older versions stay readable


def test_agreeing_an_incomplete_draft_lists_what_is_missing_and_changes_nothing(s):
    other = CLTFactory(umbrella=s.umbrella, name="Coldwell CLT", parishes=[s.coldwell])
    draft = policy_services.policy_start(access=s.access, clt=other)
    response = s.client(s.staff).post(s.url("policy_agree", draft), {"agreed_on": "2026-11-01"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "the s106 agreement and the date it was signed" in page
    assert "at least one tier of places" in page and "at least one housing-need band" in page
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.DRAFT


@pytest.mark.parametrize(
    "data, message",
    [
        ({"position": "4", "name": "Nowhere", "scope": "adjoining", "lives_years": "3"}, "Name at least one parish"),
        ({"position": "4", "name": "Somewhere", "scope": "district", "lives_years": "3"}, "Name the district"),
        (
            {"position": "4", "name": "No test", "scope": "district", "district": "Somerset"},
            "Set at least one connection test",
        ),
        (
            {"position": "1", "name": "Clash", "scope": "district", "district": "Somerset", "lives_years": "3"},
            "Another tier of this policy has that position",
        ),
    ],
)
def test_a_tier_with_no_place_or_test_is_refused_and_nothing_is_saved(s, data, message):
    draft = policy_services.policy_start(access=s.access, clt=s.clt)
    before = PolicyTier.objects.count()
    response = s.client(s.staff).post(s.url("tier_create", draft), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert PolicyTier.objects.count() == before


def test_volunteers_read_policies_but_cannot_change_them(s):
    assert s.client(s.volunteer).get(s.url("policy_detail", s.policy)).status_code == 200
    assert s.client(s.volunteer).post(s.url("policy_start", s.clt)).status_code == 403


# --- applicants, evidence, ranking -----------------------------------------------------------


def settled(s) -> dict:
    """The panel's decision on every tie of the ranking: in the order they were recorded, by lot."""
    ranking = ranking_for(access=s.panel_access, scheme=s.scheme, today=TODAY)
    places = {p.applicant.reference: i + 1 for group in ranking.ties for i, p in enumerate(group)}
    return {"places_in_tie": places, "tie_note": "drawn by lot"}


def make_eight(s):
    """Eight applicants across three tiers, with a tie in tier 1 and one not ranked."""
    # Names no factory generates where a test looks for them, or for their absence, in text that
    # also names generated people (a generated Benjamin or Hall would match "Ben" or "Hal").
    return {
        "amy": s.applicant("Amaryllis Vane", date(2024, 2, 1), 1, ("lives", "Ashby", 4, True)),
        "ben": s.applicant("Bendigo Quist", date(2023, 5, 10), 2, ("lives", "Ashby", 12, True)),
        "cat": s.applicant("Cat", date(2023, 5, 10), 2, ("works", "Ashby", 30, True)),
        "dan": s.applicant("Dan", date(2022, 11, 1), 3, ("lives", "Ashby", 3, True)),
        "eve": s.applicant("Eve", date(2024, 6, 15), 1, ("family", "Coldwell", 20, True)),
        "fay": s.applicant("Fay", date(2021, 1, 20), 2, ("lives", "Brook", 5, True)),
        "gus": s.applicant("Gus", date(2023, 8, 1), 3, ("lives", "Somerset", 7, True), ("family", "Ashby", 10, False)),
        "hal": s.applicant("Halloran Pike", date(2020, 1, 1), 1, ("lives", "Dorset", 9, True)),
    }


def test_the_ranking_orders_by_tier_then_band_then_time_waiting_and_shows_ties(s):
    people = make_eight(s)
    ranking = ranking_for(access=s.panel_access, scheme=s.scheme, today=TODAY)
    assert [(p.rank_label, p.applicant.name) for p in ranking.places] == [
        ("1", "Amaryllis Vane"),
        ("2=", "Bendigo Quist"),
        ("2=", "Cat"),
        ("4", "Dan"),
        ("5", "Eve"),
        ("6", "Fay"),
        ("7", "Gus"),
    ]
    assert [p.applicant.name for p in ranking.not_ranked] == ["Halloran Pike"]
    amy, ben, cat, dan = ranking.places[:4]
    assert amy.explanation == (
        "Tier 1 (Ashby): Met “lives there, at least 3 years”: lives in Ashby for 4 years. In band 1 (Urgent). "
        f"Waiting 2 years 9 months (registered 1 Feb 2024). Above {ben.applicant.reference} (same tier) because "
        "band 1 (Urgent) is more urgent than band 2 (Overcrowded)."
    )
    assert f"Tied with {cat.applicant.reference}: same tier, band and date registered" in ben.explanation
    assert (
        f"Above {people['eve'].reference} because tier 1 (Ashby) comes before tier 2 (Brook and Coldwell)."
        in dan.explanation
    )
    # Gus's family tie to Ashby is not checked, so he is in tier 3 and the page says why.
    assert ranking.places[6].assessment.tier.position == 3
    assert "No checked local connection in any tier" in ranking.not_ranked[0].explanation


def test_earlier_registration_wins_within_a_tier_and_band(s):
    s.applicant("Late", date(2025, 1, 1), 2, ("lives", "Ashby", 5, True))
    early = s.applicant("Early", date(2022, 1, 1), 2, ("lives", "Ashby", 5, True))
    first, second = ranking_for(access=s.access, scheme=s.scheme, today=TODAY).places
    assert first.applicant == early and second.rank == 2 and not first.tied
    assert "(same tier and band) because they registered earlier (1 Jan 2022, against 1 Jan 2025)" in first.explanation


def test_a_ranking_without_an_agreed_policy_is_refused_with_a_message(s):
    other = CLTFactory(umbrella=s.umbrella, name="Dorton CLT", parishes=[s.dorton])
    scheme = SchemeFactory(clt=other, name="Dorton Green")
    with pytest.raises(ValidationError, match="Dorton CLT has no agreed allocation policy"):
        ranking_for(access=s.access, scheme=scheme)
    page = s.client(s.staff).get(s.url("scheme_ranking", scheme)).content.decode()
    assert "Dorton CLT has no agreed allocation policy, so there is nothing to rank against" in page


def applicant_post(s, **overrides):
    data = {
        "name": "Iris Field",
        "registered_on": "2025-03-01",
        "need_band": "2",
        "household_size": "2",
        "bedrooms_needed": "1",
        "status": "waiting",
        "lives_place": f"p:{s.ashby.public_id}",
        "lives_amount": "6",
        "lives_evidence": "Council tax bills 2019 to 2025",
        "lives_checked": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_panel_records_an_applicant_and_checking_records_who_and_when(s):
    response = s.client(s.panel).post(s.url("applicant_create", s.scheme), applicant_post(s))
    assert response.status_code == 302
    applicant = Applicant.objects.get(name="Iris Field")
    connection = applicant.connections.get()
    assert (connection.kind, connection.parish, connection.years, connection.checked) == ("lives", s.ashby, 6, True)
    assert connection.checked_by == s.panel and connection.checked_at is not None
    page = s.client(s.panel).get(response["Location"]).content.decode()
    assert "Against the agreed policy (version 1): Tier 1: Ashby" in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"lives_evidence": ""}, "Say what evidence shows this connection"),
        (
            {"lives_place": "", "lives_amount": None, "lives_evidence": "", "lives_checked": None},
            "Record at least one local connection",
        ),
        ({"works_checked": "on"}, "There is no connection here to check."),
        ({"need_band": "9"}, "That is not one of the choices"),
        ({"registered_on": "next week"}, "Give a real date"),
        ({"registered_on": "2099-01-01"}, "1 Jan 2099 is after today: give today&#x27;s date"),
        ({"bedrooms_needed": "0"}, "A household needs at least one bedroom."),
        ({"household_size": "0"}, "A household is at least one person."),
    ],
)
def test_an_applicant_with_no_evidence_or_bad_answers_is_refused_and_nothing_saved(s, overrides, message):
    before = (Applicant.objects.count(), Connection.objects.count(), AuditEvent.objects.count())
    response = s.client(s.panel).post(s.url("applicant_create", s.scheme), applicant_post(s, **overrides))
    assert response.status_code == 400 and message in response.content.decode()
    assert (Applicant.objects.count(), Connection.objects.count(), AuditEvent.objects.count()) == before


def test_the_checker_answers_are_carried_to_the_applicant_form(s):
    query = f"lives_place=p:{s.brook.public_id}&lives_amount=4&need_band=1&name=Not+carried"
    page = s.client(s.panel).get(s.url("applicant_create", s.scheme) + "?" + query).content.decode()
    assert f'value="p:{s.brook.public_id}" selected' in page and 'value="4"' in page
    assert "Not carried" not in page


def test_only_the_panel_and_staff_reach_applicants(s):
    # A name no generated person can carry (a volunteer called Jones once made "Jo" match).
    applicant = s.applicant("Jozefina Quill", date(2024, 1, 1), 1, ("lives", "Ashby", 4, True))
    for name in ("applicant_detail", "applicant_edit", "applicant_export", "applicant_erase"):
        assert s.client(s.volunteer).get(s.url(name, applicant)).status_code == 404
        assert s.client(s.team).get(s.url(name, applicant)).status_code == 403
        assert s.client(s.panel).get(s.url(name, applicant)).status_code == 200
    assert s.client(s.volunteer).get(s.url("scheme_ranking", s.scheme)).status_code == 404
    assert "Jozefina Quill" not in s.client(s.volunteer).get(s.url("applicant_list")).content.decode()


# --- nomination lists ------------------------------------------------------------------------


def test_the_panel_issues_the_list_and_the_ha_sees_it_as_pdf_and_csv(s):
    make_eight(s)
    c = s.client(s.panel)
    refused = c.post(s.url("scheme_ranking", s.scheme), {})
    assert refused.status_code == 400 and "Tick to confirm the panel agreed the ranking" in refused.content.decode()
    assert not NominationList.objects.filter(scheme=s.scheme).exists()
    ben, cat = (Applicant.objects.get(name=n).reference for n in ("Bendigo Quist", "Cat"))
    # Ben and Cat are tied at 2=: the list is not issued until the panel settles it, every
    # problem said at once, and nothing is saved.
    refused = c.post(s.url("scheme_ranking", s.scheme), {"confirm": "on"})
    body = html.unescape(" ".join(refused.content.decode().split()))
    assert refused.status_code == 400
    assert f"{ben} and {cat} are tied at 2=: give each a place from 1 to 2." in body
    assert "Say how the panel settled the tie" in body
    refused = c.post(
        s.url("scheme_ranking", s.scheme), {"confirm": "on", f"tie_{ben}": "1", f"tie_{cat}": "1", "tie_note": "Lot"}
    )
    assert refused.status_code == 400
    assert "The places in the tie at 2= are 1 to 2, each used once." in html.unescape(refused.content.decode())
    assert not NominationList.objects.filter(scheme=s.scheme).exists()
    response = c.post(
        s.url("scheme_ranking", s.scheme),
        {"confirm": "on", f"tie_{ben}": "2", f"tie_{cat}": "1", "tie_note": "drawn by lot at the panel of 3 December"},
    )
    assert response.status_code == 302
    nl = NominationList.objects.get(scheme=s.scheme)
    assert (nl.status, nl.number, nl.agreed_by, nl.policy) == (NominationStatus.READY, 1, s.panel, s.policy)
    assert [e.reference for e in nl.entries.order_by("position")][:1] == [
        Applicant.objects.get(name="Amaryllis Vane").reference
    ]
    text = "\n".join(page.extract_text() for page in PdfReader(str(private_path(nl.pdf_path))).pages)
    assert "Nomination list 1: Church Lane, Ashby" in text and "2=" not in text and "Amaryllis" in text
    assert "the panel placed them in this order (drawn by lot at the panel of 3 December)" in " ".join(text.split())
    assert "Halloran" not in text  # not ranked, not nominated
    team = s.client(s.team)
    assert team.get(s.url("nomination_detail", nl)).status_code == 200
    raw = b"".join(team.get(s.url("nomination_csv", nl)).streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte order mark: a spreadsheet reads it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Rank", "Tied", "Reference", "Name"]
    assert [(r[0], r[1], r[3]) for r in rows[1:4]] == [
        ("1", "", "Amaryllis Vane"),
        ("2", "", "Cat"),  # the panel put Cat first of the tie
        ("3", "", "Bendigo Quist"),
    ]
    assert rows[0][6:9] == ["People in household", "Bedrooms needed", "Tenure wanted"]
    detail = " ".join(team.get(s.url("nomination_detail", nl)).content.decode().split())
    assert "1 person, 1 bedroom; any tenure" in detail
    # The HA team was emailed a link, never the names.
    [email] = [m for m in mail.outbox if "Nomination list 1" in m.subject]
    assert email.to == [s.team.email] and "Amaryllis" not in email.body and str(nl.public_id) in email.body
    assert team.get(s.url("scheme_ranking", s.scheme)).status_code == 403


def test_the_ha_sees_nothing_before_the_list_is_issued(s):
    make_eight(s)
    nl = NominationList.objects.create(
        umbrella=s.umbrella,
        scheme=s.scheme,
        number=1,
        policy=s.policy,
        agreed_by=s.panel,
        agreed_at=timezone.now(),
        status=NominationStatus.QUEUED,
    )
    team = s.client(s.team)
    assert team.get(s.url("nomination_detail", nl)).status_code == 404
    assert team.get(s.url("nomination_pdf", nl)).status_code == 404
    assert "List 1" not in team.get(s.url("nomination_list")).content.decode()


# --- privacy ---------------------------------------------------------------------------------


def test_every_view_of_an_applicant_is_logged(s):
    applicant = s.applicant("Kim", date(2024, 1, 1), 1, ("lives", "Ashby", 4, True))
    s.client(s.panel).get(s.url("applicant_detail", applicant))
    s.client(s.staff).get(s.url("scheme_ranking", s.scheme))
    s.client(s.staff).get(s.url("applicant_list") + "?format=csv")
    assert list(
        ApplicantView.objects.filter(reference=applicant.reference)
        .order_by("pk")
        .values_list("viewed_by__email", "context")
    ) == [
        (s.panel.email, "applicant record"),
        (s.staff.email, "ranking of Church Lane, Ashby"),
        (s.staff.email, "applicant list export"),
    ]


def test_subject_access_export_holds_everything_about_the_person(s):
    applicant = s.applicant("Lee", date(2024, 1, 1), 1, ("lives", "Ashby", 4, True))
    s.client(s.panel).get(s.url("applicant_detail", applicant))
    response = s.client(s.staff).get(s.url("applicant_export", applicant))
    assert response["Content-Disposition"] == f'attachment; filename="subject-access-{applicant.reference}.json"'
    data = json.loads(response.content)
    assert data["applicant"]["name"] == "Lee" and data["applicant"]["reference"] == applicant.reference
    assert data["connections"][0]["evidence"] == "Evidence for Lee"
    assert data["connections"][0]["checked by"] == (s.panel.get_full_name() or s.panel.email)
    assert [v["where"] for v in data["record viewed"]] == ["subject access export", "applicant record"]


def test_erasure_keeps_the_ranking_history_under_the_reference(s):
    people = make_eight(s)
    nl = allocation_services.nomination_issue(access=s.panel_access, scheme=s.scheme, today=TODAY, **settled(s))
    ben = people["ben"]
    reference, public_id = ben.reference, str(ben.public_id)
    s.client(s.panel).get(s.url("applicant_detail", ben))
    response = s.client(s.panel).post(s.url("applicant_erase", ben), {"reason": "Asked to be removed", "confirm": "on"})
    assert response.status_code == 302
    assert not Applicant.objects.filter(reference=reference).exists()
    assert not Connection.objects.filter(evidence="Evidence for Bendigo Quist").exists()
    entry = NominationEntry.objects.get(reference=reference)
    assert entry.applicant is None and (entry.rank, entry.tied) == (2, False)  # first of the tie, settled
    assert not AuditEvent.objects.filter(changes__icontains="Bendigo Quist").exists()
    assert AuditEvent.objects.get(object_id=public_id, action="created").summary == f"Applicant {reference} (erased)"
    assert AuditEvent.objects.filter(action="erased", summary__contains=reference).exists()
    assert ApplicantView.objects.filter(reference=reference).exists()  # the access log stays, by reference
    nl.refresh_from_db()
    assert nl.status == NominationStatus.READY
    csv_text = private_path(nl.csv_path).read_text()
    assert "Bendigo Quist" not in csv_text and f"{reference},(erased)" in csv_text
    pdf = "\n".join(p.extract_text() for p in PdfReader(str(private_path(nl.pdf_path))).pages)
    assert "Bendigo Quist" not in pdf and reference in pdf


def test_the_retention_task_erases_people_not_housed_after_the_period(s):
    s.umbrella.applicant_retention_months = 12
    s.umbrella.save()
    old = s.applicant("Old", date(2020, 1, 1), 1, ("lives", "Ashby", 4, True))
    housed = s.applicant("Housed", date(2020, 1, 1), 1, ("lives", "Ashby", 4, True))
    recent = s.applicant("Recent", date(2020, 1, 1), 1, ("lives", "Ashby", 4, True))
    long_ago = timezone.now() - timedelta(days=400)
    Applicant.objects.filter(pk__in=[old.pk, housed.pk]).update(updated_at=long_ago)
    Applicant.objects.filter(pk=housed.pk).update(status="housed")
    Applicant.objects.filter(pk=recent.pk).update(updated_at=timezone.now() - timedelta(days=300))
    assert erase_expired_applicants() == 1
    assert set(Applicant.objects.filter(umbrella=s.umbrella).values_list("name", flat=True)) == {"Housed", "Recent"}
    assert AuditEvent.objects.filter(
        action="erased", actor=None, summary__contains="retention period of 12 months passed"
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_makes_the_nomination_list(real_worker):
    import time

    s = Setup()
    s.applicant("Nia", date(2024, 1, 1), 1, ("lives", "Ashby", 4, True))
    nl = allocation_services.nomination_issue(access=s.panel_access, scheme=s.scheme, today=TODAY, **settled(s))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        nl.refresh_from_db()
        if not nl.in_progress:
            break
        time.sleep(0.2)
    assert nl.status == NominationStatus.READY, nl.failure_reason
    assert "Nia" in private_path(nl.csv_path).read_text()


# --- the nomination-list task rebuilds and re-checks the access (core.documents) -------------


def test_the_list_task_refuses_when_the_panel_member_who_issued_lost_access(s):
    from schemes.allocations.tasks import render_nomination_list

    s.applicant("Nia Orrell", date(2024, 1, 1), 1, ("lives", "Ashby", 4, True))
    nl = allocation_services.nomination_issue(access=s.panel_access, scheme=s.scheme, today=TODAY, **settled(s))
    nl.refresh_from_db()
    assert nl.status == NominationStatus.READY
    NominationList.objects.filter(pk=nl.pk).update(status=NominationStatus.QUEUED)
    s.panel.memberships.update(revoked_at=timezone.now())
    assert render_nomination_list.apply(args=[nl.pk, s.panel.pk]).get() == "refused"
    nl.refresh_from_db()
    assert nl.status == NominationStatus.FAILED and "no longer has access" in nl.failure_reason


def test_the_list_task_refuses_someone_outside_the_panel(s):
    from schemes.allocations.tasks import render_nomination_list

    s.applicant("Nia Orrell", date(2024, 1, 1), 1, ("lives", "Ashby", 4, True))
    nl = allocation_services.nomination_issue(access=s.panel_access, scheme=s.scheme, today=TODAY, **settled(s))
    NominationList.objects.filter(pk=nl.pk).update(status=NominationStatus.QUEUED)
    # A volunteer of the CLT who is not on its allocation panel, and the HA's team, may not ask.
    for user in (s.volunteer, s.team):
        NominationList.objects.filter(pk=nl.pk).update(status=NominationStatus.QUEUED)
        assert render_nomination_list.apply(args=[nl.pk, user.pk]).get() == "refused"


def _retention_setup(s):
    s.umbrella.applicant_retention_months = 12
    s.umbrella.save()
    old = s.applicant("Orrin Vellacott", date(2020, 1, 1), 1, ("lives", "Ashby", 4, True))
    s.applicant("Recent Tamsin", date(2020, 1, 1), 1, ("lives", "Ashby", 4, True))
    nl = allocation_services.nomination_issue(access=s.panel_access, scheme=s.scheme, today=TODAY, **settled(s))
    nl.refresh_from_db()
    assert "Orrin Vellacott" in private_path(nl.csv_path).read_text()
    Applicant.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=400))
    return nl


def test_the_retention_rule_redraws_issued_lists_in_the_name_of_the_umbrellas_admin(s):
    membership(s.umbrella, Role.ADMIN)
    nl = _retention_setup(s)
    assert erase_expired_applicants() == 1
    nl.refresh_from_db()
    assert nl.status == NominationStatus.READY, nl.failure_reason
    csv_text = private_path(nl.csv_path).read_text()
    assert "Orrin Vellacott" not in csv_text and "Recent Tamsin" in csv_text


def test_an_umbrella_without_an_admin_keeps_no_erased_name_on_disk(s):
    nl = _retention_setup(s)  # staff, panel and teams, but no admin to act for the umbrella
    assert erase_expired_applicants() == 1
    nl.refresh_from_db()
    assert nl.status == NominationStatus.FAILED and "no longer has access" in nl.failure_reason
    assert not private_path(nl.csv_path).exists() and not private_path(nl.pdf_path).exists()
    # Staff try again, in their own name: the list is drawn without the erased person.
    allocation_services.nomination_retry(
        access=access_for(user=s.staff, umbrella_slug=s.umbrella.slug), nomination_list=nl
    )
    nl.refresh_from_db()
    assert nl.status == NominationStatus.READY
    assert "Orrin Vellacott" not in private_path(nl.csv_path).read_text()
