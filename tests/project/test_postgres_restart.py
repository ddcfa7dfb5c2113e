"""PostgreSQL restarts under load (issue 14): errors only while it is down, and the same processes
serve again once it is back.

The app runs as docker-compose runs it: gunicorn (2 sync workers) with `config.settings.production`
(persistent connections with `CONN_HEALTH_CHECKS`), against a PostgreSQL and a Redis of its own
(tests/services.py) that were migrated and given the demo data. Threads ask signed-in pages and
/healthz without pause; PostgreSQL is stopped with a fast shutdown (every connection cut, as
`pg_ctl restart -m fast` does), kept down for a while and started again on the same port.

What must hold:
- before the stop, every answer is 200;
- every answer that is not 200 is a 503 "try again shortly" page (never a 500, never a reset
  connection), and came from a request that overlapped the outage;
- once PostgreSQL answers again, every request is 200 (a second at most for connections to be
  made afresh), and the gunicorn master and workers are the processes that were there before.
"""

import http.client
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import pytest
from django.conf import settings

from bench.load import Gunicorn
from tests.conftest import SECURITY_SUMMARY
from tests.services import PrivatePostgres, PrivateRedis

ROOT = settings.BASE_DIR
#: How long PostgreSQL stays down.
DOWN_SECONDS = 2.0
#: After PostgreSQL answers again, requests that began this long after may still meet a
#: connection made before the restart; the health check replaces it on first use.
RECONNECT_GRACE = 1.0
THREADS = 4

SESSIONS = """
import http.client
import json
from django.conf import settings
from django.test import Client
from accounts.models import Membership, User
out = {}
for email in ("wessex-staff@fieldgate.test", "aster-team@fieldgate.test", "ashcombe-volunteer@fieldgate.test"):
    client = Client()
    client.force_login(User.objects.get(email=email))
    slug = Membership.objects.filter(user__email=email).values_list("umbrella__slug", flat=True).first()
    out[email] = {"cookie": client.cookies[settings.SESSION_COOKIE_NAME].value, "slug": slug}
print("SESSIONS " + json.dumps(out))
"""


@dataclass
class Answer:
    began: float
    ended: float
    path: str
    status: int  # 0: no HTTP answer at all (connection refused or reset)
    body: bytes


def _manage(env, *args, stdin=None) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True,
        timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(gunicorn, postgres, [(path, cookie)]) for the demo, served with the production settings."""
    media = tmp_path_factory.mktemp("media")
    with PrivatePostgres() as postgres, PrivateRedis() as redis:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": postgres.url,
            "REDIS_URL": redis.url,
            "MEDIA_ROOT": str(media),
            "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
            "SITE_URL": "https://127.0.0.1",
            "LOG_LEVEL": "ERROR",
        }
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "collectstatic", "--noinput", "-v0")
        _manage(env, "load_demo")
        line = next(x for x in _manage(env, "shell", stdin=SESSIONS).splitlines() if x.startswith("SESSIONS "))
        sessions = json.loads(line.removeprefix("SESSIONS "))
        staff, ha_team, volunteer = (sessions[e] for e in sessions)
        pages = [
            ("/healthz", None),
            (f"/u/{staff['slug']}/", staff["cookie"]),
            (f"/u/{staff['slug']}/schemes/", staff["cookie"]),
            (f"/u/{ha_team['slug']}/", ha_team["cookie"]),
            (f"/u/{volunteer['slug']}/", volunteer["cookie"]),
        ]
        with Gunicorn(workers=2, env=env, log_dir=str(media)) as server:
            yield server, postgres, pages


def _get(port, path, cookie=None) -> tuple[int, bytes]:
    """GET as the TLS proxy in front would pass it on: (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"X-Forwarded-Proto": "https"}
        if cookie:
            headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _load(port, pages, answers, stop, lock):
    i = 0
    while not stop.is_set():
        path, cookie = pages[i % len(pages)]
        i += 1
        began = time.monotonic()
        try:
            status, body = _get(port, path, cookie)
        except OSError:
            status, body = 0, b""  # refused or reset: no HTTP answer at all
        with lock:
            answers.append(Answer(began, time.monotonic(), path, status, body))


def test_postgres_restarted_under_load_errors_only_while_down_and_the_same_processes_recover(served):
    server, postgres, pages = served
    for path, cookie in pages:
        assert _get(server.port, path, cookie)[0] == 200, f"{path}:\n{server.tail()}"
    master, workers = server.proc.pid, server.worker_pids()

    answers: list[Answer] = []
    stop, lock = threading.Event(), threading.Lock()
    threads = [threading.Thread(target=_load, args=(server.port, pages, answers, stop, lock)) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        went_down = time.monotonic()
        postgres.stop()
        time.sleep(DOWN_SECONDS)
        down_healthz = _get(server.port, "/healthz")
        postgres.start()
        came_back = time.monotonic()
        time.sleep(3.0)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    before = [a for a in answers if a.ended < went_down]
    after = [a for a in answers if a.began > came_back + RECONNECT_GRACE]
    errors = [a for a in answers if a.status != 200]
    outside = [a for a in errors if a.ended < went_down or a.began > came_back + RECONNECT_GRACE]
    not_503 = [a for a in errors if a.status != 503]
    pages_after = [a.ended for a in answers if a.began >= came_back and a.status == 200 and a.path != "/healthz"]
    served_again = min(pages_after, default=float("nan"))

    SECURITY_SUMMARY["pg_restart_requests"] = len(answers)
    SECURITY_SUMMARY["pg_restart_errors"] = len(errors)
    SECURITY_SUMMARY["pg_restart_not_503"] = len(not_503)
    SECURITY_SUMMARY["pg_restart_outside"] = len(outside)
    SECURITY_SUMMARY["pg_restart_recovered_s"] = f"{served_again - came_back:.2f}"

    assert before and after, f"too few requests: {len(before)} before the stop, {len(after)} after"
    assert all(a.status == 200 for a in before)
    assert errors, "no request met the outage: the load did not reach the database"
    assert not outside, [(a.path, a.status, round(a.began - came_back, 2)) for a in outside]
    assert not not_503, [(a.path, a.status, a.body[:200]) for a in not_503]
    assert all(b"back in a moment" in a.body or a.path == "/healthz" for a in errors)
    assert down_healthz[0] == 503 and json.loads(down_healthz[1])["database"] == "down"
    assert all(a.status == 200 for a in after)
    assert server.proc.poll() is None and server.proc.pid == master
    assert server.worker_pids() == workers, "a gunicorn worker was replaced"
