"""Page loads for `make bench` (issue 7): the app served by gunicorn with the production settings,
loaded by wrk on loopback, each page on its own, beside the trivial /healthz.

For each page: one checked request (must answer 200), the queries it makes (counted in-process
with django.test.Client on the same database and the server's cache, so a page the server keeps
drawn is counted as served), a few requests one after another (the service
time with nobody queueing), then wrk with N connections for a bounded time (median, p95, requests
a second). Then the CSV export check on a fresh server: time to first byte, total time and the
gunicorn workers' resident memory sampled while a 2,000-row and a 10,000-row export stream.

gunicorn runs with `config.settings.production` as docker-compose runs it (2 sync workers, access
log on); requests carry `X-Forwarded-Proto: https` as the TLS proxy in front would set it, so no
setting is loosened for the benchmark. Sessions are made directly (force_login with the server's
secret key): the bench umbrellas do not ask staff for two-factor authentication.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import User

ROOT = Path(settings.BASE_DIR)
WRK_SCRIPT = ROOT / "scripts" / "bench_wrk.lua"
P95_TARGET_MS = 250.0
#: Each page's requests per second against a trivial signed-in page's (the session, the person,
#: their memberships and the layout, no content: /u/<slug>/help/), measured in the same run.
RPS_RATIO_TARGET = 1 / 2
CSV_SECONDS_TARGET = 5.0
#: "Flat" memory: the worker grows by less than this while streaming 10,000 rows, and by no more
#: than this beyond what a 2,000-row export made it grow (so growth does not follow the row count).
CSV_FLAT_MB = 20.0


@dataclass
class Page:
    role: str
    name: str
    path: str
    note: str = ""
    status: int = 0
    bytes: int = 0
    queries: int | None = None
    serial_ms: float | None = None
    median_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    rps: float | None = None
    requests: int = 0
    errors: dict = field(default_factory=dict)
    codes: dict = field(default_factory=dict)
    ratio_to_health: float | None = None
    ratio_to_signed_in: float | None = None
    drain_s: float | None = None
    other_cpu_pct: float | None = None
    p95_ok: bool | None = None
    ratio_ok: bool | None = None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def _proc_stat(pid: int) -> list[bytes]:
    with open(f"/proc/{pid}/stat", "rb") as fh:
        return fh.read().rsplit(b")", 1)[1].split()


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(_proc_stat(int(entry))[1]) == pid:
                    out.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return out


def _tree_ticks(pid: int) -> int:
    """CPU ticks of a process, of the children it has reaped, and of its live children."""
    try:
        fields = _proc_stat(pid)
        total = sum(int(fields[i]) for i in (11, 12, 13, 14))
    except (OSError, IndexError, ValueError):
        return 0
    return total + sum(_cpu_ticks(child) for child in _children(pid))


def _postmaster_pid(database_url: str) -> int | None:
    from urllib.parse import urlparse

    port = str(urlparse(database_url).port or 5432)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                args = fh.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        if args and args[0].endswith("postgres") and "-p" in args and args[args.index("-p") + 1 :][:1] == [port]:
            return int(entry)
    return None


class CpuWatch:
    """How much of the machine's CPU went to something other than this benchmark (our gunicorn,
    our PostgreSQL, wrk and this process) while a run lasted: on a shared machine, a run with a
    large share is noisy and its figures are worse than the app's."""

    def __init__(self, server_pid: int, postmaster_pid: int | None):
        self.pids = [p for p in (server_pid, postmaster_pid) if p]
        self.cpus = os.cpu_count() or 1
        self.hz = os.sysconf("SC_CLK_TCK")

    def _sample(self) -> tuple[float, int, float]:
        with open("/proc/stat") as fh:
            values = [int(v) for v in fh.readline().split()[1:]]
        busy = sum(values) - values[3] - values[4]  # all but idle and iowait
        ours = sum(_tree_ticks(pid) for pid in self.pids)
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        own_seconds = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
        return time.monotonic(), busy - ours, own_seconds

    def __enter__(self):
        self.start = self._sample()
        return self

    def __exit__(self, *exc):
        end = self._sample()
        wall = end[0] - self.start[0]
        other_ticks = (end[1] - self.start[1]) - (end[2] - self.start[2]) * self.hz
        self.other_pct = round(max(0.0, 100 * other_ticks / (wall * self.hz * self.cpus)), 1) if wall > 0 else 0.0


class Gunicorn:
    """gunicorn with the production settings on a loopback port; stopped by its pid, always."""

    def __init__(self, *, workers: int, env: dict, log_dir: str):
        self.workers, self.env, self.log_dir = workers, env, log_dir
        self.port = _free_port()
        self.proc: subprocess.Popen | None = None
        self.log_path = os.path.join(log_dir, f"gunicorn-{self.port}.log")

    def __enter__(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--access-logfile",
                "-",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}):\n{self.tail()}")
            try:
                status, _, _ = fetch(self.port, "/healthz")
                if status == 200 and len(self.worker_pids()) == self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer /healthz in 60 s:\n{self.tail()}")

    def __exit__(self, *exc):
        self.stop()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()

    def worker_pids(self) -> list[int]:
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", "rb") as fh:
                        ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                if ppid == self.proc.pid:
                    pids.append(int(entry))
        return sorted(pids)

    def accept_queue(self) -> int:
        """Connections waiting to be accepted on our listening socket (from /proc/net/tcp)."""
        port = f"{self.port:04X}"
        with open("/proc/net/tcp") as fh:
            for line in fh.readlines()[1:]:
                parts = line.split()
                if parts[1].endswith(":" + port) and parts[3] == "0A":
                    return int(parts[4].split(":")[1], 16)
        return 0

    def wait_idle(self, quiet: float = 0.5, timeout: float = 120) -> float:
        """Wait until the workers have finished what wrk left behind: when wrk stops, requests it
        gave up on are still queued or running, and would otherwise eat into the next run."""
        t0 = time.monotonic()
        pids = self.worker_pids()
        last, still_since = None, None
        while time.monotonic() - t0 < timeout:
            ticks = sum(_cpu_ticks(pid) for pid in pids)
            now = time.monotonic()
            if ticks == last and self.accept_queue() == 0:
                still_since = still_since or now
                if now - still_since >= quiet:
                    break
            else:
                last, still_since = ticks, None
            time.sleep(0.05)
        return time.monotonic() - t0

    def tail(self, n: int = 30) -> str:
        try:
            return "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def fetch(port: int, path: str, cookie: str | None = None, timeout: float = 60) -> tuple[int, int, float]:
    """GET through the "proxy" headers: (status, body bytes, seconds)."""
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body), time.perf_counter() - t0
    finally:
        conn.close()


def production_env(*, secret: str, media_root: str) -> dict:
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not database_url or not redis_url:
        raise RuntimeError("DATABASE_URL and REDIS_URL must be set: run the bench with `make bench`.")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": media_root,
        "SITE_URL": "https://127.0.0.1",
        # The streamed export of 10,000 schemes is measured as it streams; the app itself sends
        # lists over CSV_INLINE_ROWS to a task (accounts.Export), which this does not time.
        "CSV_INLINE_ROWS": "20000",
    }


def _production_cache() -> dict:
    """CACHES as config.settings.production has them: its Redis, with no key prefix."""
    return {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}


def sessions_for(user: User, *, secret: str, n: int) -> list[str]:
    """`n` signed-in sessions of this user, valid for a server whose SECRET_KEY is `secret`."""
    out = []
    # The sessions go where config.settings.production keeps them.
    with override_settings(
        SECRET_KEY=secret, CACHES=_production_cache(), SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        for _ in range(n):
            client = Client()
            client.force_login(user)
            out.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return out


def count_queries(user: User, path: str) -> tuple[int, int]:
    """(status, queries) for one request made in-process, the streamed body read inside, with the
    server's cache: a page the server has drawn once is counted as the server serves it."""
    with override_settings(CACHES=_production_cache()):
        client = Client()
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, HTTP_X_FORWARDED_PROTO="https")
            if response.streaming:
                b"".join(response.streaming_content)
    return response.status_code, len(ctx.captured_queries)


def run_wrk(port: int, path: str, sessions: list[str], *, seconds: float, connections: int, threads: int) -> dict:
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(WRK_SCRIPT),
        f"http://127.0.0.1:{port}{path}",
    ]
    if sessions:
        cmd += ["--", *sessions]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120)
    for line in out.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            data = json.loads(line[len("WRK_JSON ") :])
            data["rps"] = data["requests"] / (data["duration_us"] / 1e6) if data["duration_us"] else 0.0
            return data
    raise RuntimeError(f"wrk gave no figures (exit {out.returncode}):\n{out.stdout}\n{out.stderr}")


def _fill(page: Page, data: dict) -> None:
    page.median_ms = round(data["p50_us"] / 1000, 1)
    page.p95_ms = round(data["p95_us"] / 1000, 1)
    page.p99_ms = round(data["p99_us"] / 1000, 1)
    page.rps = round(data["rps"], 1)
    page.requests = data["requests"]
    page.drain_s = data.get("drain_s")
    page.other_cpu_pct = data.get("other_cpu_pct")
    page.errors = {k: v for k, v in data["errors"].items() if v}
    page.codes = data["codes"]


def pages_for(world, *, page_size: int = 25, only: str = "") -> list[Page]:
    from accounts.access import access_for
    from schemes.selectors import scheme_list

    base = f"/u/{world.slug}"
    pages = []
    for role in ("staff", "ha_team", "clt_volunteer"):
        user = User.objects.get(pk=world.logins[role].user_id)
        access = access_for(user=user, umbrella_slug=world.slug)
        visible = scheme_list(access=access).count()
        green = scheme_list(access=access, rag="green").count()
        last = max(1, math.ceil(green / page_size))
        pages += [
            Page(role, "dashboard", f"{base}/"),
            Page(role, "schemes, page 1", f"{base}/schemes/", note=f"{visible} schemes visible"),
            Page(
                role,
                f"schemes, rag=green, page {last}",
                f"{base}/schemes/?rag=green&page={last}",
                note=f"last of {last} pages",
            ),
            Page(role, "scheme detail", f"{base}/schemes/{world.detail_scheme}/"),
            Page(role, "schemes CSV", f"{base}/schemes/?format=csv", note=f"{visible} rows"),
        ]
        if role == "staff":
            pages.append(Page(role, "statement request (GET form)", f"{base}/statements/new/"))
    return [p for p in pages if only.lower() in f"{p.role} {p.name}".lower()]


def run(
    world,
    *,
    seconds: float,
    warmup: float,
    connections: int,
    threads: int,
    workers: int,
    serial: int,
    csv_schemes: int,
    sessions_per_role: int,
    only: str = "",
    log=print,
) -> dict:
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed: `make system-deps` (Debian package wrk).")
    secret = secrets.token_urlsafe(50)
    tmp = tempfile.mkdtemp(prefix="fieldgate-bench-")
    env = production_env(secret=secret, media_root=tmp)
    t0 = time.perf_counter()
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if collect.returncode:
        raise RuntimeError(f"collectstatic failed:\n{collect.stdout}\n{collect.stderr}")
    log(f"  collectstatic (production storage) in {time.perf_counter() - t0:.1f} s")

    try:
        return _run(
            world,
            env=env,
            tmp=tmp,
            secret=secret,
            seconds=seconds,
            warmup=warmup,
            connections=connections,
            threads=threads,
            workers=workers,
            serial=serial,
            csv_schemes=csv_schemes,
            sessions_per_role=sessions_per_role,
            only=only,
            log=log,
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run(
    world,
    *,
    env,
    tmp,
    secret,
    seconds,
    warmup,
    connections,
    threads,
    workers,
    serial,
    csv_schemes,
    sessions_per_role,
    only,
    log,
) -> dict:
    users = {role: User.objects.get(pk=login.user_id) for role, login in world.logins.items()}
    cookies = {role: sessions_for(user, secret=secret, n=sessions_per_role) for role, user in users.items()}
    pages = pages_for(world, only=only)
    health: list[dict] = []
    postmaster = _postmaster_pid(env["DATABASE_URL"])
    with Gunicorn(workers=workers, env=env, log_dir=tmp) as server:
        log(f"  gunicorn (config.settings.production, {workers} sync workers) on 127.0.0.1:{server.port}")

        def load(path: str, sessions: list[str], secs: float) -> dict:
            with CpuWatch(server.proc.pid, postmaster) as watch:
                data = run_wrk(server.port, path, sessions, seconds=secs, connections=connections, threads=threads)
            data["other_cpu_pct"] = watch.other_pct
            data["drain_s"] = round(server.wait_idle(), 2)
            return data

        def measure_health(label: str) -> None:
            if warmup:
                load("/healthz", [], warmup)
            data = load("/healthz", [], seconds)
            health.append(
                {
                    "when": label,
                    "other_cpu_pct": data["other_cpu_pct"],
                    "median_ms": round(data["p50_us"] / 1000, 1),
                    "p95_ms": round(data["p95_us"] / 1000, 1),
                    "rps": round(data["rps"], 1),
                    "requests": data["requests"],
                    "codes": data["codes"],
                }
            )
            log(
                f"  /healthz ({label}): median {health[-1]['median_ms']} ms, p95 {health[-1]['p95_ms']} ms, "
                f"{health[-1]['rps']} req/s  (other load {data['other_cpu_pct']}% of the CPUs)"
            )

        signed_in: list[dict] = []

        def measure_signed_in(label: str) -> None:
            path, sessions = f"/u/{world.slug}/help/", cookies["staff"]
            status, _, _ = fetch(server.port, path, sessions[0])
            if status != 200:
                raise RuntimeError(f"staff {path} answered {status}, not 200\n{server.tail()}")
            if warmup:
                load(path, sessions, warmup)
            data = load(path, sessions, seconds)
            signed_in.append(
                {
                    "when": label,
                    "path": path,
                    "other_cpu_pct": data["other_cpu_pct"],
                    "median_ms": round(data["p50_us"] / 1000, 1),
                    "p95_ms": round(data["p95_us"] / 1000, 1),
                    "rps": round(data["rps"], 1),
                    "requests": data["requests"],
                    "codes": data["codes"],
                }
            )
            log(
                f"  {path} (trivial signed-in page, {label}): median {signed_in[-1]['median_ms']} ms, "
                f"p95 {signed_in[-1]['p95_ms']} ms, {signed_in[-1]['rps']} req/s"
            )

        measure_health("first")
        measure_signed_in("first")
        for page in pages:
            cookie = cookies[page.role][0]
            page.status, page.bytes, _ = fetch(server.port, page.path, cookie)
            if page.status != 200:
                raise RuntimeError(f"{page.role} {page.path} answered {page.status}, not 200\n{server.tail()}")
            qstatus, page.queries = count_queries(users[page.role], page.path)
            if qstatus != 200:
                raise RuntimeError(f"in-process {page.path} answered {qstatus}")
            times = [fetch(server.port, page.path, cookie)[2] for _ in range(serial)]
            page.serial_ms = round(1000 * statistics.median(times), 1) if times else None
            if warmup:
                load(page.path, cookies[page.role], warmup)
            _fill(page, load(page.path, cookies[page.role], seconds))
            bad = {k: v for k, v in page.codes.items() if k != "200"}
            log(
                f"  {page.role:13} {page.name:32} median {page.median_ms:7.1f} ms  p95 {page.p95_ms:7.1f} ms  "
                f"{page.rps:7.1f} req/s  {page.queries} queries  (alone {page.serial_ms} ms)"
                + f"  other load {page.other_cpu_pct}%"
                + (f"  NOT 200: {bad}" if bad else "")
                + (f"  errors: {page.errors}" if page.errors else "")
            )
        measure_signed_in("last")
        measure_health("last")
    health_rps = statistics.mean(h["rps"] for h in health)
    signed_in_rps = statistics.mean(s["rps"] for s in signed_in)
    for page in pages:
        page.ratio_to_health = round(page.rps / health_rps, 3) if health_rps else None
        page.ratio_to_signed_in = round(page.rps / signed_in_rps, 3) if signed_in_rps else None
        clean = page.requests > 0 and not page.errors and set(page.codes) <= {"200"}
        page.p95_ok = clean and page.p95_ms < P95_TARGET_MS
        page.ratio_ok = clean and page.ratio_to_signed_in is not None and page.ratio_to_signed_in >= RPS_RATIO_TARGET

    csv_check = (
        csv_export_check(world, env=env, tmp=tmp, workers=workers, secret=secret, n_schemes=csv_schemes, log=log)
        if csv_schemes
        else None
    )
    n = len(pages)
    return {
        "summary": {
            "pages": n,
            "p95_target_ms": P95_TARGET_MS,
            "p95_met": sum(bool(p.p95_ok) for p in pages),
            "rps_ratio_target": round(RPS_RATIO_TARGET, 3),
            "rps_ratio_met": sum(bool(p.ratio_ok) for p in pages),
            "csv_time_ok": csv_check["time_ok"] if csv_check else None,
            "csv_memory_flat": csv_check["memory_flat"] if csv_check else None,
            "other_cpu_pct_max": max([p.other_cpu_pct or 0 for p in pages] + [h["other_cpu_pct"] for h in health]),
        },
        "machine": {"cpus": os.cpu_count(), "loadavg_at_end": os.getloadavg()},
        "server": {
            "settings": "config.settings.production",
            "workers": workers,
            "worker_class": "sync",
            "load": f"wrk -t{threads} -c{connections} -d{max(1, round(seconds))}s (after a {warmup:g} s warm-up)",
            "sessions_per_role": sessions_per_role,
        },
        "health": {"runs": health, "rps_mean": round(health_rps, 1)},
        "signed_in": {"runs": signed_in, "rps_mean": round(signed_in_rps, 1)},
        "pages": [asdict(p) for p in pages],
        "csv_export": csv_check,
    }


def _sampler(pids: list[int], stop: threading.Event, peaks: dict[int, int]) -> None:
    while not stop.is_set():
        for pid in pids:
            peaks[pid] = max(peaks.get(pid, 0), _rss_kb(pid))
        time.sleep(0.01)


def _stream(port: int, path: str, cookie: str) -> dict:
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(
            "GET", path, headers={"X-Forwarded-Proto": "https", "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
        )
        response = conn.getresponse()
        first = response.read(1)
        ttfb = time.perf_counter() - t0
        size, lines = len(first), first.count(b"\n")
        while chunk := response.read(65536):
            size += len(chunk)
            lines += chunk.count(b"\n")
        return {
            "status": response.status,
            "streamed": response.getheader("Content-Length") is None,
            "ttfb_s": round(ttfb, 3),
            "total_s": round(time.perf_counter() - t0, 3),
            "bytes": size,
            "rows": lines - 1,
        }
    finally:
        conn.close()


def csv_export_check(world, *, env: dict, tmp: str, workers: int, secret: str, n_schemes: int, log=print) -> dict:
    """On a fresh server: export the big umbrella's schemes, then `n_schemes` from an umbrella made
    for it, sampling every worker's RSS every 10 ms; twice each, to see whether memory follows rows."""
    from bench.data import build_export_umbrella

    t0 = time.perf_counter()
    export_slug, export_staff = build_export_umbrella(n_schemes=n_schemes)
    log(f"  export umbrella with {n_schemes} schemes built in {time.perf_counter() - t0:.1f} s")
    big_cookie = sessions_for(User.objects.get(pk=world.logins["staff"].user_id), secret=secret, n=1)[0]
    export_cookie = sessions_for(User.objects.get(pk=export_staff), secret=secret, n=1)[0]
    runs = []
    with Gunicorn(workers=workers, env=env, log_dir=tmp) as server:
        pids = server.worker_pids()
        # Every worker loads the code and renders lists of both umbrellas (concurrent requests, or
        # one worker would take them all), then the server settles.
        for slug, cookie in ((world.slug, big_cookie), (export_slug, export_cookie)):
            run_wrk(server.port, f"/u/{slug}/schemes/", [cookie], seconds=1, connections=2 * workers, threads=1)
            server.wait_idle()
        for label, slug, cookie in (
            ("big umbrella", world.slug, big_cookie),
            ("big umbrella", world.slug, big_cookie),
            ("export umbrella", export_slug, export_cookie),
            ("export umbrella", export_slug, export_cookie),
        ):
            before = {pid: _rss_kb(pid) for pid in pids}
            peaks: dict[int, int] = {}
            stop = threading.Event()
            sampler = threading.Thread(target=_sampler, args=(pids, stop, peaks), daemon=True)
            sampler.start()
            result = _stream(server.port, f"/u/{slug}/schemes/?format=csv", cookie)
            stop.set()
            sampler.join()
            after = {pid: _rss_kb(pid) for pid in pids}
            growth = {pid: (peaks.get(pid, 0) - before[pid]) / 1024 for pid in pids}
            served = max(pids, key=lambda p: growth[p])
            result.update(
                umbrella=label,
                worker_rss_before_mb=round(before[served] / 1024, 1),
                worker_rss_peak_mb=round(peaks.get(served, 0) / 1024, 1),
                worker_rss_after_mb=round(after[served] / 1024, 1),
                peak_growth_mb=round(max(growth.values()), 1),
            )
            runs.append(result)
            log(
                f"  CSV {label:15} {result['rows']:6} rows, {result['bytes'] / 1e6:5.2f} MB, "
                f"{'streamed' if result['streamed'] else 'kept file'}: first byte "
                f"{result['ttfb_s']:.3f} s, all {result['total_s']:.2f} s; worker RSS {result['worker_rss_before_mb']}"
                f" -> peak {result['worker_rss_peak_mb']} -> {result['worker_rss_after_mb']} MB"
            )
    big = [r for r in runs if r["umbrella"] == "big umbrella"]
    large = [r for r in runs if r["umbrella"] == "export umbrella"]
    worst = max(large, key=lambda r: r["total_s"])
    large_growth = max(r["peak_growth_mb"] for r in large)
    small_growth = max(r["peak_growth_mb"] for r in big)
    flat = large_growth < CSV_FLAT_MB and large_growth - small_growth < CSV_FLAT_MB
    return {
        "runs": runs,
        "rows": worst["rows"],
        "worst_total_s": worst["total_s"],
        "worst_ttfb_s": worst["ttfb_s"],
        "peak_growth_mb": {"2k_or_big": small_growth, "large": large_growth},
        "time_ok": worst["total_s"] < CSV_SECONDS_TARGET and all(r["status"] == 200 for r in runs),
        "memory_flat": flat,
        # The export umbrella is new: its first export is drawn and streamed; the one after is
        # the file kept from it (core.csvexport.kept_csv), sent whole with a Content-Length.
        "streamed": large[0]["streamed"],
        "kept": not large[-1]["streamed"],
        "kept_total_s": large[-1]["total_s"],
        "target": f"{n_schemes} rows in under {CSV_SECONDS_TARGET:g} s, worker growth under {CSV_FLAT_MB:g} MB "
        "and not following the row count",
    }
