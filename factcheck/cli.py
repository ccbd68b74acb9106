"""Command line: parse arguments, call the core, print. No logic of its own."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from factcheck import __version__
from factcheck.labels import json_text, printable, value_with_unit
from factcheck.labels import short as _short
from factcheck.vocabulary import CLAIM_KINDS, CLAIM_STATUSES, FLAG_STATUSES, FLAG_TYPES, ORPHANED, ClaimStatus

if TYPE_CHECKING:  # imported where used: `factcheck --version` and `--help` load no database code
    from sqlalchemy.engine import Engine

    from factcheck import decisions
    from factcheck.ingest.pipeline import IngestReport
    from factcheck.store import ClaimDict, FlagDict, HistoryEntry

_Row = TypeVar("_Row")

CLAIM_FILTER_STATUSES: tuple[str, ...] = tuple(s.value for s in ClaimStatus)  # a reviewer's, and orphaned
EXPORT_FORMATS = ("markdown", "html", "json", "csl-json", "bibtex", "claimreview", "csv")


def _command(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, common: argparse.ArgumentParser,
             summary: str, example: str) -> argparse.ArgumentParser:
    """A subcommand with a one-line description (its help in the command list too) and an example."""
    return sub.add_parser(name, parents=[common], help=summary, description=summary[0].upper() + summary[1:] + ".",
                          epilog="example:\n" + "\n".join(f"  {line}" for line in example.splitlines()),
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def _word(text: str) -> str:
    """argparse type: a vocabulary word in any case, '-' for '_' (Supported, quote-variant, NOT_A_CLAIM)."""
    return text.strip().lower().replace("-", "_")


def _word_list(choices: Sequence[str]) -> Callable[[str], list[str]]:
    """argparse type: a comma list of words from choices, in any case."""
    def parse(text: str) -> list[str]:
        words = [_word(w) for w in text.split(",") if w.strip()]
        bad = [w for w in words if w not in choices]
        if bad or not words:
            raise argparse.ArgumentTypeError(f"unknown: {', '.join(bad) or repr(text)} (choose from "
                                             f"{', '.join(choices)})")
        return words
    return parse


def _non_negative_int(text: str) -> int:
    """argparse type: an integer of at least 0."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0: {n}")
    return n


def _page_options(p: argparse.ArgumentParser, what: str) -> None:
    """--limit and --offset: a page of a listing, read in the database's query."""
    p.add_argument("--limit", type=_non_negative_int, metavar="N", help=f"at most N {what}")
    p.add_argument("--offset", type=_non_negative_int, default=0, metavar="N",
                   help=f"skip the first N {what} (in the listing's stable order)")


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

    ing = _command(sub, "ingest", common, "ingest files or folders (recursive): extract, match and check",
                   "factcheck ingest reports/ press/release.html")
    ing.add_argument("paths", nargs="+", metavar="PATH")
    ing.add_argument("--max-mb", type=float, default=50.0, help="skip files larger than this (default 50)")
    ing.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    ing.add_argument("--workers", type=int, default=None, metavar="N",
                     help="extract in N processes (default: 1; worker processes by default are on hold); "
                          "writing stays one "
                          "transaction per document")

    src = _command(sub, "sources", common, "list ingested sources (a table on a terminal, lines when piped)",
                   "factcheck sources --json")
    src.add_argument("--json", action="store_true")

    cl = _command(sub, "claims", common, "list claims (a table on a terminal, one line each when piped)",
                  "factcheck claims --kind quantity --status unreviewed,disputed --limit 20")
    cl.add_argument("--kind", type=_word, choices=CLAIM_KINDS)
    cl.add_argument("--source", metavar="NAME", help="source path or a part of it")
    cl.add_argument("--speaker", metavar="NAME", help="speaker name or alias (fuzzy, case-insensitive)")
    cl.add_argument("--status", action="append", type=_word_list(CLAIM_FILTER_STATUSES), metavar="S[,S]",
                    help=f"only claims with one of these statuses, any case ({', '.join(CLAIM_FILTER_STATUSES)}); "
                         "repeatable")
    _page_options(cl, "claims")
    cl.add_argument("--json", action="store_true")
    fl = _command(sub, "flags", common, "list what the sources repeat, contradict and misquote",
                  "factcheck flags --type conflict --status open")
    fl.add_argument("--type", action="append", type=_word_list(FLAG_TYPES), metavar="T[,T]",
                    help=f"only flags of these types ({', '.join(FLAG_TYPES)}); repeatable")
    fl.add_argument("--status", action="append", type=_word_list(FLAG_STATUSES), metavar="S[,S]",
                    help=f"only flags with one of these statuses ({', '.join(FLAG_STATUSES)}); repeatable")
    _page_options(fl, "flags")
    fl.add_argument("--json", action="store_true")

    sh = _command(sub, "show", common, "everything about one claim or one flag: excerpt, reading, flags, history",
                  "factcheck show claim 17\nfactcheck show flag 3 --json")
    sh.add_argument("what", type=_word, choices=("claim", "flag"))
    sh.add_argument("item_id", type=int, metavar="ID")
    sh.add_argument("--json", action="store_true")

    _command(sub, "match", common, "re-run matching and checks over everything stored", "factcheck match")

    ex = _command(sub, "export", common, "citations appendix (markdown, html) and data formats",
                  "factcheck export --format markdown -o appendix.md")
    ex.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    ex.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    ex.add_argument("--group-by", choices=("source", "subject"), default="source",
                    help="how the appendix groups claims (default: source)")
    ex.add_argument("--status", action="append", metavar="STATUS[,STATUS]",
                    help="claim verdicts and/or flag statuses to include, or 'all' (default: reviewed claims, "
                         "every flag; json and csv: every claim)")
    ex.add_argument("--kind", action="append", metavar="KIND[,KIND]", help="claim kinds to include")
    ex.add_argument("--source", metavar="NAME", help="only sources whose path is or contains NAME")
    ex.add_argument("--base-url", metavar="URL", type=_web_address,
                    help="claimreview: the http(s) address the HTML appendix is published at; each review's url is "
                         "URL#claim-ID (without it reviews carry no url, only the identifier claim:ID)")

    rv = _command(sub, "review", common, "work through flags and claims in the terminal (TUI)",
                  "factcheck review --reviewer alice")
    rv.add_argument("--reviewer", metavar="NAME",
                    help="name written to the audit log (default: $FACTCHECK_REVIEWER or your login name)")

    ve = _command(sub, "verdict", common, "record a reviewer's verdict on a claim",
                  'factcheck verdict 17 supported --note "matches the report, p. 4" --expect-version 1')
    ve.add_argument("claim_id", type=int, metavar="CLAIM_ID")
    ve.add_argument("status", type=_word, choices=CLAIM_STATUSES)
    ve.add_argument("--note", metavar="TEXT", help='a note on the claim ("" clears it)')
    ve.add_argument("--reviewer", metavar="NAME", help="default: $FACTCHECK_REVIEWER, else your login name")
    ve.add_argument("--expect-version", type=int, metavar="N",
                    help="refuse if the claim is no longer at version N (someone changed it since you loaded it)")

    re_ = _command(sub, "resolve", common, "record a reviewer's decision on a flag",
                   "factcheck resolve 3 confirmed --correct 17 --note \"the report's own date\"")
    re_.add_argument("flag_id", type=int, metavar="FLAG_ID")
    re_.add_argument("status", type=_word, choices=FLAG_STATUSES)
    re_.add_argument("--note", metavar="TEXT", help='a note on the flag ("" clears it)')
    re_.add_argument("--correct", type=int, metavar="CLAIM_ID",
                     help="the member statement that is right (for conflicts)")
    re_.add_argument("--reviewer", metavar="NAME", help="default: $FACTCHECK_REVIEWER, else your login name")
    re_.add_argument("--expect-version", type=int, metavar="N",
                     help="refuse if the flag is no longer at version N (someone changed it since you loaded it)")

    lg = _command(sub, "log", common, "the audit log of review decisions, newest first",
                  "factcheck log --claim 17")
    which = lg.add_mutually_exclusive_group()
    which.add_argument("--claim", type=int, metavar="ID", help="decisions on one claim")
    which.add_argument("--flag", type=int, metavar="ID", help="decisions on one flag")
    lg.add_argument("--limit", type=_positive_int, metavar="N", help="at most N entries")
    lg.add_argument("--json", action="store_true")

    bk = _command(sub, "backup", common, "write every table to one file (gzip'd JSON lines)",
                  "factcheck backup claims-2026-12-01.jsonl.gz")
    bk.add_argument("file", metavar="FILE")
    rs = _command(sub, "restore", common, "restore a backup file into an empty database",
                  "factcheck --db fresh.db restore claims-2026-12-01.jsonl.gz")
    rs.add_argument("file", metavar="FILE")
    rs.add_argument("--force", action="store_true", help="replace everything the database holds (one transaction)")

    db = _command(sub, "db", common, "the database schema: its revision, or upgrade it now",
                  "factcheck db current")
    db.add_argument("action", choices=("current", "upgrade"),
                    help="current: the schema revision and the newest one; upgrade: migrate to the newest "
                         "(every command does this when it opens the database)")
    return p


def _positive_int(text: str) -> int:
    """argparse type: an integer of at least 1."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {n}")
    return n


def _print_problems(report: IngestReport) -> None:
    """One line per bad file on stderr, plus loader notes."""
    from factcheck.ingest.loaders import display_path

    for note in report.notes:
        print(f"note: {display_path(note)}", file=sys.stderr)
    for prob in report.problems:
        print(f"error: {display_path(prob.path)}: {display_path(prob.reason)}", file=sys.stderr)
    for skip in report.skipped:
        print(f"skipped: {display_path(skip.path)}: {display_path(skip.reason)}", file=sys.stderr)


def cmd_ingest(args: argparse.Namespace, engine: Engine) -> int:
    """Ingest paths with a progress bar on a terminal and a summary line at the end."""
    from factcheck import store
    from factcheck.db import display_url, unwritable
    from factcheck.ingest.pipeline import expand_paths, ingest_paths
    from factcheck.ingest.workers import default_workers, usable_cores

    why = unwritable(engine)
    if why:  # one line for the run, not one per file
        print(f"error: cannot write to the database {display_url(engine.url.render_as_string(hide_password=False))}: "
              f"{why}; nothing ingested", file=sys.stderr)
        return 2
    max_bytes = int(args.max_mb * 1024 * 1024)
    workers = default_workers() if args.workers is None else max(1, min(args.workers, usable_cores(), 64))
    if sys.stderr.isatty() and not args.no_progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        total = sum(1 for _ in expand_paths(args.paths))
        with Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.description}"), transient=True) as bar:
            task = bar.add_task("", total=total)

            def tick(name: str) -> None:
                bar.update(task, advance=1, description=name[-40:])

            report = ingest_paths(engine, args.paths, progress=tick, max_bytes=max_bytes, workers=workers)
    else:
        report = ingest_paths(engine, args.paths, max_bytes=max_bytes, workers=workers)
    _print_problems(report)
    print(
        f"{report.sources} sources ingested ({report.added} new, {report.replaced} replaced, "
        f"{report.unchanged} unchanged" + (f", {report.updated} with new metadata" if report.updated else "")
        + (f", {report.moved} moved" if report.moved else "") + "), "
        f"{report.sections} sections, {report.claims} claims "
        f"in {report.seconds:.2f} s" + (f"; {len(report.problems)} files failed" if report.problems else "")
        + (f"; {len(report.skipped)} skipped (unsupported type)" if report.skipped else "")
    )
    from factcheck.dbstate import matching_pending

    failed = 0
    if report.sources or matching_pending(engine) or (not report.problems and not store.count_flags(engine)):
        failed = _run_matching(engine)
    return 1 if report.problems or report.skipped_named or failed else 0


URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def _refused_paths(args: argparse.Namespace) -> str | None:
    """Why ingest cannot take its arguments (a URL among them), before any database is opened; else None."""
    urls = [p for p in args.paths if URL_SCHEME.match(p)]
    if not urls:
        return None
    return (f"factcheck: ingest takes files and folders, not URLs: download it first "
            f"({printable(_short(urls[0], 100))})")


def _run_matching(engine: Engine, notes: bool = False) -> int:
    """Match and check everything stored; print one summary line (or one error line: status 1), then, with
    notes, what was not looked for."""
    from factcheck.match.store import MatchingError, run_matching

    try:
        found = run_matching(engine)
    except MatchingError as exc:
        print(f"error: matching failed ({exc}); stored documents and earlier flags are kept, "
              f"the next ingest or `factcheck match` retries", file=sys.stderr)
        return 1
    kinds = ", ".join(f"{n} {t}" for t, n in sorted(found.by_type.items())) or "none"
    print(f"{found.total} flags ({kinds}) in {found.seconds:.2f} s")
    for note in found.notes if notes else ():
        print(f"note: {note}")
    return 0


def cmd_match(args: argparse.Namespace, engine: Engine) -> int:
    """Re-run matching and checks alone (and say what was not looked for)."""
    return _run_matching(engine, notes=True)


def _line(s: str | None, n: int = 120) -> str:
    """Document or user text for a terminal: one line of at most about n characters, controls escaped."""
    return printable(_short(s, n))


def _flag_lines(f: FlagDict) -> str:
    """Two readable lines for a flag."""
    return (f"{f['id']:>5}  {printable(f['type']):<13} {f['score']:.2f}  {printable(f['status']):<9} "
            f"{_line(f['subject'], 60)}\n"
            f"       {_line(f['summary'], 150)}")


def _print_json_array(rows: Iterable[object]) -> None:
    """Rows as one JSON array (indent 1), written element by element so that no list is held."""
    sep = "[\n "
    for row in rows:
        sys.stdout.write(sep + json_text(row).replace("\n", "\n "))  # newlines in strings are escaped
        sep = ",\n "
    sys.stdout.write("[]\n" if sep == "[\n " else "\n]\n")


def _print_rows(engine: Engine, rows: Iterable[_Row], as_json: bool, none_msg: str,
                line: Callable[[_Row], str]) -> int:
    """Print rows as one JSON array or as lines, as they come; say what to do when there is nothing."""
    from factcheck import store

    if as_json:
        _print_json_array(rows)
        return 0
    printed = False
    for row in rows:
        print(line(row))
        printed = True
    if not printed:
        print(none_msg if store.count_sources(engine) else "No sources yet. Run: factcheck ingest PATH...")
    return 0


def _flat(values: list[list[str]] | None) -> tuple[str, ...]:
    """A repeatable comma-list option's words, in order, once each."""
    return tuple(dict.fromkeys(w for group in values or [] for w in group))


def _after_table(engine: Engine, printed: int, none_msg: str) -> int:
    """After a table: what to do when it had no rows."""
    from factcheck import store

    if not printed:
        print(none_msg if store.count_sources(engine) else "No sources yet. Run: factcheck ingest PATH...")
    return 0


def cmd_flags(args: argparse.Namespace, engine: Engine) -> int:
    """List flags as a table (terminal), lines or JSON, filtered by type and status."""
    from factcheck import store
    from factcheck.terminal import flags_table, terminal

    rows = store.list_flags(engine, types=_flat(args.type), statuses=_flat(args.status), limit=args.limit,
                            offset=args.offset)
    console = None if args.json else terminal()
    if console is not None:
        return _after_table(engine, flags_table(console, rows), "No flags.")
    return _print_rows(engine, rows, args.json, "No flags.", _flag_lines)


def cmd_sources(args: argparse.Namespace, engine: Engine) -> int:
    """List sources as a table (terminal), lines or JSON."""
    from factcheck import store
    from factcheck.terminal import sources_table, terminal

    rows = store.list_sources(engine)
    if args.json:
        print(json_text(rows))
        return 0
    if not rows:
        print("No sources yet. Run: factcheck ingest PATH...")
        return 0
    console = terminal()
    if console is not None:
        sources_table(console, rows)
        return 0
    for r in rows:
        print(f"{r['id']:>4}  {r['published'] or '----------':10}  {r['claims']:>5} claims  "
              f"{r['sections']:>3} sect  {printable(r['source'])}  {printable(r['title'])}")
    return 0


def _claim_place(c: ClaimDict) -> str:
    """`source:start-end`, or `source:orphaned` for a claim no longer in its source's text (its offsets are 0)."""
    where = "orphaned" if c["status"] == ORPHANED else f"{c['start']}-{c['end']}"
    return f"{printable(c['source'])}:{where}"


def _claim_line(c: ClaimDict) -> str:
    """One readable line for a claim."""
    return (f"{c['id']:>6}  {printable(c['kind']):<8} {printable(c['status']):<10} {_claim_place(c)}  "
            f"{printable(value_with_unit(c))}".rstrip()
            + (f"  {printable(c['speaker'])}:" if c.get("speaker") else "")
            + f"  “{_line(c['text'])}”" + (f"  [{printable(c['subject'])}]" if c.get("subject") else ""))


def cmd_claims(args: argparse.Namespace, engine: Engine) -> int:
    """List claims as a table (terminal), lines or JSON as they are read, filtered by kind, source, speaker and
    status, a page of them with --limit/--offset."""
    from factcheck import store
    from factcheck.terminal import claims_table, terminal

    rows = store.iter_claims(engine, kind=args.kind, source=args.source, speaker=args.speaker,
                             statuses=_flat(args.status), limit=args.limit, offset=args.offset)
    console = None if args.json else terminal()
    if console is not None:
        return _after_table(engine, claims_table(console, rows, store.max_claim_id(engine)), "No claims match.")
    return _print_rows(engine, rows, args.json, "No claims match.", _claim_line)


def cmd_show(args: argparse.Namespace, engine: Engine) -> int:
    """Everything about one claim or flag: a grid on a terminal, `label: value` lines when piped, or JSON."""
    from factcheck import store
    from factcheck.terminal import show_claim, show_flag, terminal

    view = (store.claim_view if args.what == "claim" else store.flag_view)(engine, args.item_id)
    if view is None:
        print(f"error: no {args.what} {args.item_id}", file=sys.stderr)
        return 1
    if args.json:
        print(json_text(store.view_dict(view)))
    elif isinstance(view, store.ClaimView):
        show_claim(view, terminal())
    else:
        show_flag(view, terminal())
    return 0


def _print_applied(engine: Engine, applied: decisions.Applied, reviewer: str, note_given: bool) -> None:
    """`claim 12: unreviewed → supported (alice)`, then the note and the correct statement if they matter."""
    from factcheck import decisions

    state = decisions.item_state(engine, applied.target, applied.target_id)
    head = f"{applied.target} {applied.target_id}: "
    if "status" in applied.new:  # statuses as stored: printable too, whatever an old database holds
        print(printable(f"{head}{applied.old['status']} → {applied.new['status']} ({reviewer})"))
    elif applied.decision_ids:
        print(printable(f"{head}{state['status']} ({reviewer})"))
    else:
        print(printable(f"{head}already {state['status']}; nothing changed"))
    if "note" in applied.new or note_given:
        print(f"  note: {printable(state['note'])}" if state["note"] is not None else "  note: (cleared)")
    if "correct" in applied.new:
        correct = applied.new["correct"]
        print(f"  correct: claim {correct}" if correct is not None else "  correct: (cleared)")


def cmd_verdict(args: argparse.Namespace, engine: Engine) -> int:
    """Record a verdict on one claim and say what changed."""
    from factcheck import decisions

    reviewer = decisions.reviewer_name(args.reviewer)
    applied = decisions.decide_claim(engine, args.claim_id, status=args.status, note=args.note, reviewer=reviewer,
                                     expected_version=args.expect_version)
    _print_applied(engine, applied, reviewer, args.note is not None)
    return 0


def cmd_resolve(args: argparse.Namespace, engine: Engine) -> int:
    """Record a decision on one flag (and which statement is right) and say what changed."""
    from factcheck import decisions

    reviewer = decisions.reviewer_name(args.reviewer)
    correct = decisions.UNSET if args.correct is None else args.correct
    applied = decisions.decide_flag(engine, args.flag_id, status=args.status, note=args.note,
                                    correct_claim_id=correct, reviewer=reviewer,
                                    expected_version=args.expect_version)
    _print_applied(engine, applied, reviewer, args.note is not None)
    return 0


def _log_value(v: str | None) -> str:
    """A logged old/new value on one line; '-' for none."""
    return "-" if v is None else _line(v, 60)


def _log_line(e: HistoryEntry) -> str:
    """`2026-11-22 16:20  alice  claim 12  status  unreviewed → supported  "note"`."""
    at = (e["at"] or "")[:16].replace("T", " ")  # the column is NOT NULL: always a time in practice
    line = (f"{at}  {printable(e['reviewer'])}  {printable(e['target'])} {e['target_id']}  {printable(e['field'])}  "
            f"{_log_value(e['old'])} → {_log_value(e['new'])}")
    if e["note"] and not (e["field"] == "note" and e["note"] == e["new"]):
        line += f'  "{_line(e["note"], 80)}"'
    return line


def cmd_log(args: argparse.Namespace, engine: Engine) -> int:
    """Print the audit log, newest first, as lines or JSON."""
    from factcheck import store

    target = "claim" if args.claim is not None else "flag" if args.flag is not None else None
    target_id = args.claim if args.claim is not None else args.flag
    rows = store.history(engine, target, target_id, args.limit)
    if args.json:
        print(json_text(rows))
    elif not rows:
        print("No decisions yet." if target is None else f"No decisions on {target} {target_id}.")
    else:
        for row in rows:
            print(_log_line(row))
    return 0


def cmd_backup(args: argparse.Namespace, engine: Engine) -> int:
    """Write every table to one file ('-' or /dev/stdout: standard output, and the summary to stderr)."""
    from factcheck.backup import backup
    from factcheck.safe_write import writes_to_stdout

    report = backup(engine, args.file)
    print(f"wrote {args.file}: {report.summary()}, {report.bytes:,} bytes",
          file=sys.stderr if writes_to_stdout(args.file) else sys.stdout)
    return 0


def cmd_restore(args: argparse.Namespace, engine: Engine) -> int:
    """Restore a backup file (checked in full first; '-' or a pipe is read once) into an empty database, or
    replace everything with --force."""
    from factcheck.backup import restore

    report = restore(engine, args.file, force=args.force)
    print(f"restored {args.file}: {report.summary()}")
    return 0


def _web_address(text: str) -> str:
    """An --base-url value: an http or https address (argparse reports anything else)."""
    if text.strip().lower().startswith(("http://", "https://")) and "://" in text and text.split("://", 1)[1].strip():
        return text.strip()
    raise ValueError(text)


def _split(values: list[str] | None) -> tuple[str, ...]:
    """'a,b' and repeated options as one tuple."""
    return tuple(v.strip() for raw in values or [] for v in raw.split(",") if v.strip())


def cmd_export(args: argparse.Namespace, engine: Engine) -> int:
    """Write the appendix or a data format to a file or standard output."""
    from factcheck.export import export_chunks
    from factcheck.export.data import ExportFilter
    from factcheck.safe_write import OutputError, write_chunks

    statuses, kinds = (tuple(_word(w) for w in _split(v)) for v in (args.status, args.kind))  # any case
    bad = [s for s in statuses if s not in (*CLAIM_STATUSES, *FLAG_STATUSES, "all")]
    bad += [k for k in kinds if k not in CLAIM_KINDS]
    if bad:
        print(f"error: unknown status or kind: {', '.join(bad)} (statuses: {', '.join(CLAIM_STATUSES)}, "
              f"{', '.join(FLAG_STATUSES)}, all; kinds: {', '.join(CLAIM_KINDS)})", file=sys.stderr)
        return 2
    chunks = export_chunks(engine, args.format,
                           ExportFilter(statuses, kinds, args.source, args.group_by, args.base_url))
    try:  # written as it comes: a regular file via a private temporary file, '-' and devices straight through
        out = write_chunks(args.output or "-", chunks)
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        chunks.close()
    if args.output and args.output != "-":
        print(f"wrote {args.output} ({args.format}, {out.bytes:,} bytes)", file=sys.stderr)
    return 0


def cmd_review(args: argparse.Namespace, engine: Engine) -> int:
    """Open the review TUI on the database."""
    from factcheck.db import display_url, resolve_url
    from factcheck.decisions import reviewer_name
    from factcheck.review.app import run

    if not sys.stdin.isatty() or not sys.stdout.isatty():
        print("error: factcheck review needs a terminal (for scripts: verdict, resolve, claims, flags)",
              file=sys.stderr)
        return 2
    url = resolve_url(getattr(args, "db", None))
    run(engine, reviewer_name(args.reviewer), display_url(url))
    return 0


def cmd_db(args: argparse.Namespace, engine: Engine | None) -> int:
    """Show the schema revision of the database, or bring it to the newest revision."""
    from factcheck.db import current_revision, display_url, head_revision, sqlite_file, upgrade

    if engine is None:  # `db current` on a SQLite path with no file (main): nothing to look at, nothing made
        print(f"revision (none), newest {head_revision()}: no database at {sqlite_file(getattr(args, 'db', None))} yet")
        return 0
    if args.action == "upgrade":
        try:
            done = upgrade(engine)
        except ValueError as exc:  # a schema newer than this factcheck
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"{display_url(engine.url.render_as_string(hide_password=False))}: {done}")
    head = head_revision()
    with engine.connect() as conn:
        current = current_revision(conn)
    from factcheck.db import known_revision

    state = ("up to date" if current == head else "not migrated yet" if not current
             else "will be upgraded when opened" if known_revision(current)
             else "newer than this factcheck knows: every command refuses it; upgrade factcheck")
    print(f"revision {current or '(none)'}, newest {head}: {state}")
    return 0


COMMANDS = {"export": cmd_export, "review": cmd_review, "ingest": cmd_ingest, "sources": cmd_sources,
            "claims": cmd_claims, "flags": cmd_flags, "show": cmd_show,
            "match": cmd_match, "verdict": cmd_verdict, "resolve": cmd_resolve, "log": cmd_log,
            "backup": cmd_backup, "restore": cmd_restore, "db": cmd_db}


# Commands that only read: a SQLite file they cannot write (read-only mount or folder) is opened read-only.
READS_ONLY = {"sources", "claims", "flags", "show", "log", "export", "backup"}
# Commands that write into what is stored: a damaged SQLite file is refused before they start.
WRITES_CHECKED = {"ingest", "match", "verdict", "resolve"}
# Commands that only read, or change what is there: on a SQLite path with no file they say so and make none.
NEEDS_DATABASE = {"sources", "claims", "flags", "show", "log", "export", "match", "verdict", "resolve"}


def _missing_database(args: argparse.Namespace) -> str | None:
    """Why the command cannot run when it needs a database and the SQLite file is not there (else None)."""
    from factcheck.db import sqlite_file

    path = sqlite_file(getattr(args, "db", None))
    if path is None or path.exists():
        return None
    return f"no database at {path} (nothing ingested there yet; run: factcheck ingest PATH..., or pass --db)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    refused = _refused_paths(args) if args.command == "ingest" else None
    if refused:
        print(refused, file=sys.stderr)
        return 1
    from factcheck.db import damaged, make_engine, remove_sqlite_files, sqlite_file

    created = None  # a SQLite file this run makes for restore: removed again if the restore fails
    try:
        missing = _missing_database(args) if args.command in NEEDS_DATABASE | {"db", "restore"} else None
        if missing and args.command in NEEDS_DATABASE:
            print(f"error: {missing}", file=sys.stderr)
            return 1
        if missing and args.command == "db" and args.action == "current":
            return cmd_db(args, None)
        if missing and args.command == "restore":
            created = sqlite_file(getattr(args, "db", None))
        engine = make_engine(getattr(args, "db", None), migrate=args.command != "db",
                             read_only=args.command in READS_ONLY
                             or (args.command == "db" and args.action == "current"))
    except Exception as exc:  # bad URL, unreachable server, unwritable path: one clear line
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:400]  # the driver's words, on one line
        if "malformed" in reason or "not a database" in reason:
            reason = (f"the database file is damaged ({reason}); restore a backup or repair a copy with "
                      "sqlite3's .recover")
        print(f"error: cannot open database: {reason}", file=sys.stderr)
        if created is not None:
            remove_sqlite_files(created)
        return 2
    status = 1
    try:
        why = damaged(engine) if args.command in WRITES_CHECKED else None
        if why:
            print(f"error: the database file is damaged (quick_check: {why}); nothing written. Restore a backup "
                  f"(factcheck restore FILE --force) or repair a copy with sqlite3's .recover", file=sys.stderr)
            return 2
        status = _run(args, engine)
        return status
    finally:
        if created is not None and status != 0:
            engine.dispose()
            remove_sqlite_files(created)


def _run(args: argparse.Namespace, engine: Engine) -> int:
    """Run one command, turning the errors a user can meet into one line and an exit status."""
    from sqlalchemy.exc import SQLAlchemyError

    from factcheck import decisions
    from factcheck.backup import BackupError

    try:
        return COMMANDS[args.command](args, engine)
    except decisions.StaleVersion as exc:  # changed meanwhile: say what it is now and how to decide again
        seen, expected = exc.current["version"], getattr(args, "expect_version", None)
        was = f", not {expected} as expected" if expected is not None and expected != seen else ""
        print(f"error: {exc} (version {seen}{was}; to decide again: --expect-version {seen})", file=sys.stderr)
        return 1
    except (decisions.DecisionError, BackupError) as exc:  # unknown id, not a member, damaged backup
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; documents already stored are kept", file=sys.stderr)
        return 130
    except SQLAlchemyError as exc:  # e.g. a database made by an older version, or a lost server
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        print(f"error: database: {first}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
