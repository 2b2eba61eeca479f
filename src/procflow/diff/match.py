"""Pairing the items of two lists: by id, then renamed items by content, then the items that
kept their order (a longest increasing subsequence, so only truly moved items are reported).

Everything here is near-linear: ids through dicts, order through a Fenwick tree
(O(n log n)); the similarity search for renames is bounded (``MAX_RENAME_PAIRS``) and falls
back to exact-content pairing beyond it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

#: items at least this similar (0..1) count as renamed rather than removed + added
RENAME_THRESHOLD = 0.6
#: above this many (removed x added) candidate pairs only identical content is paired
MAX_RENAME_PAIRS = 40_000


def keyed(items: Sequence[T], key: Callable[[T], str]) -> dict[str, T]:
    """Items by id, in list order; a repeated id (rule PF004) gets ``#2``, ``#3``..."""
    out: dict[str, T] = {}
    for item in items:
        name = key(item)
        if name in out:
            count = 2
            while f"{name}#{count}" in out:
                count += 1
            name = f"{name}#{count}"
        out[name] = item
    return out


@dataclass
class Matching:
    """How the items of an old and a new list correspond, by their ids."""

    #: old id -> new id for every item present on both sides (same id or renamed)
    pairs: dict[str, str] = field(default_factory=dict)
    #: old id -> similarity for the renamed ones (a subset of ``pairs``)
    renamed: dict[str, float] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


def match(old: dict[str, T], new: dict[str, T], tokens: Callable[[T], Counter[str]],
          threshold: float = RENAME_THRESHOLD) -> Matching:
    """Pair by id; pair the leftovers whose content is the same or nearly the same."""
    result = Matching({key: key for key in old if key in new})
    gone = [key for key in old if key not in new]
    fresh = [key for key in new if key not in old]
    if gone and fresh:
        for old_key, new_key, score in _renames(old, new, gone, fresh, tokens, threshold):
            result.pairs[old_key] = new_key
            result.renamed[old_key] = score
    taken = set(result.pairs.values())
    result.removed = [key for key in gone if key not in result.pairs]
    result.added = [key for key in fresh if key not in taken]
    return result


def _renames(old: dict[str, T], new: dict[str, T], gone: list[str], fresh: list[str],
             tokens: Callable[[T], Counter[str]], threshold: float,
             score: Callable[[Counter[str], Counter[str]], float] | None = None
             ) -> list[tuple[str, str, float]]:
    old_tokens = {key: tokens(old[key]) for key in gone}
    new_tokens = {key: tokens(new[key]) for key in fresh}
    if len(gone) * len(fresh) > MAX_RENAME_PAIRS:
        by_content: dict[frozenset[tuple[str, int]], list[str]] = {}
        for key in fresh:
            by_content.setdefault(frozenset(new_tokens[key].items()), []).append(key)
        found = []
        for key in gone:
            same = by_content.get(frozenset(old_tokens[key].items()))
            if same:
                found.append((key, same.pop(0), 1.0))
        return found
    score = score or similarity
    scored = sorted((-score(old_tokens[a], new_tokens[b]), i, j)
                    for i, a in enumerate(gone) for j, b in enumerate(fresh))
    used_old: set[str] = set()
    used_new: set[str] = set()
    found = []
    for negative, i, j in scored:
        value, a, b = -negative, gone[i], fresh[j]
        if value < threshold:
            break
        if a not in used_old and b not in used_new:
            used_old.add(a)
            used_new.add(b)
            found.append((a, b, round(value, 2)))
    return found


def similarity(a: Counter[str], b: Counter[str]) -> float:
    """Dice coefficient of two token multisets: 1.0 for the same content, 0.0 for nothing
    in common."""
    total = sum(a.values()) + sum(b.values())
    if not total:
        return 1.0
    return 2 * sum((a & b).values()) / total


def kept_in_order(positions: Sequence[int], weights: Sequence[int] | None = None) -> set[int]:
    """Indexes into ``positions`` (distinct) of a longest increasing subsequence: the items
    that kept their relative order; the others moved. Among the longest, the one with the
    largest sum of ``weights``: with weights that do not depend on the direction of the
    diff, ``diff B A`` reports the same items moved as ``diff A B`` (a swap of two steps moves
    the same one both ways). A Fenwick tree of prefix maxima: O(n log n)."""
    size = max(positions, default=-1) + 2
    tree: list[tuple[int, int, int]] = [(0, 0, -1)] * (size + 1)  # (length, weight, index)
    parent = [-1] * len(positions)
    best: tuple[int, int, int] = (0, 0, -1)
    for i, value in enumerate(positions):
        found: tuple[int, int, int] = (0, 0, -1)
        k = value + 1  # the best run ending below ``value``: prefix maximum up to value
        while k > 0:
            found = max(found, tree[k])
            k -= k & -k
        here = (found[0] + 1, found[1] + (weights[i] if weights else 0), i)
        parent[i] = found[2]
        best = max(best, here)
        k = value + 2
        while k <= size:
            tree[k] = max(tree[k], here)
            k += k & -k
    kept: set[int] = set()
    i = best[2]
    while i != -1:
        kept.add(i)
        i = parent[i]
    return kept


def pair_texts(old: Sequence[str], new: Sequence[str], threshold: float = RENAME_THRESHOLD
               ) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair the entries of two text lists (checklists) item by item, order ignored:
    equal texts first, then the most similar leftovers. Returns (changed pairs of old and new
    index, removed old indexes, added new indexes); equal pairs are not returned."""
    waiting: dict[str, list[int]] = {}
    for j, text in enumerate(new):
        waiting.setdefault(text, []).append(j)
    gone = []
    for i, text in enumerate(old):
        if waiting.get(text):
            waiting[text].pop(0)
        else:
            gone.append(i)
    fresh = sorted(j for indexes in waiting.values() for j in indexes)
    old_items = {str(i): old[i] for i in gone}
    new_items = {str(j): new[j] for j in fresh}
    found = _renames(old_items, new_items, list(old_items), list(new_items), words, threshold,
                     text_similarity)
    changed = sorted((int(a), int(b)) for a, b, _ in found)
    paired_old = {i for i, _ in changed}
    paired_new = {j for _, j in changed}
    return (changed, [i for i in gone if i not in paired_old],
            [j for j in fresh if j not in paired_new])


def text_similarity(a: Counter[str], b: Counter[str]) -> float:
    """How alike two short texts are: their Dice coefficient, or, when every word of the
    shorter one is kept in the longer one ("Priority" -> "Priority (urgent / normal)"), the
    share of words kept. An edited wording scores high; two different items score low."""
    shorter = min(sum(a.values()), sum(b.values()))
    kept = sum((a & b).values())
    return max(similarity(a, b), kept / shorter if shorter else 0.0)


def words(text: str) -> Counter[str]:
    """The words of a text, lower-cased, without the punctuation around them."""
    found = (word.strip(".,;:!?()[]{}\"'/-–—") for word in text.lower().split())
    return Counter(word for word in found if word)
