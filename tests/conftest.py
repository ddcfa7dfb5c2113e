"""Shared fixtures: the mirrored world, a signed-in client per role, the security summary."""

import copy
import uuid

import pytest
from django.test import Client

from tests.worlds.world import World, build_world

SECURITY_SUMMARY = {
    "matrix_cases": 0,
    "matrix_leaks": 0,
    "canary_pages": 0,
    "canary_found": 0,
    "deploy_warnings": None,
    "brute_force": None,
    "proxy_throttle": None,
    "admin_sign_in": None,
    "pdf_hostile_inputs": 0,
    "pdf_fetches": 0,
    "security_headers_pages": 0,
    "redis_down_pages": 0,
    "redis_down_500s": 0,
    "redis_restart_signed_out": 0,
    "redis_down_statement_said": None,
    "pg_restart_requests": 0,
    "pg_restart_errors": 0,
    "pg_restart_not_503": 0,
    "pg_restart_outside": 0,
    "pg_restart_recovered_s": None,
    "stale_worker_killed_s": None,
    "stale_lost_message_s": None,
    "stale_kinds_revived": None,
    "import_header": None,
    "import_errors": None,
    "cache_keys_checked": 0,
    "cache_keys_without_expiry": 0,
    "api_fuzz_cases": 0,
    "api_fuzz_2xx": 0,
    "api_fuzz_4xx": 0,
    "api_fuzz_5xx": 0,
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the two mirrored tenants once; every test's transaction rolls its own changes back."""
    with django_db_blocker.unblock():
        world = build_world()
    return world


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test gets a cache of its own (sessions, rate limits, cached reads and the umbrellas'
    data versions): the database rolls back after every test, and what the cache kept must go
    with it, or the next test would be shown figures drawn from rows that no longer exist."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"{caches['default'].get('KEY_PREFIX', '')}:{uuid.uuid4().hex[:12]}"
    settings.CACHES = caches


@pytest.fixture
def world(django_db_setup, db) -> World:
    """A fresh copy per test: each test's writes roll back in the database, and changes made to
    these Python objects must not leak into the next test either."""
    return copy.deepcopy(django_db_setup)


def user_for(world: World, role: str):
    """The user playing `role` as seen from tenant A (None for anonymous)."""
    if role == "anonymous":
        return None
    if role == "other_umbrella_admin":
        return world.b.users["admin"]
    if role == "other_umbrella_staff":
        return world.b.users["staff"]
    return world.a.users[role]


def client_for(world: World, role: str, **client_kwargs) -> Client:
    client = Client(**client_kwargs)
    user = user_for(world, role)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def real_worker(settings):
    """Queue to the harness's Redis for real (no eager mode) and run one Celery worker thread."""
    from celery.contrib.testing.worker import start_worker

    from config.celery_app import app as celery_app

    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def client_as(world):
    return lambda role, **kw: client_for(world, role, **kw)


def pytest_sessionfinish(session):
    """Under pytest-xdist each worker counts its own cases: hand them to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["security_summary"] = dict(SECURITY_SUMMARY)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """The controller adds up what each xdist worker counted."""
    theirs = getattr(node, "workeroutput", {}).get("security_summary") or {}
    for key, value in theirs.items():
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int):
            SECURITY_SUMMARY[key] = (SECURITY_SUMMARY[key] or 0) + value
        elif value:
            SECURITY_SUMMARY[key] = value


def pytest_terminal_summary(terminalreporter):
    s = SECURITY_SUMMARY
    if not any(value for value in s.values()):
        return
    terminalreporter.section("security figures")
    if s["matrix_cases"]:
        terminalreporter.write_line(
            f"permission matrix: {s['matrix_cases']} (url, method, role) cases run, {s['matrix_leaks']} leaked"
        )
    if s["canary_pages"]:
        terminalreporter.write_line(
            f"canary: {s['canary_pages']} pages, exports, PDFs and emails searched, {s['canary_found']} foreign strings found"
        )
    if s["deploy_warnings"] is not None:
        terminalreporter.write_line(
            f"check --deploy --fail-level WARNING with production settings: {s['deploy_warnings']} warnings"
        )
    if s["security_headers_pages"]:
        terminalreporter.write_line(
            f"security headers and Cache-Control: private checked on {s['security_headers_pages']} pages"
        )
    if s["brute_force"]:
        terminalreporter.write_line(f"login brute force: {s['brute_force']}")
    if s["admin_sign_in"]:
        terminalreporter.write_line(f"admin sign-in: {s['admin_sign_in']}")
    if s["proxy_throttle"]:
        terminalreporter.write_line(f"proxy-aware login limit: {s['proxy_throttle']}")
    if s["pdf_hostile_inputs"]:
        terminalreporter.write_line(
            f"PDF fetcher: {s['pdf_hostile_inputs']} hostile inputs, {s['pdf_fetches']} fetches"
        )
    if s["redis_down_pages"]:
        terminalreporter.write_line(
            f"Redis stopped under signed-in sessions: {s['redis_down_pages']} pages asked, "
            f"{s['redis_down_500s']} HTTP 500; {s['redis_restart_signed_out']} signed out after it came back"
        )
    if s["redis_down_statement_said"]:
        terminalreporter.write_line(f"statement asked for with Redis stopped: '{s['redis_down_statement_said']}'")
    if s["pg_restart_requests"]:
        terminalreporter.write_line(
            f"PostgreSQL restarted under load: {s['pg_restart_requests']} requests, {s['pg_restart_errors']} "
            f"answered 503 while it was down ({s['pg_restart_not_503']} other errors, {s['pg_restart_outside']} "
            f"outside the restart); a signed-in page served {s['pg_restart_recovered_s']} s after it was back, "
            "by the same gunicorn processes"
        )
    if s["stale_worker_killed_s"] or s["stale_lost_message_s"]:
        from django.conf import settings

        terminalreporter.write_line(
            f"stale render recovery: a worker killed mid-render, its statement ready {s['stale_worker_killed_s']} s "
            f"after the kill; a lost message found by the beat task and drawn {s['stale_lost_message_s']} s after; "
            f"{s['stale_kinds_revived'] or 0} of 4 kinds revived, each drawn once (stale after "
            f"{settings.DOCUMENT_STALE_AFTER_SECONDS} s here, 360 s in production)"
        )
    if s["import_header"] or s["import_errors"]:
        from django.conf import settings

        terminalreporter.write_line(
            f"CSV import cap: {settings.CSV_IMPORT_MAX_BYTES / 2**20:.0f} MiB and {settings.CSV_IMPORT_MAX_ROWS:,} rows; "
            f"{s['import_header']}; {s['import_errors']}; over {settings.CSV_IMPORT_INLINE_BYTES // 1024} KiB "
            "imported by a task"
        )
    if s["api_fuzz_cases"]:
        terminalreporter.write_line(
            f"API against its OpenAPI schema (schemathesis): {s['api_fuzz_cases']} generated requests, "
            f"{s['api_fuzz_2xx']} answered 2xx, {s['api_fuzz_4xx']} 4xx, {s['api_fuzz_5xx']} server errors"
        )
    if s["cache_keys_checked"]:
        terminalreporter.write_line(
            f"cache footprint: {s['cache_keys_checked']} keys after every page, "
            f"{s['cache_keys_without_expiry']} without an expiry"
        )
