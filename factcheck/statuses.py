"""The statuses a reviewer gives claims and flags (no imports: the command line's parser reads them)."""

from __future__ import annotations

CLAIM_STATUSES = ("unreviewed", "supported", "disputed", "false", "unverifiable", "not_a_claim")
FLAG_STATUSES = ("open", "confirmed", "dismissed")
