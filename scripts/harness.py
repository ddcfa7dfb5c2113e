#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL 15 and Redis.

Usage:  python scripts/harness.py -- CMD [ARGS...]

Starts a private PostgreSQL (database ``fieldgate``) and Redis on free
loopback ports inside a fresh temporary directory, exports DATABASE_URL,
REDIS_URL and DJANGO_SETTINGS_MODULE (unless already set) to CMD, runs it and exits with its exit code.

Whatever happens (success, failure, exception, SIGINT, SIGTERM, SIGHUP) the
servers it started are stopped by pid and waited for, and the temporary
directory is removed.

Stdlib only. Environment knobs:
  FIELDGATE_PG_BIN       directory of the PostgreSQL binaries
                         (default /usr/lib/postgresql/15/bin)
  FIELDGATE_REDIS_SERVER redis-server executable (default: found on PATH)
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

PG_BIN = os.environ.get("FIELDGATE_PG_BIN", "/usr/lib/postgresql/15/bin")
PG_USER_OS = "postgres"  # OS account used when running as root
DB_NAME = "fieldgate"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
CHILD_GRACE = 10.0  # after forwarding a signal, how long the command may take to exit
PORT_ATTEMPTS = 3


def log(msg: str) -> None:
    print(f"harness: {msg}", file=sys.stderr, flush=True)


class Interrupted(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class StartupError(Exception):
    pass


# --------------------------------------------------------------------------
# signal handling

_state = {
    "phase": "startup",  # startup -> [aborting] / running -> cleanup
    "child": None,  # subprocess.Popen of CMD while running
    "signum": None,  # first signal received
    "signalled_at": None,
    "own_group": False,  # CMD runs in its own process group
}


def _on_signal(signum, frame):  # noqa: ARG001
    phase = _state["phase"]
    if _state["signum"] is None:
        _state["signum"] = signum
        _state["signalled_at"] = time.monotonic()
    if phase == "startup":
        # Abort startup (once); the finally block in main() cleans up.
        _state["phase"] = "aborting"
        raise Interrupted(signum)
    if phase == "running":
        signal_child(signum)
    # "aborting"/"cleanup": ignore, cleanup is bounded and must finish.


def signal_child(sig: int) -> None:
    """Send `sig` to CMD: to its whole process group when it has its own
    (so `sh -c '... && pytest'` reaches pytest too), else to its pid."""
    child = _state["child"]
    if child is None or child.returncode is not None:
        return
    try:
        if _state["own_group"]:
            os.killpg(child.pid, sig)
        else:
            child.send_signal(sig)
    except ProcessLookupError:
        pass


def in_terminal_foreground() -> bool:
    """True when we are the foreground job of a terminal: then CMD stays in
    our process group so Ctrl-C and tty access behave as usual."""
    try:
        fd = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY)
    except OSError:
        return False
    try:
        return os.tcgetpgrp(fd) == os.getpgrp()
    except OSError:
        return False
    finally:
        os.close(fd)


def install_signal_handlers() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)


# --------------------------------------------------------------------------
# helpers


def free_ports(n: int) -> list[int]:
    """Distinct free loopback ports (all sockets held open while picking)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _pdeathsig_preexec(sig: int):
    """preexec_fn: ask the kernel to signal the server if the harness dies
    (e.g. SIGKILL) so no server outlives us. Best effort, Linux only."""
    parent = os.getpid()
    libc = _libc()
    if libc is None:
        return None
    prctl = libc.prctl

    def preexec():
        PR_SET_PDEATHSIG = 1
        prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)
        if os.getppid() != parent:  # parent already gone
            os._exit(1)

    return preexec


def _libc():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True)
    except Exception:  # pragma: no cover
        return None


def become_subreaper() -> None:
    """Orphaned descendants of CMD (e.g. pytest after `sh -c` died of a
    forwarded signal) get reparented to us instead of pid 1, so we can stop
    them before the database goes away. Best effort, Linux only."""
    libc = _libc()
    if libc is not None:
        PR_SET_CHILD_SUBREAPER = 36
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def own_children() -> dict[int, str]:
    """{pid: state} of our direct children, from /proc."""
    me = os.getpid()
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == me:
            found[int(entry)] = fields[0].decode()
    return found


def sweep_children(exclude: set[int], what: str) -> None:
    """SIGTERM our remaining children (not in `exclude`), wait up to
    STOP_TIMEOUT, SIGKILL the rest, and reap them all (zombies included)."""
    signalled: set[int] = set()
    deadline = give_up = None
    while True:
        kids = {p: st for p, st in own_children().items() if p not in exclude}
        if not kids:
            return
        now = time.monotonic()
        live = sorted(p for p, st in kids.items() if st != "Z")
        if live and deadline is None:
            log(f"stopping leftover {what} process(es): {' '.join(map(str, live))}")
            deadline, give_up = now + STOP_TIMEOUT, now + STOP_TIMEOUT + 5
        if give_up is not None and now >= give_up:
            log(f"giving up on process(es): {' '.join(map(str, live))}")
            return
        for pid in live:
            sig = signal.SIGKILL if now >= deadline else signal.SIGTERM
            if sig == signal.SIGKILL or pid not in signalled:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
                signalled.add(pid)
        for pid in kids:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        time.sleep(0.05)


def _pg_account() -> tuple[int, int]:
    import pwd

    pw = pwd.getpwnam(PG_USER_OS)
    return pw.pw_uid, pw.pw_gid


def ensure_traversable(path: str) -> None:
    """chmod 755 the temp dir; make sure every parent is world-searchable
    (only adds o+x/g+x where missing, never removes bits such as /tmp's)."""
    os.chmod(path, 0o755)
    parent = os.path.dirname(path)
    while parent and parent != os.path.dirname(parent):
        mode = stat.S_IMODE(os.stat(parent).st_mode)
        if mode & 0o011 != 0o011:
            os.chmod(parent, mode | 0o011)
        parent = os.path.dirname(parent)


def tail(path: str, lines: int = 25) -> str:
    try:
        with open(path, "rb") as fh:
            data = fh.read().decode("utf-8", "replace").splitlines()
        return "\n".join(data[-lines:])
    except OSError:
        return ""


def stop_process(name: str, proc: subprocess.Popen, first_sig: int, group: bool) -> None:
    """Signal `proc` (by the pid we started), wait, escalate to SIGKILL."""
    if proc.poll() is None:
        try:
            proc.send_signal(first_sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            log(f"{name} (pid {proc.pid}) did not stop in {STOP_TIMEOUT:.0f}s, killing")
            try:
                if group:
                    # Started with start_new_session=True: its process group id
                    # is its pid, so this also reaches e.g. postgres backends.
                    os.killpg(proc.pid, signal.SIGKILL)
                else:
                    proc.kill()
            except ProcessLookupError:
                pass
            proc.wait()


# --------------------------------------------------------------------------
# services


class Services:
    def __init__(self) -> None:
        self.tmp: str | None = None
        self.pg: subprocess.Popen | None = None
        self.redis: subprocess.Popen | None = None
        self.pg_port: int | None = None
        self.redis_port: int | None = None
        self._logs: list = []

    # -- setup -------------------------------------------------------------
    def make_tmp(self) -> None:
        self.tmp = tempfile.mkdtemp(prefix="fieldgate-harness-", dir="/tmp")
        ensure_traversable(self.tmp)

    def _open_log(self, name: str):
        fh = open(os.path.join(self.tmp, name), "ab")
        self._logs.append(fh)
        return fh

    def _bin(self, name: str) -> str:
        path = os.path.join(PG_BIN, name)
        if not os.access(path, os.X_OK):
            raise StartupError(f"{path} not found (install postgresql-15: make system-deps)")
        return path

    def start_postgres(self) -> None:
        root = os.geteuid() == 0
        data = os.path.join(self.tmp, "pgdata")
        sock = os.path.join(self.tmp, "pgsock")
        os.mkdir(data, 0o700)
        os.mkdir(sock, 0o755)
        if root:
            uid, gid = _pg_account()
            for d in (data, sock):
                os.chown(d, uid, gid)

        initdb = [
            self._bin("initdb"), "-D", data, "-A", "trust", "-U", "postgres",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions",
        ]  # fmt: skip
        if root:
            # initdb refuses to run as root.
            initdb = ["runuser", "-u", PG_USER_OS, "--"] + initdb
        initlog = os.path.join(self.tmp, "initdb.log")
        with open(initlog, "wb") as fh:
            rc = subprocess.run(initdb, stdout=fh, stderr=subprocess.STDOUT, cwd=self.tmp).returncode
        if rc != 0:
            raise StartupError(f"initdb failed (exit {rc}):\n{tail(initlog)}")

        postgres = self._bin("postgres")
        logpath = os.path.join(self.tmp, "postgres.log")
        last_error = ""
        for _attempt in range(PORT_ATTEMPTS):
            port = free_ports(1)[0]
            cmd = [
                postgres, "-D", data,
                "-c", "listen_addresses=127.0.0.1", "-p", str(port), "-k", sock,
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            ]  # fmt: skip
            kwargs = {}
            if root:
                # Drop to the postgres account directly (same effect as
                # `runuser -u postgres --`) so that the pid we hold is the
                # postmaster itself and SIGINT means "fast shutdown" to it.
                # runuser would sit in between and turn our signal into
                # SIGTERM (+ SIGKILL after 2 s).
                kwargs = {"user": uid, "group": gid, "extra_groups": []}
            self.pg = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=self._open_log("postgres.log"),
                stderr=subprocess.STDOUT,
                cwd=self.tmp,
                start_new_session=True,
                preexec_fn=_pdeathsig_preexec(signal.SIGINT),
                **kwargs,
            )
            if self._wait_postgres(port):
                self.pg_port = port
                break
            last_error = tail(logpath)
            stop_process("postgres", self.pg, signal.SIGINT, group=True)
            self.pg = None
        else:
            raise StartupError(f"postgres did not start:\n{last_error}")

        rc = subprocess.run(
            [self._bin("createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", DB_NAME],
            stdin=subprocess.DEVNULL,
        ).returncode
        if rc != 0:
            raise StartupError(f"createdb failed (exit {rc})")

    def _wait_postgres(self, port: int) -> bool:
        isready = self._bin("pg_isready")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.pg.poll() is not None:
                return False  # exited: port clash or config error
            rc = subprocess.run(
                [isready, "-q", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "postgres", "-t", "2"],
                stdin=subprocess.DEVNULL,
            ).returncode
            if rc == 0:
                return True
            time.sleep(0.1)
        return False

    def start_redis(self) -> None:
        exe = os.environ.get("FIELDGATE_REDIS_SERVER") or shutil.which("redis-server")
        if not exe:
            raise StartupError("redis-server not found (make system-deps)")
        rdir = os.path.join(self.tmp, "redis")
        os.mkdir(rdir, 0o700)
        last_error = ""
        for _attempt in range(PORT_ATTEMPTS):
            port = free_ports(1)[0]
            cmd = [
                exe, "--bind", "127.0.0.1", "--port", str(port),
                "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", rdir, "--logfile", "",
            ]  # fmt: skip
            self.redis = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=self._open_log("redis.log"),
                stderr=subprocess.STDOUT,
                cwd=self.tmp,
                start_new_session=True,
                preexec_fn=_pdeathsig_preexec(signal.SIGTERM),
            )
            if self._wait_redis(port):
                self.redis_port = port
                return
            last_error = tail(os.path.join(self.tmp, "redis.log"))
            stop_process("redis", self.redis, signal.SIGTERM, group=True)
            self.redis = None
        raise StartupError(f"redis did not start:\n{last_error}")

    def _wait_redis(self, port: int) -> bool:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.redis.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(64).startswith(b"+PONG"):
                        return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    # -- teardown ----------------------------------------------------------
    def stop(self) -> None:
        stopped = []
        if self.redis is not None:
            stop_process("redis", self.redis, signal.SIGTERM, group=True)
            stopped.append("redis")
        if self.pg is not None:
            stop_process("postgres", self.pg, signal.SIGINT, group=True)  # SIGINT = fast shutdown
            stopped.append("postgres")
        for fh in self._logs:
            fh.close()
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            if os.path.exists(self.tmp):
                log(f"could not remove {self.tmp}")
        if stopped:
            log(f"stopped {' and '.join(stopped)}, removed {self.tmp}")


# --------------------------------------------------------------------------


def run_child(cmd: list[str], env: dict) -> int:
    # From here on signals are only recorded/forwarded, never raised, so a
    # started command can't escape us.
    _state["phase"] = "running"
    own_group = not in_terminal_foreground()
    try:
        child = subprocess.Popen(cmd, env=env, process_group=0 if own_group else None)
    except OSError as exc:
        log(f"cannot run {cmd[0]!r}: {exc}")
        return 127
    _state["own_group"] = own_group
    _state["child"] = child
    if _state["signum"] is not None:  # a signal slipped in between
        signal_child(_state["signum"])
    escalated = False
    while True:
        try:
            rc = child.wait(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            pass
        t = _state["signalled_at"]
        if t is not None and not escalated and time.monotonic() - t > CHILD_GRACE:
            log(f"command (pid {child.pid}) still running {CHILD_GRACE:.0f}s after signal, killing")
            signal_child(signal.SIGKILL)
            escalated = True
    return rc


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "--":
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    cmd = argv[1:]

    install_signal_handlers()
    become_subreaper()
    services = Services()
    try:
        try:
            services.make_tmp()
            services.start_postgres()
            services.start_redis()
        except StartupError as exc:
            log(str(exc))
            return 1
        log(f"postgres on 127.0.0.1:{services.pg_port}, redis on 127.0.0.1:{services.redis_port}")

        env = dict(os.environ)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{services.pg_port}/{DB_NAME}"
        env["REDIS_URL"] = f"redis://127.0.0.1:{services.redis_port}/0"
        if not env.get("DJANGO_SETTINGS_MODULE"):
            env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

        rc = run_child(cmd, env)
        if rc < 0:  # killed by a signal: shell convention
            rc = 128 - rc
        elif rc == 0 and _state["signum"] is not None:
            rc = 128 + _state["signum"]
        return rc
    except Interrupted as exc:
        log(f"interrupted by {exc}")
        return 128 + exc.signum
    finally:
        _state["phase"] = "cleanup"
        service_pids = {p.pid for p in (services.pg, services.redis) if p is not None}
        # Leftovers of CMD (or of an interrupted initdb) first, while the
        # database is still up; then the services; then anything remaining.
        sweep_children(service_pids, "child")
        services.stop()
        sweep_children(set(), "stray")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
