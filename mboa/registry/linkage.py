"""Record linkage in memory, with the registry's matcher: for lists that are not (yet) in
the registry (``match_records``, the benchmark). Same keys, same scores as the database
path in :mod:`mboa.registry.matching`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from . import identity


class KeyIndex:
    """Blocking keys → positions of the profiles filed under them."""

    def __init__(self, profiles: Sequence[identity.Profile], *, min_weight: int = 3, max_block: int = 200) -> None:
        self.profiles = profiles
        self.min_weight = min_weight
        self.max_block = max_block
        self.keys = [identity.blocking_keys(p) for p in profiles]
        self.index: dict[int, list[int]] = {}
        for position, keys in enumerate(self.keys):
            for key in keys:
                self.index.setdefault(key, []).append(position)

    def shortlist(
        self, keys: dict[int, int], *, limit: int, after: int | None = None, includes_self: bool = False
    ) -> tuple[list[int], dict[int, int]]:
        """Positions sharing keys with ``keys``, best ranked first (only positions >
        ``after``), and the name-block sizes for the frequency adjustment."""
        ranks, counts = identity.rank_shared_keys(keys, self.index, after=after, includes_self=includes_self,
                                                  max_block=self.max_block)
        return sorted((p for p, rank in ranks.items() if rank >= self.min_weight),
                      key=lambda p: (-ranks[p], p))[:limit], counts


def link(
    left: Sequence[identity.Profile],
    right: Sequence[identity.Profile] | None = None,
    *,
    threshold: float,
    scored: int = 40,
    min_weight: int = 3,
    max_block: int = 200,
) -> Iterator[tuple[int, int, float]]:
    """Yield ``(left position, right position, score)`` for pairs scoring >= threshold.

    Without ``right``, finds duplicates within ``left`` (each pair once, i < j).
    """
    if right is None:
        index = KeyIndex(left, min_weight=min_weight, max_block=max_block)
        for i, profile in enumerate(left):
            shortlist, counts = index.shortlist(index.keys[i], limit=scored, after=i, includes_self=True)
            for j in shortlist:
                result = identity.compare(profile, left[j], name_count=counts.get(j), min_score=threshold)
                if result is not None:
                    yield i, j, result[0]
        return
    index = KeyIndex(right, min_weight=min_weight, max_block=max_block)
    for i, profile in enumerate(left):
        shortlist, counts = index.shortlist(identity.blocking_keys(profile), limit=scored)
        for j in shortlist:
            result = identity.compare(profile, right[j], name_count=counts.get(j), min_score=threshold)
            if result is not None:
                yield i, j, result[0]
