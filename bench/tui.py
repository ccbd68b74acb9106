"""Review TUI responsiveness on a generated database: first screen and key presses, large vs small.

Drives the real app headlessly (Textual's run_test + Pilot) on a generated database of N claims
(default 1,000,000) and on a baseline of 10,000 claims in the same run, and prints for each:

- first screen: from starting the app to the flag queue showing its first rows;
- per key: "answer" = the time until the screen reacts (cursor moved, filter shown, screen opened,
  decision saved and its row refreshed), and "data" = until the rows of a new query are on screen
  (those run in workers, so the app never freezes while they load);
- the ratio of the large database's figures to the baseline's.

    .venv/bin/python bench/tui.py [--claims 1000000] [--baseline 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import unicodedata
from pathlib import Path

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gendb  # noqa: E402
from benchlib import machine, peak_rss_mb  # noqa: E402

from factcheck.db import make_engine  # noqa: E402
from factcheck.review.app import ReviewApp  # noqa: E402
from factcheck.review.screens.claims import ClaimsScreen  # noqa: E402
from factcheck.review.screens.flag_detail import FlagDetailScreen  # noqa: E402
from factcheck.review.screens.flags import FlagsScreen  # noqa: E402
from factcheck.review.screens.source import SourceScreen  # noqa: E402
from factcheck.review.widgets.member_card import MemberCard  # noqa: E402

POLL = 0.001
TIMEOUT = 20.0


async def until(cond, timeout: float = TIMEOUT) -> None:
    """Wait until cond() is true (polling the event loop)."""
    end = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > end:
            raise TimeoutError("the app did not answer in time")
        await asyncio.sleep(POLL)


def send_key(app, key: str) -> None:
    """Hand one key to the app the way the terminal driver does (no waiting, unlike Pilot.press)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def timed(pilot, key: str, answered, loaded=None) -> tuple[float, float]:
    """Press key; seconds until answered() and until loaded() (or answered) hold."""
    await pilot.pause()  # start from an idle app
    t0 = time.perf_counter()
    send_key(pilot.app, key)
    try:
        await until(answered)
    except TimeoutError:
        app = pilot.app
        raise TimeoutError(f"no answer to {key!r} on {app.screen}: "
                           f"{[n.message for n in app._notifications]}") from None
    t1 = time.perf_counter()
    if loaded is not None:
        await until(loaded)
    return t1 - t0, time.perf_counter() - t0


def rows_of(screen) -> int:
    """Rows loaded in a screen's table."""
    return screen.table.row_count


async def session(db: str, repeat: int) -> dict:
    """One scripted review session; returns seconds per step (lists for repeated steps)."""
    out: dict[str, list] = {}

    def add(name: str, answer: float, data: float | None = None) -> None:
        out.setdefault(name, []).append((answer, data if data is not None else answer))

    t0 = time.perf_counter()
    app = ReviewApp(make_engine(db), "bench", Path(db).name)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(lambda: isinstance(app.screen, FlagsScreen) and rows_of(app.screen) > 0)
        add("first screen (flag queue with rows)", time.perf_counter() - t0)
        flags = app.screen
        await until(lambda: "flags open" in str(flags.summary.render()))
        add("flag counts shown", time.perf_counter() - t0)

        for _ in range(repeat * 4):
            row = flags.table.cursor_row
            add("down (flag queue)", *await timed(pilot, "down", lambda r=row: flags.table.cursor_row == r + 1))
        for _ in range(repeat):
            gen = flags.generation
            add("t type filter (flags)", *await timed(
                pilot, "t", lambda g=gen: flags.generation == g + 1,
                lambda: rows_of(flags) > 0 or flags.empty.display))
        while flags.type_filter is not None:
            await pilot.press("t")
        await until(lambda: rows_of(flags) > 0)
        for _ in range(repeat):
            add("enter open flag", *await timed(
                pilot, "enter", lambda: isinstance(app.screen, FlagDetailScreen),
                lambda: isinstance(app.screen, FlagDetailScreen) and len(app.screen.query(MemberCard)) > 0))
            detail = app.screen
            fid = detail.detail["id"]
            add("] next flag", *await timed(
                pilot, "right_square_bracket",
                lambda d=detail, f=fid: d.detail is not None and d.detail["id"] != f))
            fid = detail.detail["id"]
            version = detail.detail["version"]
            key = "x" if detail.detail["status"] == "confirmed" else "c"  # a decision that changes something
            add("c confirm / x dismiss (saved, shown)", *await timed(
                pilot, key, lambda d=detail, f=fid, v=version: d.detail["id"] == f and d.detail["version"] > v))
            add("u undo (saved, shown)", *await timed(
                pilot, "u", lambda d=detail, v=version: d.detail["version"] > v + 1))
            add("g open source", *await timed(
                pilot, "g", lambda: isinstance(app.screen, SourceScreen),
                lambda: isinstance(app.screen, SourceScreen) and app.screen.claim_row is not None))
            src = app.screen
            cid = src.claim_id
            add("] next claim in source", *await timed(pilot, "right_square_bracket",
                                                      lambda s=src, c=cid: s.claim_id != c))
            await pilot.press("escape")
            await until(lambda: isinstance(app.screen, FlagDetailScreen))
            add("escape back to queue", *await timed(pilot, "escape", lambda: isinstance(app.screen, FlagsScreen)))
            await pilot.press("down")

        add("C claims table", *await timed(
            pilot, "C", lambda: isinstance(app.screen, ClaimsScreen),
            lambda: isinstance(app.screen, ClaimsScreen) and rows_of(app.screen) > 0))
        claims = app.screen
        t = time.perf_counter()
        await until(lambda: claims.count is not None)
        add("count after the first page (claims)", time.perf_counter() - t)
        for _ in range(repeat * 4):
            row = claims.table.cursor_row
            add("down (claims)", *await timed(pilot, "down", lambda r=row: claims.table.cursor_row == r + 1))
        for _ in range(repeat):
            row = claims.table.cursor_row
            rows = rows_of(claims)
            add("pagedown x10 (pages load on the way)", *await timed(
                pilot, "pagedown", lambda r=row: claims.table.cursor_row > r))
            for _ in range(9):
                await pilot.press("pagedown")
            await until(lambda r=rows: rows_of(claims) > r)
        for _sort in range(2):
            gen = claims.generation
            add("o sort (kind, then value)", *await timed(
                pilot, "o", lambda g=gen: claims.generation == g + 1, lambda: rows_of(claims) > 0))
            t = time.perf_counter()
            await until(lambda: claims.count is not None)
            add("count after sort", time.perf_counter() - t)
        for _ in range(2):
            gen = claims.generation
            add("t kind filter (claims)", *await timed(
                pilot, "t", lambda g=gen: claims.generation == g + 1, lambda: rows_of(claims) > 0))
        gen = claims.generation
        add("S status filter (claims)", *await timed(
            pilot, "S", lambda g=gen: claims.generation == g + 1,
            lambda: rows_of(claims) > 0 or claims.empty.display))
        while claims.query_state.status is not None:  # back to all statuses
            await pilot.press("S")
        await pilot.press("slash")
        for i, ch in enumerate("officer", 1):
            add("typing in search (per key)", *await timed(pilot, ch, lambda i=i: len(claims.search.value) == i))
        gen = claims.generation
        t = time.perf_counter()
        await until(lambda g=gen: claims.generation > g)
        await until(lambda: rows_of(claims) > 0 or claims.empty.display)
        add("search results after typing stops (incl. 150 ms pause)", time.perf_counter() - t)
        await pilot.press("escape")
        for _ in range(repeat):
            key = claims.table.current_key
            row = claims.rows[int(key)]
            verdict = "d" if row["status"] == "supported" else "s"
            add("s/d verdict (saved, row refreshed)", *await timed(
                pilot, verdict, lambda k=key, v=row["version"]: claims.rows[int(k)]["version"] > v))
            await pilot.press("up")
            await until(lambda k=key: claims.table.current_key == k)
            add("u undo verdict", *await timed(
                pilot, "u", lambda k=key, v=row["version"]: claims.rows[int(k)]["version"] > v + 1))
    return out


def summarize(steps: dict) -> dict:
    """Median and max of answer and data times per step, in ms."""
    out = {}
    for name, values in steps.items():
        answers = [a * 1000 for a, _ in values]
        datas = [d * 1000 for _, d in values]
        out[name] = {"n": len(values), "answer_ms": statistics.median(answers), "answer_max_ms": max(answers),
                     "data_ms": statistics.median(datas), "data_max_ms": max(datas)}
    return out


def main() -> None:
    """Build (or reuse) the databases, run the session on each, print the table and ratios."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--baseline", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = ap.parse_args()

    results = {}
    for n in (args.baseline, args.claims):
        db = gendb.cached(n)
        asyncio.run(session(db, 1))  # warm the OS file cache once, as a reviewer's second start would be
        results[n] = summarize(asyncio.run(session(db, args.repeat)))
    big, small = results[args.claims], results[args.baseline]
    print(f"factcheck review, headless, 140x40; {machine()}")
    print(f"{'step':58} {args.baseline:>10,} claims  {args.claims:>10,} claims   ratio")
    print(f"{'':58} {'answer/data ms':>17}  {'answer/data ms':>17}")
    for name, b in big.items():
        s = small.get(name, b)
        ratio = b["data_ms"] / s["data_ms"] if s["data_ms"] else float("nan")
        print(f"{name:58} {s['answer_ms']:7.1f} /{s['data_ms']:7.1f}  {b['answer_ms']:7.1f} /{b['data_ms']:7.1f}"
              f"  {ratio:5.1f}x   (max {b['answer_max_ms']:.0f}/{b['data_max_ms']:.0f})")
    answers = [v["answer_max_ms"] for k, v in big.items() if not k.startswith(("first", "flag counts", "count",
                                                                               "search results"))]
    print(f"\nfirst screen at {args.claims:,} claims: {big['first screen (flag queue with rows)']['data_ms']:.0f} ms"
          f" (target < 1000); slowest key answer: {max(answers):.0f} ms (target < 100); "
          f"peak RSS {peak_rss_mb():.0f} MB")
    if args.json:
        Path(args.json).write_text(json.dumps({"results": {str(k): v for k, v in results.items()},
                                               "machine": machine()}, indent=1))


if __name__ == "__main__":
    main()
