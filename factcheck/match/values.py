"""Comparable values: unit families and qualifier-aware intervals ("up to 80" is [0, 80])."""

from __future__ import annotations

import math

from factcheck.match.context import stem
from factcheck.match.records import ClaimRecord

APPROX_SPREAD = 0.15  # "around 70" covers 59.5–80.5
INF = math.inf


def unit_key(r: ClaimRecord) -> tuple[str, str] | None:
    """(family, unit) a quantity is measured in: proportions together, money by currency, counts by noun."""
    u = r.unit
    if u in ("%", "fraction") or (r.details or {}).get("denominator"):
        return ("proportion", "")
    if u in ("GBP", "USD", "EUR"):
        return ("money", u)
    if not u or u in ("ordinal", "ratio", "date"):
        return None
    return ("count", stem(u))


def _scale(r: ClaimRecord) -> float:
    """Factor that brings a value into its family's common scale (percent -> proportion)."""
    if r.unit == "%":
        return 0.01
    return 1.0


def rounding_tolerance(v: float) -> float:
    """Half the last significant step of a stated number ("3,000" -> 500, capped at 5%; "62" -> 0.5)."""
    if v == 0:
        return 0.5
    if v != int(v):
        decimals = len(repr(float(v)).split(".")[1].rstrip("0")) if "." in repr(float(v)) else 0
        return 0.5 * 10.0 ** (-decimals)
    n, zeros = int(abs(v)), 0
    while n and n % 10 == 0:
        n //= 10
        zeros += 1
    return min(0.5 * float(10 ** zeros), max(0.5, 0.05 * abs(v)))


def interval(r: ClaimRecord) -> tuple[float, float] | None:
    """The values a claim allows, on its family's scale, with rounding and qualifiers respected; None when
    there is no value, or one that is not a finite number (an overflowing figure compares with nothing)."""
    if not all(x is None or math.isfinite(x) for x in (r.value, r.low, r.high)):
        return None
    denominator = (r.details or {}).get("denominator")
    if denominator:
        v = (r.value or 0) / denominator
        tol = 0.5 / denominator
        return (v - tol, v + tol)
    k = _scale(r)
    if r.low is not None and r.high is not None:
        return (r.low * k, r.high * k)
    if r.value is None:
        return None
    v = r.value
    tol = rounding_tolerance(v)
    q = r.qualifier
    if q == "at_most":
        return (-INF, (v + tol) * k)
    if q == "at_least":
        return ((v - tol) * k, INF)
    if q == "approx":
        return (v * (1 - APPROX_SPREAD) * k, v * (1 + APPROX_SPREAD) * k)
    return ((v - tol) * k, (v + tol) * k)


def overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two intervals share any value."""
    return a[0] <= b[1] and b[0] <= a[1]


def gap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Relative distance between two disjoint intervals (0 when they overlap)."""
    if overlaps(a, b):
        return 0.0
    lo, hi = (a, b) if a[1] < b[0] else (b, a)
    scale = max(abs(hi[0]), abs(lo[1]), 1e-9)
    return (hi[0] - lo[1]) / scale


def describe(r: ClaimRecord) -> str:
    """A claim's value as a reader would say it ("up to 80 cases", "90–100 cases", "62%")."""
    return " ".join(r.text.split())
