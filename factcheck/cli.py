"""Command line: parse arguments, call the core, print. No logic of its own."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from factcheck import __version__
from factcheck import queries
from factcheck.db import make_engine

KINDS = ("quantity", "date", "quote", "attribution")
FLAG_TYPES = ("conflict", "repeat", "quote_variant", "alias", "arithmetic")


def _parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help="SQLAlchemy URL or SQLite file path (default: $FACTCHECK_DB or ./claims.db)")
    p = argparse.ArgumentParser(prog="factcheck", parents=[common],
                                description="Trace every number, date and quote in your sources to its excerpt.")
    p.add_argument("--version", action="version", version=f"factcheck {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    ing = sub.add_parser("ingest", parents=[common], help="ingest files or folders (recursive)")
    ing.add_argument("paths", nargs="+", metavar="PATH")
    ing.add_argument("--max-mb", type=float, default=50.0, help="skip files larger than this (default 50)")
    ing.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")

    src = sub.add_parser("sources", parents=[common], help="list ingested sources")
    src.add_argument("--json", action="store_true")

    cl = sub.add_parser("claims", parents=[common], help="list claims")
    cl.add_argument("--kind", choices=KINDS)
    cl.add_argument("--source", metavar="NAME", help="source path or a part of it")
    cl.add_argument("--speaker", metavar="NAME", help="speaker name or alias (fuzzy, case-insensitive)")
    cl.add_argument("--json", action="store_true")
    fl = sub.add_parser("flags", parents=[common], help="list what the sources repeat, contradict and misquote")
    fl.add_argument("--type", choices=FLAG_TYPES)
    fl.add_argument("--json", action="store_true")

    sub.add_parser("match", parents=[common], help="re-run matching and checks over everything stored")
    return p


def _print_problems(report) -> None:
    """One line per bad file on stderr, plus loader notes."""
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    for prob in report.problems:
        print(f"error: {prob.path}: {prob.reason}", file=sys.stderr)


def cmd_ingest(args, engine) -> int:
    """Ingest paths with a progress bar on a terminal and a summary line at the end."""
    from factcheck.ingest.pipeline import expand_paths, ingest_paths

    max_bytes = int(args.max_mb * 1024 * 1024)
    if sys.stderr.isatty() and not args.no_progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        total = sum(1 for _ in expand_paths(args.paths))
        with Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.description}"), transient=True) as bar:
            task = bar.add_task("", total=total)

            def tick(name: str) -> None:
                bar.update(task, advance=1, description=name[-40:])

            report = ingest_paths(engine, args.paths, progress=tick, max_bytes=max_bytes)
    else:
        report = ingest_paths(engine, args.paths, max_bytes=max_bytes)
    _print_problems(report)
    print(
        f"{report.sources} sources ingested ({report.added} new, {report.replaced} replaced, "
        f"{report.unchanged} unchanged), {report.sections} sections, {report.claims} claims "
        f"in {report.seconds:.2f} s" + (f"; {len(report.problems)} files failed" if report.problems else "")
    )
    if report.sources or not queries.count_flags(engine):
        _run_matching(engine)
    return 1 if report.problems else 0


def _run_matching(engine) -> None:
    """Match and check everything stored; print one summary line."""
    from factcheck.match.store import run_matching

    found = run_matching(engine)
    kinds = ", ".join(f"{n} {t}" for t, n in sorted(found.by_type.items())) or "none"
    print(f"{found.total} flags ({kinds}) in {found.seconds:.2f} s")


def cmd_match(args, engine) -> int:
    """Re-run matching and checks alone."""
    _run_matching(engine)
    return 0


def _flag_lines(f: dict) -> str:
    """Two readable lines for a flag."""
    return (f"{f['id']:>5}  {f['type']:<13} {f['score']:.2f}  {f['status']:<9} {_short(f['subject'] or '', 60)}\n"
            f"       {_short(f['summary'] or '', 150)}")


def _print_rows(engine, rows: list[dict], as_json: bool, none_msg: str, line) -> int:
    """Print rows as one JSON array or as lines; say what to do when there is nothing."""
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif not rows:
        print(none_msg if queries.count_sources(engine) else "No sources yet. Run: factcheck ingest PATH...")
    else:
        for row in rows:
            print(line(row))
    return 0


def cmd_flags(args, engine) -> int:
    """List flags as lines or JSON."""
    return _print_rows(engine, queries.list_flags(engine, args.type), args.json, "No flags.", _flag_lines)


def cmd_sources(args, engine) -> int:
    """List sources as a table or JSON."""
    rows = queries.list_sources(engine)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    if not rows:
        print("No sources yet. Run: factcheck ingest PATH...")
        return 0
    for r in rows:
        print(f"{r['id']:>4}  {r['published'] or '----------':10}  {r['claims']:>5} claims  "
              f"{r['sections']:>3} sect  {r['source']}  {r['title'] or ''}")
    return 0


def _date_label(c: dict) -> str:
    """A date at its own precision: 2017-06-16, 2017-06, 2017, or 2016-05-01..2016-06-30."""
    d, precision = c["date"], c.get("date_precision")
    if not d:
        return "?"
    if precision == "month":
        return d[:7]
    if precision == "year":
        return d[:4]
    if precision in ("range", "week") and c.get("date_end"):
        return f"{d}..{c['date_end']}"
    return d


def _claim_line(c: dict) -> str:
    """One readable line for a claim."""
    if c["kind"] == "date":
        val = _date_label(c)
        if c.get("relative"):
            val += f" (relative to {c.get('relative_to') or 'unknown date'})"
    elif c["value"] is None and c["low"] is not None:
        val = f"{c['low']:g}–{c['high']:g}"
    else:
        val = "" if c["value"] is None else f"{c['value']:g}"
    extra = " ".join(x for x in (c.get("qualifier"), c.get("unit") if c["kind"] != "date" else None) if x)
    return (f"{c['id']:>6}  {c['kind']:<8} {c['source']}:{c['start']}-{c['end']}  {val} {extra}".rstrip()
            + (f"  {c['speaker']}:" if c.get("speaker") else "")
            + f"  “{_short(c['text'])}”" + (f"  [{c['subject']}]" if c.get("subject") else ""))


def _short(s: str, n: int = 120) -> str:
    """One line, at most n characters."""
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def cmd_claims(args, engine) -> int:
    """List claims as lines or JSON, filtered by kind and source."""
    rows = queries.list_claims(engine, kind=args.kind, source=args.source, speaker=args.speaker)
    return _print_rows(engine, rows, args.json, "No claims match.", _claim_line)


COMMANDS = {"ingest": cmd_ingest, "sources": cmd_sources, "claims": cmd_claims, "flags": cmd_flags,
            "match": cmd_match}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        engine = make_engine(getattr(args, "db", None))
    except Exception as exc:  # bad URL, unreachable server, unwritable path: one clear line
        print(f"error: cannot open database: {exc}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](args, engine)
    except KeyboardInterrupt:
        print("interrupted; documents already stored are kept", file=sys.stderr)
        return 130
    except SQLAlchemyError as exc:  # e.g. a database made by an older version, or a lost server
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        print(f"error: database: {first}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
