"""Running factcheck in a child process for tests: no $FACTCHECK_DB, and file modes that hold even for root."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


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
