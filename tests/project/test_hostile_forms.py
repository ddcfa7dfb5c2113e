"""Bad input: hypothesis posts random and hostile values to every form the admin may submit.

For every POST case of the permission matrix whose admin status is 302, tenant A's admin posts the
case's valid data with one or more fields replaced by a hostile value (empty, 10k characters, NUL
bytes, RTL marks, emoji, combining marks, HTML and script, SQL-ish text, negative and huge numbers,
text where a number belongs, malformed and out-of-range dates, tenant B's ids, unknown UUIDs, lists
where one value belongs, missing fields); file fields get hostile CSV bodies. Two promises:

- the server never answers >= 500;
- a post that is not answered with a 302 redirect (it was rejected) writes no row: the row count of
  every table of the accounts, clts, partnerships and schemes apps (AuditEvent included) is unchanged.

Each example runs in a savepoint that is rolled back, so examples never see each other's writes.
Failures are collected (not raised at once) so one run reports every broken form, each with the
single field and value that breaks it on its own when one does.
"""

import logging
import os
import tempfile
import traceback
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import resolve, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from accounts.models import AuditEvent
from tests.conftest import client_for
from tests.permissions.matrix import MATRIX

# Hypothesis keeps a cache (and, unless told otherwise, an example database) under ./.hypothesis;
# keep it out of the working tree.
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="fieldgate-hypothesis-"))

# Examples per form; raise it for a longer hunt (HOSTILE_FORMS_EXAMPLES=200).
MAX_EXAMPLES = int(os.environ.get("HOSTILE_FORMS_EXAMPLES", "8"))
TENANT_APPS = ("accounts", "clts", "documents", "partnerships", "schemes")
FORM_CASES = [case for case in MATRIX if case.method == "POST" and case.expect.get("admin") == 302]

SUMMARY = {"forms": 0, "examples": 0, "server_errors": 0, "rejected_with_writes": 0, "rejected": 0, "accepted": 0}

MISSING = object()  # "leave this field out of the post"

# --- hostile values -------------------------------------------------------------------------

HOSTILE_TEXT = [
    "",
    " ",
    "\t\r\n",
    "x" * 10_000,
    "é" * 10_000,
    "\x00",
    "abc\x00def",
    "%00",
    "\u202egnp.exe\u202c",
    "\u200f\u200e\u200b\ufeff",
    "😀🏠👩‍👩‍👧‍👦🏳️‍🌈",
    "e" + "\u0301" * 300,
    "Z̴̡̛͓̟a̸l̷g̶o̶",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7|add:7 }}{% debug %}",
    "${7*7}",
    "' OR '1'='1",
    "'; DROP TABLE accounts_user; --",
    "1) OR 1=1 --",
    "%s%s%s%n",
    "\\",
    "'",
    '"',
    "../../../../etc/passwd",
    "\r\n\r\nSet-Cookie: x=1",
    '=HYPERLINK("http://evil.test")',
    "true",
    "on",
    "null",
    "None",
    "[]",
    "{}",
    "undefined",
]
HOSTILE_NUMBERS = [
    "1e20",
    "1E400",
    "-1",
    "0",
    "-0",
    "99999999999999999999",
    "-99999999999999999999",
    "2147483648",
    "9223372036854775808",
    "1.7976931348623157e+309",
    "0.000000000000000001",
    "12.345678901234567890123",
    "123456789012345.67",
    "NaN",
    "nan",
    "sNaN",
    "-sNaN",
    "Infinity",
    "-inf",
    "1,5",
    "1_000",
    "0x10",
    "½",
    "٣",
    "abc",
    "12abc",
    "+",
    "-",
    ".",
    "1e",
    " 7 ",
    10**20,
    -1,
    0,
    1e20,
    2**63,
]
HOSTILE_DATES = [
    "2026-02-30",
    "31/12/2026",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2026-13-45",
    "-0001-01-01",
    "2026-1-1",
    "26-01-01",
    "12/31/2026",
    "2026-12-31T25:61:00",
    "today",
    "1970-01-01",
    "2026-02-29",
    "2024-02-29",
]
HOSTILE_IDS = [
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "not-a-uuid",
    "{12345678-1234-5678-1234-567812345678}",
    "12345678123456781234567812345678",
]
# Field names a form does not have, posted in the hope the view trusts them (mass assignment).
EXTRA_KEYS = [
    "umbrella",
    "umbrella_id",
    "id",
    "pk",
    "public_id",
    "owner",
    "created_by",
    "requested_by",
    "status",
    "stage",
    "version",
    "next",
    "housing_association",
    "clt",
    "scheme",
    "tender",
]


def foreign_ids(world) -> list:
    """Primary keys and public ids of tenant B's records and people (and A's own, for the wrong field)."""
    found = set()
    for tenant in (world.b, world.a):
        things = list(tenant.objects.values()) + list(tenant.users.values()) + [tenant.umbrella]
        for thing in things:
            found.add(str(thing.pk))
            if getattr(thing, "public_id", None) is not None:
                found.add(str(thing.public_id))
    return sorted(found)


def scalar_values(ids: list):
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.sampled_from(HOSTILE_NUMBERS),
        st.sampled_from(HOSTILE_DATES),
        st.sampled_from(ids + HOSTILE_IDS),
        st.uuids().map(str),
        st.text(max_size=40),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats().map(repr),
        st.dates().map(lambda d: d.isoformat()),
    )


def field_values(ids: list):
    scalar = scalar_values(ids)
    return st.one_of(
        scalar,
        scalar,
        st.lists(scalar, min_size=2, max_size=4),  # a list where one value belongs
        st.just(MISSING),
    )


# --- hostile CSV bodies ---------------------------------------------------------------------


def _csv_line(cells) -> str:
    return ",".join('"' + str(c).replace('"', '""') + '"' for c in cells)


def _split_csv(valid: bytes) -> tuple[str, list[str]]:
    """The header and the first row of the case's own valid CSV, as lists of cells."""
    header, *rows = valid.decode("utf-8").splitlines()
    return header, (rows[0].split(",") if rows else [])


def fixed_csv_bodies(valid: bytes) -> list[tuple[str, bytes]]:
    """Named hostile bodies built around the case's own valid CSV (its header and first row)."""
    text = valid.decode("utf-8")
    header, cells = _split_csv(valid)
    row, ncols = ",".join(cells), len(header.split(","))

    def with_cell(i, value):
        return header + "\n" + _csv_line(cells[:i] + [value] + cells[i + 1 :]) + "\n"

    bodies = [
        ("empty file", b""),
        ("blank lines", b"\n\n\n"),
        ("header only", header.encode()),
        ("no header", (row + "\n").encode()),
        ("UTF-8 BOM", ("\ufeff" + text).encode("utf-8")),
        ("UTF-16", text.encode("utf-16")),
        ("CR line ends", text.replace("\n", "\r").encode()),
        ("latin-1 extra row", (text + "caf\xe9,na\xefve,\xa3100\n").encode("latin-1")),
        ("latin-1 in a cell", (header + "\n" + row.replace(",", ",caf\xe9 ", 1) + "\n").encode("latin-1")),
        ("trailing NUL bytes", text.encode() + b"\x00\x00\x00\n"),
        ("only NUL bytes", b"\x00" * 64),
        ("10k columns", (",".join(f"c{i}" for i in range(10_000)) + "\n" + ",".join("x" * 10_000) + "\n").encode()),
        ("row of 10k cells", (header + "\n" + ",".join("x" * 10_000) + "\n").encode()),
        ("one cell too many", (header + "\n" + row + ",extra\n").encode()),
        ("one cell too few", (header + "\n" + ",".join(cells[:-1]) + "\n").encode()),
        ("unbalanced quote", (header + "\n" + '"' + row + "\n").encode()),
        ("unterminated quote mid-file", (header + '\n"unterminated,' + row + "\n" + row + "\n").encode()),
        ("quote inside a cell", (header + "\n" + row.replace(",", ',ab"cd', 1) + "\n").encode()),
        ("cell above csv's field limit", (header + "\n" + '"' + "a" * 200_000 + '",' + row + "\n").encode()),
        ("duplicate columns", (header + "," + header + "\n" + row + "," + row + "\n").encode()),
        ("spaced upper-case header", (header.upper().replace(",", " , ") + "\n" + row + "\n").encode()),
        ("empty header cell", (header + ",\n" + row + ",\n").encode()),
        ("all cells empty", (header + "\n" + ",".join([""] * ncols) + "\n").encode()),
        (
            "200 good rows then a bad one",
            (header + "\n" + (row + "\n") * 200 + ",".join(["bad"] * ncols) + "\n").encode(),
        ),
        ("formula in a cell", (header + "\n" + "=cmd|' /C calc'!A0," + row + "\n").encode()),
        ("PNG bytes", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("ZIP bytes", b"PK\x03\x04" + b"\x00" * 40),
    ]
    for i, column in enumerate(header.split(",")):
        bodies += [
            (f"NUL in {column}", with_cell(i, cells[i] + "\x00").encode()),
            (f"10k chars in {column}", with_cell(i, "x" * 10_000).encode()),
            (f"script in {column}", with_cell(i, "<script>alert(1)</script>").encode()),
            (f"emoji and RTL in {column}", with_cell(i, "\u202e😀" + cells[i]).encode()),
            (f"1e20 in {column}", with_cell(i, "1e20").encode()),
            (f"-1 in {column}", with_cell(i, "-1").encode()),
            (f"99999999999999999999 in {column}", with_cell(i, "99999999999999999999").encode()),
            (f"2026-02-30 in {column}", with_cell(i, "2026-02-30").encode()),
            (f"9999-12-31 in {column}", with_cell(i, "9999-12-31").encode()),
            (f"0001-01-01 in {column}", with_cell(i, "0001-01-01").encode()),
            (f"empty {column}", with_cell(i, "").encode()),
        ]
    return bodies


def hostile_csv(valid: bytes, ids: list):
    header, cells = _split_csv(valid)
    ncols = len(header.split(","))
    cell = st.one_of(
        st.sampled_from(HOSTILE_TEXT + [str(v) for v in HOSTILE_NUMBERS] + HOSTILE_DATES + ids), st.text(max_size=30)
    )

    def one_cell(change):  # the valid row with one cell hostile: the value gets past the other checks
        i, value = change
        return (header + "\n" + _csv_line(cells[:i] + [value] + cells[i + 1 :]) + "\n").encode("utf-8", "surrogatepass")

    def lines(rows):
        return "\n".join([header] + [_csv_line(r) for r in rows]).encode("utf-8", "surrogatepass")

    fixed = st.sampled_from([body for _, body in fixed_csv_bodies(valid)])
    return st.one_of(
        fixed,
        st.tuples(st.integers(0, max(len(cells) - 1, 0)), cell).map(one_cell),
        st.tuples(st.integers(0, max(len(cells) - 1, 0)), cell).map(one_cell),
        st.lists(st.lists(cell, min_size=ncols, max_size=ncols), min_size=1, max_size=3).map(lines),
        st.lists(st.lists(cell, min_size=0, max_size=ncols + 3), min_size=1, max_size=3).map(lines),  # ragged
        st.binary(max_size=300),
    )


FILE_NAMES = ["upload.csv", "../../../etc/passwd.csv", "a" * 300 + ".csv", "évil 😀.csv", "noext", "x.exe"]
CONTENT_TYPES = ["text/csv", "application/octet-stream", "text/html", "application/x-msdownload", ""]


def hostile_file(valid: bytes, ids: list):
    return st.tuples(hostile_csv(valid, ids), st.sampled_from(FILE_NAMES), st.sampled_from(CONTENT_TYPES))


# --- the database, counted ------------------------------------------------------------------

# The applicant view log is an access log, not data: a rejected post that shows applicants
# again (the ranking page re-rendered with its error) is still a sight of them, and is logged.
ACCESS_LOGS = {"schemes_applicantview"}


def tenant_tables() -> list[str]:
    tables = {AuditEvent._meta.db_table}
    for label in TENANT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.add(model._meta.db_table)
    return sorted(tables - ACCESS_LOGS)


def row_counts(tables: list[str]) -> dict[str, int]:
    """Every table's row count, in one round trip."""
    qn = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {qn(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone()))


# --- the test -------------------------------------------------------------------------------


def form_fields(url: str, base: dict) -> list[str]:
    """The case's posted fields plus every field of the view's form class (optional ones too)."""
    names = set(base)
    view_class = getattr(resolve(url).func, "view_class", None)
    form_class = getattr(view_class, "form_class", None)
    if form_class is not None and hasattr(form_class, "base_fields"):
        names |= set(form_class.base_fields)
    return sorted(names)


def _build_post(base: dict, changes: dict) -> dict:
    post = dict(base)
    for key, value in changes.items():
        if value is MISSING:
            post.pop(key, None)
        elif isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], bytes):
            body, name, content_type = value
            post[key] = SimpleUploadedFile(name, body, content_type)
        else:
            post[key] = value
    return post


def _describe(value) -> str:
    if value is MISSING:
        return "<missing>"
    if isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], bytes):
        body, name, content_type = value
        return f"<file {name[:40]!r} {content_type!r} {len(body)} bytes: {body[:120]!r}>"
    text = repr(value)
    return text if len(text) <= 160 else text[:150] + f"...<{len(text)} chars>"


def _app_frame(exc_info) -> str:
    """The innermost traceback frame in the project's own code, and the exception."""
    if not exc_info:
        return "(no exception recorded)"
    _, error, tb = exc_info
    frames = traceback.extract_tb(tb)
    root = str(Path(__file__).resolve().parents[2])
    own = [
        f for f in frames if f.filename.startswith(root) and "/.venv/" not in f.filename and "/tests/" not in f.filename
    ]
    where = own[-1] if own else frames[-1]
    return (
        f"{type(error).__name__}: {str(error)[:300]} at {where.filename.replace(root + '/', '')}:"
        f"{where.lineno} in {where.name}: {where.line}"
    )


def _post_once(client, url, case, tenant, tables, changes) -> dict:
    """One post in a savepoint that is rolled back; what happened."""
    outcome = {"status": None, "wrote": {}, "exc": None, "location": ""}
    with transaction.atomic():
        before = row_counts(tables)
        response = client.post(url, data=_build_post(case.data(tenant), changes))
        outcome["status"] = response.status_code
        outcome["location"] = response.get("Location", "")
        if response.status_code >= 500:
            outcome["exc"] = _app_frame(getattr(response, "exc_info", None))
        try:
            after = row_counts(tables)
        except DatabaseError as error:  # the view left the transaction broken
            outcome["wrote"] = {"<transaction left aborted>": str(error).splitlines()[0]}
        else:
            outcome["wrote"] = {t: after[t] - before[t] for t in tables if after[t] != before[t]}
        transaction.set_rollback(True)
    return outcome


@pytest.fixture(scope="module", autouse=True)
def _print_summary():
    # Hundreds of expected 400s would bury the summary; a 500 is reported with its traceback line.
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels):
        logger.setLevel(level)
    s = SUMMARY
    print(
        f"\nhostile forms: {s['forms']} forms fuzzed, {s['examples']} examples posted "
        f"({s['accepted']} accepted, {s['rejected']} rejected), {s['server_errors']} server errors, "
        f"{s['rejected_with_writes']} rejected posts that wrote rows"
    )


def _judge(outcome: dict, changes: dict, failures: list) -> None:
    """Count one post and keep it if it broke a promise."""
    SUMMARY["examples"] += 1
    status = outcome["status"]
    if status == 302:
        SUMMARY["accepted"] += 1
        if outcome["location"].startswith(reverse("account_login")):
            failures.append(("the admin's session was lost (the results would lie)", changes, outcome))
    else:
        SUMMARY["rejected"] += 1
    if status >= 500:
        SUMMARY["server_errors"] += 1
        failures.append(("server error", changes, outcome))
    elif status != 302 and outcome["wrote"]:
        SUMMARY["rejected_with_writes"] += 1
        failures.append(("rejected post wrote rows", changes, outcome))


def _report(case, url, failures, retry) -> str:
    """Failures grouped by what went wrong (the exception and its line, or the tables written)."""
    groups: dict[tuple, list] = {}
    for kind, changes, outcome in failures:
        signature = (kind, outcome["status"], outcome["exc"] or "", tuple(sorted(outcome["wrote"])))
        groups.setdefault(signature, []).append((changes, outcome))
    lines = [f"{case.id} POST {url}: {len(failures)} failing example(s), {len(groups)} distinct"]
    for (kind, status, exc, _), examples in groups.items():
        lines.append(f"- {kind} ({len(examples)}x): status {status}, wrote {examples[0][1]['wrote']}, {exc}")
        for changes, _outcome in examples[:3]:
            lines.append(
                "  posted: "
                + (", ".join(f"{k}={_describe(v)}" for k, v in changes.items()) or "the case's valid data, unchanged")
            )
        changes = examples[0][0]
        if len(changes) > 1:  # which single change breaks it on its own?
            for key, value in changes.items():
                alone = retry({key: value})
                if alone["status"] >= 500 or (alone["status"] != 302 and alone["wrote"]):
                    lines.append(
                        f"  on its own: {key}={_describe(value)} -> {alone['status']}, "
                        f"wrote {alone['wrote']}, {alone['exc'] or ''}"
                    )
    return "\n".join(lines)


def _setup(world, case):
    tenant = world.a
    url = reverse(case.url_name, kwargs={"umbrella_slug": tenant.umbrella.slug, **case.kwargs(tenant)})
    client = client_for(world, "admin", raise_request_exception=False)
    tables = tenant_tables()

    def post(changes):
        return _post_once(client, url, case, tenant, tables, changes)

    return url, post


@pytest.mark.django_db
@pytest.mark.parametrize("case", FORM_CASES, ids=lambda c: c.id)
def test_hostile_post(world, case):
    url, post = _setup(world, case)
    ids = foreign_ids(world)
    base = case.data(world.a)
    keys = form_fields(url, base)
    valid_files = {k: v.read() for k, v in base.items() if isinstance(v, SimpleUploadedFile)}
    values = field_values(ids)
    per_key = {
        k: st.one_of(hostile_file(valid_files[k], ids), hostile_file(valid_files[k], ids), values)
        if k in valid_files
        else values
        for k in keys
    }
    extra = st.dictionaries(
        st.sampled_from(EXTRA_KEYS),
        st.sampled_from(ids + HOSTILE_IDS + HOSTILE_TEXT[:8]),
        min_size=0 if keys else 1,
        max_size=2,
    )
    failures = []
    SUMMARY["forms"] += 1
    _judge(post({}), {}, failures)  # the case's own valid data first (the matrix expects a 302)

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def fuzz(data):
        changes = {}
        if keys:
            targets = data.draw(
                st.lists(st.sampled_from(keys), min_size=1, max_size=min(4, len(keys)), unique=True), label="fields"
            )
            for key in targets:
                changes[key] = data.draw(per_key[key], label=key)
        for key, value in data.draw(extra, label="extra fields").items():
            changes.setdefault(key, value)
        _judge(post(changes), changes, failures)

    fuzz()
    if failures:
        pytest.fail(_report(case, url, failures, post), pytrace=False)


@pytest.mark.django_db
def test_hostile_csv_bodies(world):
    """Every named hostile CSV body, once, to every form with a file field (beside the random ones)."""
    reports, swept = [], 0
    for case in FORM_CASES:
        base = case.data(world.a)
        files = {k: v.read() for k, v in base.items() if isinstance(v, SimpleUploadedFile)}
        if not files:
            continue
        url, post = _setup(world, case)
        failures = []
        for key, valid in files.items():
            for name, body in fixed_csv_bodies(valid):
                changes = {key: (body, f"{name}.csv", "text/csv")}  # the file name says which body it is
                _judge(post(changes), changes, failures)
                swept += 1
        if failures:
            reports.append(_report(case, url, failures, post))
    assert swept, "no form with a file field was found"
    assert not reports, "\n".join(reports)
