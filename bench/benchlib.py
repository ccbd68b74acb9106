"""What the benchmarks share: pinning to one core, peak memory, and a description of the machine."""

from __future__ import annotations

import os
import platform
import resource
import sys
from pathlib import Path

MB = 1024 * 1024


def pin_one_core(core: int | str | None = None) -> int | None:
    """Pin this process to one core (the given one, else the lowest allowed); return it, or None if unsupported."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    chosen = int(core) if core not in (None, "") else min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {chosen})
    return chosen


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / MB if sys.platform == "darwin" else rss / 1024


def machine() -> dict:
    """A little about where the figures were taken."""
    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil
        freq = psutil.cpu_freq()
        info["cpu_mhz"] = round(freq.current) if freq else None
        info["ram_gb"] = round(psutil.virtual_memory().total / 2**30, 1)
    except Exception:  # psutil is optional
        pass
    return info
