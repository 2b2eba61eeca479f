"""Pairing list items: the order kept (a longest increasing subsequence, so only the truly
moved items are reported), renames by content, checklists item by item."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from procflow.diff import match as matching
from procflow.diff.match import kept_in_order, keyed, match, pair_texts, words


def longest_increasing(values: list[int]) -> int:
    """Quadratic reference."""
    best = [1] * len(values)
    for i in range(len(values)):
        for j in range(i):
            if values[j] < values[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


@given(st.permutations(list(range(12))))
def test_kept_in_order_is_a_longest_increasing_subsequence(order: list[int]) -> None:
    kept = sorted(kept_in_order(order))
    values = [order[i] for i in kept]
    assert values == sorted(values)
    assert len(kept) == longest_increasing(order)


def test_one_step_moved_far_is_the_only_move() -> None:
    order = list(range(1, 1000)) + [0]  # the first step moved to the end
    assert set(range(1000)) - kept_in_order(order) == {999}


def test_match_pairs_by_id_then_renames_by_content() -> None:
    old = {"a": "check the order status now", "b": "call the customer back", "c": "x y z"}
    new = {"a": "check the order status now", "b2": "call the customer back today", "d": "q r"}
    found = match(old, new, words)
    assert found.pairs == {"a": "a", "b": "b2"}
    assert found.renamed == {"b": 0.89}
    assert (found.removed, found.added) == (["c"], ["d"])


def test_many_leftovers_are_renamed_only_on_identical_content(monkeypatch) -> None:
    monkeypatch.setattr(matching, "MAX_RENAME_PAIRS", 3)
    old = {"a": "one two", "b": "three four", "c": "five six"}
    new = {"x": "three four", "y": "one two three", "z": "seven"}
    found = match(old, new, lambda text: Counter(text.split()))
    assert found.pairs == {"b": "x"} and found.renamed == {"b": 1.0}


def test_repeated_ids_stay_apart() -> None:
    assert list(keyed(["a", "b", "a", "a"], lambda item: item)) == ["a", "b", "a#2", "a#3"]


def test_checklist_items_paired_one_by_one_in_any_order() -> None:
    old = ["Kategoria nadana", "Priorytet nadany", "Klient poinformowany"]
    new = ["Klient poinformowany", "Kategoria i podkategoria nadana", "Numer zapisany"]
    assert pair_texts(old, new) == ([(0, 1)], [1], [2])
