"""Build a compact regex from a word list: shared prefixes factored out, so scanning fails fast."""

from __future__ import annotations

import re
from collections.abc import Iterable

_Trie = dict[str, "_Trie"]  # one node: next character -> child node; "" marks a word's end


def trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation equivalent to the words ("said|says" -> "sa(?:id|ys)"), longest-first where needed."""
    trie: _Trie = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(trie)


def _emit(node: _Trie) -> str:
    """Regex for one trie node."""
    end = "" in node
    branches = [re.escape(ch) + _emit(child) for ch, child in sorted(node.items()) if ch != ""]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:
        return f"(?:{body})?"
    return body


def word_start_pattern(words: set[str] | frozenset[str] | list[str]) -> str:
    """Like rf"\b{trie_pattern(words)}" for words that start with a letter or digit, with the word-boundary check
    written after the first character: the regex then starts with a literal, so a scan skips to the positions
    holding one of the words' first characters (fast when they are few, e.g. capitals)."""
    trie: _Trie = {}
    for w in words:
        if not w or not re.match(r"\w", w[0]):
            raise ValueError(f"word_start_pattern needs words starting with a word character: {w!r}")
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    branches = [re.escape(ch) + r"(?<!\w.)" + _emit(child) for ch, child in sorted(trie.items())]
    return "(?:" + "|".join(branches) + ")"
