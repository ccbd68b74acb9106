"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, start it on 127.0.0.1 with a
free port (and its unix socket in the same folder), stop it and delete the folder afterwards.

Used by tests/conftest.py when $FACTCHECK_TEST_PG_URL names no server. The same steps by hand, as `.ci/run`
takes them, are in the README ("Testing against PostgreSQL"). As root the server runs as the `postgres` user
(initdb refuses root), through runuser.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/opt/postgresql*/bin",
          "/usr/local/opt/postgresql*/bin")


class Unavailable(Exception):
    """No server can be started here; the message says why."""


# Stops the server and deletes its folder once the process that started it is gone, however it ended (a test
# run killed by a timeout runs no finalizer; pg_ctl's server is not its child and would run on).
WATCHDOG = """
import os, shutil, subprocess, sys, time
owner, base, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
while True:
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        break
    except PermissionError:
        pass
    time.sleep(1)
subprocess.run(cmd, capture_output=True, timeout=60)
shutil.rmtree(base, ignore_errors=True)
"""


@dataclass
class Server:
    """A running throwaway server."""

    url: str
    base: Path
    stop_command: list[str]
    watchdog: subprocess.Popen | None = None

    def stop(self) -> None:
        """Stop the server at once and delete its folder."""
        if (self.base / "data" / "postmaster.pid").exists():
            subprocess.run(self.stop_command, capture_output=True, timeout=60)
        shutil.rmtree(self.base, ignore_errors=True)
        if self.watchdog is not None:
            self.watchdog.kill()
            self.watchdog.wait()


def bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl: from PATH, else the newest of the usual install places."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    def version(path: str) -> tuple:
        return tuple(int(p) if p.isdigit() else 0 for p in Path(path).parent.name.replace("-", ".").split("."))
    for pattern in SEARCH:
        for d in sorted(glob.glob(pattern), key=version, reverse=True):
            if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
                return Path(d)
    return None


def _free_port() -> int:
    """A TCP port nobody listens on at this moment."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> tuple[list[str], int | None, int | None]:
    """Command prefix, uid and gid to run the server with: ourselves, or the postgres user when we are root."""
    if os.geteuid() != 0:
        return [], None, None
    import pwd

    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        raise Unavailable("running as root and there is no 'postgres' user to run the server as") from None
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"], user.pw_uid, user.pw_gid
    raise Unavailable("running as root and runuser is missing (initdb refuses to run as root)")


def start(attempts: int = 3) -> Server:
    """initdb and start a server; raise Unavailable when PostgreSQL is not installed or does not start."""
    bindir = bin_dir()
    if bindir is None:
        raise Unavailable("PostgreSQL is not installed (no initdb/pg_ctl on PATH or in " + ", ".join(SEARCH[:2])
                          + "); on Debian: apt-get install postgresql")
    prefix, uid, gid = _run_as()
    base = Path(tempfile.mkdtemp(prefix="factcheck-pg-"))
    if uid is not None:
        os.chown(base, uid, gid)
    data = base / "data"
    init = subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                           "-E", "UTF8", "--locale=C", "--no-sync"], capture_output=True, text=True, timeout=120)
    if init.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        raise Unavailable(f"initdb failed: {(init.stderr or init.stdout).strip()[-300:]}")
    last = ""
    for _ in range(attempts):  # another process may take the port between choosing it and listening on it
        port = _free_port()
        opts = (f"-k {base} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                f"-c full_page_writes=off -c max_connections=200")
        started = subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w",
                                  "-t", "60", "-o", opts, "start"], capture_output=True, text=True, timeout=120)
        stop = [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
        if started.returncode == 0:
            watchdog = subprocess.Popen([sys.executable, "-c", WATCHDOG, str(os.getpid()), str(base), *stop],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
            return Server(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", base, stop, watchdog)
        subprocess.run(stop, capture_output=True, timeout=60)  # in case it came up after all
        log = base / "log"
        last = log.read_text(errors="replace")[-300:] if log.exists() else started.stderr[-300:]
    shutil.rmtree(base, ignore_errors=True)
    raise Unavailable(f"the server did not start: {last.strip()}")
