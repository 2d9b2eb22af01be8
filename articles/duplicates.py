"""Find tags that are probably the same subject under different spellings.

Two rules, both cheap on tens of thousands of tags (no pairwise comparison):

- the same *folded* name: case, diacritics, punctuation, hyphens and spaces ignored
  ("Kim Jong Un", "Kim Jong-un", "kim  jong un");
- a close spelling: folded names of at least ``MIN_FUZZY_LENGTH`` characters that
  become equal once one character is dropped from each (one typo, a missing or
  extra letter, or swapped neighbours: "Zelensky", "Zelenskyy", "Zelenksy").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable

from .text import fold_name

MIN_FUZZY_LENGTH = 6


class _Groups:
    """Union-find over arbitrary keys."""

    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, item: Hashable) -> Hashable:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: Hashable, b: Hashable) -> None:
        self.parent[self.find(a)] = self.find(b)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))} | {word}


def duplicate_groups(names: Iterable[tuple[Hashable, str]]) -> list[list[Hashable]]:
    """Group ids whose names look like one subject; return groups of two or more ids.

    ``names`` yields ``(id, name)`` pairs. Groups keep the input order inside and
    come out in the order of their first member.
    """
    by_fold: dict[str, list[Hashable]] = defaultdict(list)
    order: list[Hashable] = []
    for pk, name in names:
        folded = fold_name(name)
        if folded:
            by_fold[folded].append(pk)
            order.append(pk)
    groups = _Groups()
    for members in by_fold.values():
        for pk in members[1:]:
            groups.union(pk, members[0])
    by_variant: dict[str, str] = {}
    for folded, members in by_fold.items():
        if len(folded) < MIN_FUZZY_LENGTH:
            continue
        for variant in _deletions(folded):
            other = by_variant.setdefault(variant, folded)
            if other != folded:
                groups.union(members[0], by_fold[other][0])
    collected: dict[Hashable, list[Hashable]] = defaultdict(list)
    for pk in order:
        collected[groups.find(pk)].append(pk)
    return [members for members in collected.values() if len(members) > 1]
