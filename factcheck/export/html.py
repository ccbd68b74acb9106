"""The citations appendix as one self-contained HTML file: inline CSS, readable printed, all text escaped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from factcheck import __version__
from factcheck.export.appendix import (
    FLAG_STATES,
    FLAG_TITLES,
    VERDICTS,
    contradictions,
    excerpt_pieces,
    explanation,
    flag_timeline,
    group_claims,
    heading_subject,
    member_value,
    quote_marks,
    resolution,
    reviewers,
    verdict_counts,
    with_numbers,
)
from factcheck.export.citations import reference_parts, web_url
from factcheck.export.data import CitedSource, ExportClaim, ExportData, ExportFlag, location_label
from factcheck.export.timeline_svg import timeline_svg
from factcheck.labels import reader_value
from factcheck.vocabulary import FlagType

CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --mark: #fff1a8; --ok: #1e7b34; --bad: #b3261e;
        --warn: #8a5a00; }
* { box-sizing: border-box; }
body { font: 15px/1.5 Georgia, "Times New Roman", serif; color: var(--ink); max-width: 60rem; margin: 2rem auto;
       padding: 0 1.25rem; }
h1, h2, h3 { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.25; }
h1 { font-size: 1.7rem; margin-bottom: .25rem; } h2 { border-bottom: 2px solid var(--ink); padding-bottom: .2rem;
margin-top: 2.5rem; } h3 { font-size: 1.05rem; margin-top: 1.75rem; }
.meta, .where, .muted { color: var(--muted); font-size: .88rem; }
ol.refs li { margin: .35rem 0; } ol.refs .path, code { font-family: ui-monospace, Menlo, monospace; font-size: .8rem;
color: var(--muted); }
.claim { border-left: 3px solid var(--line); padding: .35rem 0 .35rem .9rem; margin: .9rem 0; break-inside: avoid; }
.claim blockquote, .stmt blockquote { margin: 0 0 .3rem; font-style: normal; }
mark { background: var(--mark); padding: 0 .1em; font-weight: bold; }
.verdict { font-family: system-ui, sans-serif; font-weight: 700; font-size: .8rem; text-transform: uppercase;
           letter-spacing: .04em; border: 1px solid currentColor; border-radius: 3px; padding: 0 .35em; }
.v-supported, .v-confirmed { color: var(--ok); } .v-false, .v-disputed { color: var(--bad); }
.v-unverifiable, .v-open { color: var(--warn); } .v-not_a_claim, .v-dismissed, .v-unreviewed { color: var(--muted); }
.note { margin: .25rem 0 0; font-style: italic; }
.flag { border: 1px solid var(--line); border-radius: 6px; padding: .6rem 1rem 1rem; margin: 1.2rem 0;
        break-inside: avoid; }
.stmts { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: .75rem; margin-top: .6rem; }
.stmt { border: 1px solid var(--line); border-radius: 4px; padding: .5rem .7rem; }
.stmt.right { border: 2px solid var(--ok); }
.stmt .states { font-family: system-ui, sans-serif; font-weight: 600; }
.timeline { margin: .8rem 0 .4rem; } .timeline svg { display: block; width: 100%; max-width: 420px; height: auto; }
del { color: var(--bad); } ins { color: var(--ok); font-weight: bold; text-decoration: underline; }
@media print { body { margin: 0; max-width: none; font-size: 10.5pt; } a { color: inherit; text-decoration: none; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .8em; } h2 { break-after: avoid; }
  .flag, .claim { break-inside: avoid; } }
"""


def _reference(src: CitedSource) -> str:
    """One reference entry: title in italics, URL as a link, file path in monospace."""
    out = []
    for text, style in reference_parts(src):
        if style == "title":
            out.append(f"<cite>{escape(text)}</cite>")
        elif style == "url":
            safe = web_url(text) is not None  # reference_parts gives only web URLs; checked again here
            out.append(f'<a href="{escape(text)}">{escape(text)}</a>' if safe else escape(text))
        elif style == "path":
            out.append(f'<span class="path">{escape(text)}</span>')
        else:
            out.append(escape(text))
    return "".join(out).strip()


def _excerpt(c: ExportClaim) -> str:
    """The excerpt in quotation marks with the claim marked."""
    before, mid, after = excerpt_pieces(c)
    opening, closing = quote_marks(c)
    return f"<blockquote>{opening}{escape(before)}<mark>{escape(mid)}</mark>{escape(after)}{closing}</blockquote>"


def _verdict(status: str, words: Mapping[str, str]) -> str:
    """A verdict badge: the word carries the meaning, colour only helps."""
    return f'<span class="verdict v-{escape(status)}">{escape(words.get(status, status))}</span>'


def _claim(c: ExportClaim) -> str:
    """One claim: excerpt, verdict, value, speaker, location, reviewer and note."""
    facts = [_verdict(c["status"], VERDICTS)]
    if value := reader_value(c):
        facts.append(f"value: <b>{escape(value)}</b>")
    if speaker := c.get("speaker"):
        facts.append(f"speaker: <b>{escape(speaker)}</b>")
    facts.append(escape(c["kind"]))
    where = (f'<a href="#src-{c["source_number"]}">[{c["source_number"]}]</a>, {escape(location_label(c))}'
             f" · claim {c['id']}")
    if reviewer := c.get("reviewer"):
        where += f" · reviewed by {escape(reviewer)} {escape((c.get('decided_at') or '')[:10])}"
    note = f'<p class="note">Note: {escape(text)}</p>' if (text := c.get("note")) else ""
    return (f'<div class="claim" id="claim-{c["id"]}">{_excerpt(c)}<div class="meta">{" · ".join(facts)}</div>'
            f'<div class="where">{where}</div>{note}</div>')


def _diff(diff: Iterable[Sequence[Any]]) -> str:
    """A word diff with <del> and <ins> (struck and underlined, not only coloured)."""
    out = []
    for op, a, b in diff:
        if op == "equal":
            out.append(escape(a))
        else:
            if a:
                out.append(f"<del>{escape(a)}</del>")
            if b:
                out.append(f"<ins>{escape(b)}</ins>")
    return " ".join(x for x in out if x)


def _flag(f: ExportFlag, n: int, data: ExportData) -> str:
    """A contradiction with its resolution, why it was raised, its statements side by side and (dates) a
    timeline."""
    settled = resolution(f)
    subject, _ = heading_subject(f)
    by = (f" by {escape(reviewer)}, {escape((f.get('decided_at') or '')[:10])}" if (reviewer := f.get("reviewer"))
          else "")
    parts = [f'<section class="flag" id="flag-{f["id"]}">',
             f"<h3>{n}. {escape(FLAG_TITLES.get(f['type'], f['type']))}: {escape(subject)}</h3>",
             f"<p>{escape(with_numbers(f['summary'] or '', f))}</p>",
             f'<p><b>Resolution:</b> {_verdict(f["status"], FLAG_STATES)}{by}'
             + (f". {escape(settled.sentence)}" if settled.sentence else "") + "</p>"]
    if note := f.get("note"):
        parts.append(f'<p class="note">Note: {escape(note)}</p>')
    if why := explanation(f):
        parts.append(f'<p class="muted">{escape(why)}</p>')
    if f["details"].get("diff"):
        parts.append(f"<p>Wording: {_diff(f['details']['diff'])}</p>")
    if (tl := flag_timeline(f, data)) is not None:
        parts.append(f'<figure class="timeline">{timeline_svg(tl)}<figcaption class="muted">Each row is one '
                     "source: ● the date it gives for the event (✖ where it differs), ▲ the page's own date."
                     "</figcaption></figure>")
    parts.append('<div class="stmts">')
    kind = f["type"]
    for i, m in enumerate(f["members"], 1):
        right = m["id"] == settled.right_id
        parts.append(f'<div class="stmt{" right" if right else ""}"><div class="muted">{i} · '
                     f'<a href="#src-{m["source_number"]}">[{m["source_number"]}]</a> · '
                     f'{escape(location_label(m))} · {_verdict(m["status"], VERDICTS)}'
                     f'{" · <b>✔ marked right</b>" if right else ""}</div>'
                     f'{_excerpt(m)}' + ("" if kind == FlagType.QUOTE_VARIANT else
                                         f'<div class="states">{escape(member_value(m, kind))}</div>') + "</div>")
    parts.append("</div></section>")
    return "".join(parts)


def render(data: ExportData) -> str:
    """The whole appendix as one HTML document."""
    who = reviewers(data)
    body = [f"<h1>Citations appendix</h1><p class=\"meta\">Generated {data.generated_at:%d %B %Y %H:%M} UTC by "
            f"factcheck {escape(__version__)}. {len(data.claims)} of {data.total_claims} claims "
            f"({escape(data.filters.describe())}): {escape(verdict_counts(data))}."
            + (f" Reviewers: {escape(', '.join(who))}." if who else "") + "</p>",
            "<h2>Sources</h2>"]
    if data.sources:
        body.append('<ol class="refs">' + "".join(f'<li id="src-{s["number"]}" value="{s["number"]}">'
                                                  f"{_reference(s)}</li>" for s in data.sources) + "</ol>")
    else:
        body.append("<p>No sources are cited by the selected claims and findings.</p>")
    body.append("<h2>Claims</h2>")
    if not data.claims:
        body.append("<p>No claims match (by default only reviewed claims are listed; "
                    "<code>--status all</code> lists every claim).</p>")
    for title, claims in group_claims(data):
        body.append(f"<h3>{escape(title)}</h3>" + "".join(_claim(c) for c in claims))
    body.append("<h2>Contradictions and checks</h2>")
    flags = contradictions(data)
    if not flags:
        body.append("<p>No conflicting values, reworded quotes or arithmetic problems were found.</p>")
    body.extend(_flag(f, n, data) for n, f in enumerate(flags, 1))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Citations appendix</title><style>{CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
