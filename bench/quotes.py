"""Quote extraction quality: span F1 and speaker accuracy on the annotated passages, beside a bare regex.

Prints figures; asserts nothing. Run: .venv/bin/python bench/quotes.py [--misses]
A predicted quote matches a gold one when their overlap covers at least half of both spans.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from quote_scoring import bare_regex_predict, factcheck_predict, score  # noqa: E402


def main(argv: list[str]) -> int:
    """Score both predictors and print one line each (and the misses with --misses)."""
    for name, predict in (("factcheck", factcheck_predict), ("bare regex", bare_regex_predict)):
        sc = score(predict)
        print(f"{name:11} quotes P {sc.precision:.2f} R {sc.recall:.2f} F1 {sc.f1:.2f}   "
              f"speaker {sc.speaker_accuracy:.2f} ({sc.speaker_right}/{sc.speaker_total})   "
              f"reported found {sc.reported_found}/{sc.reported_gold} (speaker right {sc.reported_speaker_right})   "
              f"turns {sc.turns_right}/{sc.turns_gold}   scare quotes/titles taken as quotes {sc.false_quotes}")
        if "--misses" in argv and name == "factcheck":
            for miss in sc.misses:
                print("   ", miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
