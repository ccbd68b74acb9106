"""Running factcheck in a child process for tests: no $FACTCHECK_DB, and file modes that hold even for root."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest


def cli(*argv: str, cwd: Path, **kw) -> subprocess.CompletedProcess:
    """Run `python -m factcheck ARGV` in cwd with no $FACTCHECK_DB; its exit status and output."""
    env = {k: v for k, v in os.environ.items() if k != "FACTCHECK_DB"}
    return subprocess.run([sys.executable, "-m", "factcheck", *argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=180, **kw)


def without_root_writes() -> None:
    """preexec_fn: in the child, file modes hold even for root (CAP_DAC_OVERRIDE dropped from the bounding set,
    so the program it runs has no such capability); a no-op for other users."""
    if os.geteuid() != 0:
        return
    import ctypes

    pr_capbset_drop, cap_dac_override = 24, 1
    if ctypes.CDLL(None, use_errno=True).prctl(pr_capbset_drop, cap_dac_override, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


ROOT = Path(__file__).resolve().parent.parent
# The child's own high-water mark goes to a file named by this variable: ru_maxrss of a child also counts the
# parent's size at fork (a 152 MB ingest showed 556 MB from inside the full suite).
_HWM_ENV = "FC_TEST_HWM_FILE"
_CLI = ("import os, sys\n"
        "from factcheck.cli import main\n"
        "try:\n"
        "    status = main(sys.argv[1:])\n"
        "finally:\n"
        "    hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
        f"    open(os.environ['{_HWM_ENV}'], 'w').write(hwm[0] if hwm else '')\n"
        "sys.exit(status)\n")


@dataclass
class Run:
    """One finished `factcheck` child process."""

    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float


def run_cli(args: list[str], timeout: float) -> Run:
    """Run factcheck.cli.main in a child process from the repository root; its own peak resident memory (VmHWM,
    else wait4's ru_maxrss), and a watchdog that kills it after `timeout` seconds (a failure)."""
    env = {k: v for k, v in os.environ.items() if k != "FACTCHECK_DB"}
    env["PYTHONIOENCODING"] = "utf-8"
    with open(os.devnull, "rb") as stdin, tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr, \
            tempfile.NamedTemporaryFile("r") as hwm:
        env[_HWM_ENV] = hwm.name
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", _CLI, *args], stdin=stdin, stdout=stdout, stderr=stderr,
                                env=env, cwd=ROOT)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        seconds = time.monotonic() - t0
        stdout.seek(0)
        stderr.seek(0)
        own = hwm.read().strip()
        result = Run(proc.returncode, stdout.read().decode("utf-8", "replace"),
                     stderr.read().decode("utf-8", "replace"),
                     int(own) / 1024 if own else usage.ru_maxrss / 1024, seconds)
    if result.returncode == -9 and seconds >= timeout:
        pytest.fail(f"factcheck {' '.join(args[:3])} did not finish within {timeout} s")
    return result


def item_line(size: int) -> str:
    """One line of `size` characters with a number every few words and no sentence end (excerpts used to be the
    whole line and subjects rescanned it per number: 400 KB of it passed 10 GB)."""
    parts, n, total = [], 0, 0
    while total < size:
        part = f"and item {n} costs {n * 7 % 1000} units "
        parts.append(part)
        total += len(part)
        n += 1
    return "".join(parts)[:size]
