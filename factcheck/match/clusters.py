"""Union-find: pairwise links become groups, so N statements of one fact make one flag, not N² flags."""

from __future__ import annotations

from collections import defaultdict


def clusters(n: int, links: list[tuple[int, int, float]]) -> list[tuple[list[int], float]]:
    """Groups of linked indices (each sorted) with the best link score inside each group."""
    parent = list(range(n))

    def find(x: int) -> int:
        """Root of x, halving the path as it goes."""
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ in links:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[ri] = rj
    members: dict[int, set[int]] = defaultdict(set)
    best: dict[int, float] = defaultdict(float)
    for i, j, s in links:
        root = find(i)
        members[root] |= {i, j}
        best[root] = max(best[root], s)
    return [(sorted(m), best[r]) for r, m in members.items()]
