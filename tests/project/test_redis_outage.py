"""Redis is a cache and a queue, never a reason a page fails (issue 14).

Each test starts a Redis of its own (tests/services.py) and points the cache (and, where it says
so, the Celery broker) at it, so that stopping it troubles no other test. Under a signed-in
session Redis is stopped, every GET of the permission matrix is asked for that role and must
answer what the matrix says (never a 500); Redis comes back and the person is still signed in.
"""

import copy
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.adapters import SIGN_IN_PAUSED
from config.celery_app import app as celery_app
from partnerships.recoupment.models import Statement, StatementStatus
from tests.conftest import SECURITY_SUMMARY, client_for
from tests.permissions.matrix import MATRIX
from tests.services import PrivateRedis

ROLES = ["admin", "staff", "volunteer", "ha_team"]
GETS = [case for case in MATRIX if case.method == "GET"]


@pytest.fixture
def redis_of_its_own(settings):
    with PrivateRedis() as redis:
        caches = copy.deepcopy(settings.CACHES)
        caches["default"]["LOCATION"] = redis.url
        settings.CACHES = caches
        yield redis


@contextmanager
def celery_broker_at(url: str, settings):
    """Queue for real (no eager mode) to `url`, with fresh connection pools; put back after."""
    old = settings.CELERY_BROKER_URL
    celery_app.conf.update(task_always_eager=False, broker_url=url, broker_connection_timeout=1,
                           broker_transport_options={"max_retries": 0})  # fmt: skip
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.conf.update(task_always_eager=True, broker_url=old, broker_transport_options={})
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


def _url(world, case):
    tenant = world.a
    url = reverse(case.url_name, kwargs={"umbrella_slug": tenant.umbrella.slug, **case.kwargs(tenant)})
    return url + ("?" + case.query if case.query else "")


@pytest.mark.parametrize("role", ROLES)
def test_with_redis_stopped_every_page_answers_as_the_matrix_says_and_nobody_is_signed_out(
    world, redis_of_its_own, role
):
    client = client_for(world, role)
    home = reverse("umbrella_home", kwargs={"umbrella_slug": world.a.umbrella.slug})
    assert client.get(home).status_code == 200
    assert cache.reachable()

    redis_of_its_own.stop()
    wrong = []
    for case in GETS:
        response = client.get(_url(world, case))
        SECURITY_SUMMARY["redis_down_pages"] += 1
        if response.status_code >= 500:
            SECURITY_SUMMARY["redis_down_500s"] += 1
        if response.status_code != case.expect[role]:
            wrong.append(f"{case.id}: {response.status_code}, expected {case.expect[role]}")
    assert not wrong, f"{role} with Redis stopped:\n" + "\n".join(wrong)
    assert not cache.reachable()

    redis_of_its_own.start()  # an empty Redis, as after a restart that kept nothing
    response = client.get(home)
    if response.status_code != 200:
        SECURITY_SUMMARY["redis_restart_signed_out"] += 1
    assert response.status_code == 200, "signed out by a Redis restart"
    assert cache.reachable()


@pytest.mark.django_db
def test_with_redis_stopped_healthz_says_so_and_stays_ready(client, redis_of_its_own):
    """Issue 18.5: /healthz reports the database and Redis each. Without Redis pages are still
    served, so it answers 200 (degraded) and a load balancer keeps the process in service."""
    redis_of_its_own.stop()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "redis": "down"}
    redis_of_its_own.start()
    assert client.get("/healthz").json()["status"] == "ok"


def test_with_redis_stopped_a_list_csv_is_drawn_fresh_and_nothing_is_kept(world, redis_of_its_own):
    """A kept CSV file is keyed by the umbrella's data version, which lives in Redis: without it
    there is no version anyone else would see, so the export streams and no file is written."""
    from pathlib import Path

    from django.conf import settings

    from core.csvexport import KEPT_FOLDER

    client = client_for(world, "staff")
    url = reverse("scheme_list", kwargs={"umbrella_slug": world.a.umbrella.slug})
    folder = Path(settings.PRIVATE_FILES_ROOT) / str(world.a.umbrella.pk) / KEPT_FOLDER
    before = sorted(folder.rglob("*")) if folder.exists() else []  # kept by earlier tests
    redis_of_its_own.stop()
    for _ in range(2):
        response = client.get(url, {"format": "csv"})
        assert response.status_code == 200 and response.streaming
        assert world.a.objects["scheme"].name in b"".join(response.streaming_content).decode()
    assert (sorted(folder.rglob("*")) if folder.exists() else []) == before


def test_with_redis_stopped_signing_in_fails_closed_and_says_why(world, redis_of_its_own):
    user = world.a.users["staff"]
    redis_of_its_own.stop()
    response = Client().post(reverse("account_login"), {"login": user.email, "password": "wrong password"})
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert SIGN_IN_PAUSED.split(":")[0] in response.content.decode()
    # Signing out works all the same.
    client = client_for(world, "staff")
    assert client.post(reverse("account_logout")).status_code == 302
    redis_of_its_own.start()
    response = Client().post(reverse("account_login"), {"login": user.email, "password": "wrong password"})
    assert SIGN_IN_PAUSED.split(":")[0] not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_a_statement_request_says_try_again_shortly_and_works_once_it_is_back(settings):
    from celery.contrib.testing.worker import start_worker

    from tests.partnerships.test_statements import build

    access, ha, *_ = build()
    with PrivateRedis() as redis, celery_broker_at(redis.url, settings):
        caches = copy.deepcopy(settings.CACHES)
        caches["default"]["LOCATION"] = redis.url
        settings.CACHES = caches
        client = Client()
        client.force_login(access.user)
        ask = reverse("statement_request", kwargs={"umbrella_slug": access.umbrella.slug})
        period = {"housing_association": ha.pk, "period_start": "2026-04-01", "period_end": "2026-09-30"}

        redis.stop()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        response = client.post(ask, period)
        assert response.status_code == 503 and "try again shortly" in response.content.decode()
        SECURITY_SUMMARY["redis_down_statement_said"] = "try again shortly"
        assert Statement.objects.get(housing_association=ha).status == StatementStatus.FAILED

        redis.start()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        assert client.post(ask, period).status_code == 302  # still signed in; queued this time
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            import time

            deadline = time.monotonic() + 60
            fresh = Statement.objects.exclude(status=StatementStatus.FAILED).get(housing_association=ha)
            while fresh.status != StatementStatus.READY and time.monotonic() < deadline:
                time.sleep(0.2)
                fresh.refresh_from_db()
        assert fresh.status == StatementStatus.READY, fresh.failure_reason
