"""Real services a test starts for itself (beside the harness's shared ones), to stop and start
under a running app: a Redis and a PostgreSQL of its own, so that stopping them troubles no other test."""

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server on a loopback port of its own; `stop()` and `start()` again on the same port."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="fieldgate-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        exe = shutil.which("redis-server")
        assert exe, "redis-server not found (make system-deps)"
        self.process = subprocess.Popen(
            [exe, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", self.dir, "--logfile", ""],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


PG_BIN = os.environ.get("FIELDGATE_PG_BIN", "/usr/lib/postgresql/15/bin")


class PrivatePostgres:
    """A PostgreSQL cluster of its own (database ``fieldgate``) on a loopback port; `stop()` is a
    fast shutdown (every connection cut, as a restart does) and `start()` brings it back on the
    same port with the same data. Run as root, the server runs as the ``postgres`` account, as
    scripts/harness.py does."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="fieldgate-pg-")
        self.data = os.path.join(self.dir, "data")
        self.process: subprocess.Popen | None = None
        self._account = {}
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            self._account = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}
            os.chmod(self.dir, 0o755)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/fieldgate"

    def _run(self, *cmd: str) -> None:
        subprocess.run(
            [os.path.join(PG_BIN, cmd[0]), *cmd[1:]], check=True, cwd=self.dir, **self._account,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip

    def create(self) -> None:
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--encoding=UTF8",
                  "--locale=C.UTF-8", "--no-sync", "--no-instructions")  # fmt: skip
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "fieldgate")

    def start(self) -> None:
        self.process = subprocess.Popen(
            [os.path.join(PG_BIN, "postgres"), "-D", self.data, "-c", "listen_addresses=127.0.0.1",
             "-p", str(self.port), "-k", self.dir, "-c", "fsync=off", "-c", "synchronous_commit=off"],
            cwd=self.dir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, **self._account,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ready = subprocess.run(
                [os.path.join(PG_BIN, "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port), "-t", "1"],
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
            if ready.returncode == 0:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"postgres did not start on port {self.port}")

    def stop(self) -> None:
        """Fast shutdown: the postmaster cuts every session (SIGINT), as `pg_ctl restart -m fast` does."""
        if self.process is not None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=30)
            self.process = None

    def __enter__(self):
        self.create()
        return self

    def __exit__(self, *exc):
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def queue_unreachable():
    """Celery queues for real to an address where nothing answers, as when Redis is down, for the
    length of the block; then back to the harness's Redis and eager tasks."""
    from django.conf import settings

    from config.celery_app import app as celery_app

    conf = celery_app.conf
    conf.task_always_eager = False
    conf.broker_url = "redis://127.0.0.1:1/0"
    conf.broker_connection_timeout = 1
    conf.broker_transport_options = {"max_retries": 0}
    celery_app._pool = None  # fresh connection and producer pools, for the address where nothing answers
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.broker_url = settings.REDIS_URL
        conf.task_always_eager = True
        conf.broker_transport_options = {}
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
