"""Record tables' data, Qt-free: items by id with numpy columns for sorting, filtering and
roll-ups, folded in from the changed rows only (the incident queue and the HQ tables).

A panel keeps one `RecordIndex` on the database worker. Each load or update hands the GUI
thread a `RecordSnapshot`: ids, items and columns that are never changed afterwards (an update
makes new arrays), so a `RecordQuery` filters and sorts it with numpy while the worker already
folds in the next changes: on the GUI thread for a national set (~15,000 rows, a millisecond or
two), on the worker for the incident queue (100,000 incidents)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np

T = TypeVar("T")

# Past this share of the index changed at once, building the columns afresh is as cheap as folding.
REBUILD_SHARE = 0.25


@dataclass(frozen=True)
class RecordSchema(Generic[T]):
    """The columns an index keeps of its items: numbers (float64; NaN for "none") and texts
    (kept as ranks of their sorted distinct values, so they sort and group as integers)."""

    numbers: Mapping[str, Callable[[T], float]] = field(default_factory=dict)
    texts: Mapping[str, Callable[[T], str]] = field(default_factory=dict)
    search: Callable[[T], str] | None = None  # lower-case text for free-text filters


class RecordSnapshot(Generic[T]):
    """One state of an index, as the GUI thread shows it. Position k (0..n-1) is one record in
    every array. Never mutated: updates build new snapshots."""

    __slots__ = ("_lookup", "changed", "generation", "ids", "items", "numbers", "position", "ranks",
                 "search", "values")

    def __init__(self, ids: np.ndarray, items: Sequence[T], position: Mapping[str, int],
                 numbers: Mapping[str, np.ndarray], ranks: Mapping[str, np.ndarray],
                 values: Mapping[str, Sequence[str]], search: Sequence[str] | None,
                 changed: frozenset[str] | None, generation: int,
                 lookup: Mapping[str, Mapping[str, int]] | None = None) -> None:
        self.ids = ids  # object array: position -> id
        self.items = items
        self.position = position  # id -> position
        self.numbers = numbers
        self.ranks = ranks
        self.values = values  # per text column: rank -> value
        self.search = search
        # Ids whose item changed since the previous snapshot of the same index; None: any may have.
        self.changed = changed
        self.generation = generation
        self._lookup = lookup

    @classmethod
    def of(cls, items: Sequence[T], id_of: Callable[[T], str]) -> RecordSnapshot[T]:
        """A snapshot without columns over a short list (a roll-up of 18 offices), in its order."""
        ids = [id_of(i) for i in items]
        return cls(np.array(ids, dtype=object), list(items), {id: k for k, id in enumerate(ids)},
                   {}, {}, {}, None, None, 0)

    def __len__(self) -> int:
        return len(self.items)

    def item(self, id: str) -> T | None:
        k = self.position.get(id)
        return self.items[k] if k is not None else None

    def all(self) -> np.ndarray:
        return np.arange(len(self.items))

    def number(self, name: str) -> np.ndarray:
        return self.numbers[name]

    def rank(self, name: str) -> np.ndarray:
        """A text column as the rank of each value among the column's sorted distinct values."""
        return self.ranks[name]

    def rank_of(self, name: str, value: str) -> int:
        """The rank of `value` in text column `name`; -1 when no record has it."""
        if self._lookup is not None:
            return self._lookup[name].get(value, -1)
        values = self.values[name]
        k = int(np.searchsorted(np.array(values, dtype=object), value)) if values else 0
        return k if k < len(values) and values[k] == value else -1

    def matching(self, text: str, within: np.ndarray | None = None) -> np.ndarray | None:
        """A mask of the records whose search text holds every word of `text`; None: no words.
        With `within` (a mask), only those records are read: the cheap column filters first,
        then the Python-level text test over what they leave (100,000 texts take ~30 ms)."""
        words = text.lower().split()
        if not words or self.search is None:
            return None
        search = self.search
        if within is None:
            return np.fromiter((all(w in s for w in words) for s in search), dtype=bool, count=len(search))
        mask = np.zeros(len(search), dtype=bool)
        chosen = np.flatnonzero(within).tolist()
        mask[np.fromiter((k for k in chosen if all(w in search[k] for w in words)), dtype=np.int64)] = True
        return mask

    def positions_of(self, ids: Iterable[str]) -> np.ndarray:
        """The positions of those of `ids` this snapshot holds."""
        position = self.position
        return np.fromiter((k for k in map(position.get, ids) if k is not None), dtype=np.int64)

    def totals_by(self, name: str, weights: np.ndarray | None = None,
                  mask: np.ndarray | None = None) -> dict[str, float]:
        """Per value of text column `name` (values with no record left out): the count of
        records, or the sum of `weights`, among those in `mask`."""
        rank = self.ranks[name]
        if mask is not None:
            rank = rank[mask]
            weights = weights[mask] if weights is not None else None
        values = self.values[name]
        sums = np.bincount(rank, weights=weights, minlength=len(values))
        present = np.bincount(rank, minlength=len(values))
        return {values[int(r)]: float(sums[r]) for r in np.flatnonzero(present)}


SortKey = str | Callable[[RecordSnapshot[Any]], np.ndarray]  # a column by name, or computed
Filter = Callable[[RecordSnapshot[Any]], np.ndarray | None]  # a mask over positions; None: all
Order = Callable[[RecordSnapshot[Any], np.ndarray], np.ndarray]  # positions -> ordered positions


@dataclass(frozen=True)
class RecordQuery:
    """Which records a table shows, in which order: a filter, the table's own order, and a
    column's sort key over it (stable: ties keep the table's order). Its functions read only the
    snapshot they are given, so a query is evaluated on the GUI thread or on the worker alike."""

    filter: Filter | None = None
    order: Order | None = None
    sort_key: SortKey | None = None
    descending: bool = False

    def positions(self, snapshot: RecordSnapshot[Any]) -> np.ndarray:
        if not len(snapshot):  # nothing yet (the empty snapshot has no columns to read)
            return np.zeros(0, dtype=np.int64)
        mask = self.filter(snapshot) if self.filter is not None else None
        positions = snapshot.all() if mask is None else np.flatnonzero(mask)
        if self.order is not None:
            positions = self.order(snapshot, positions)
        if self.sort_key is not None and len(positions) > 1:
            key = self.sort_key
            if callable(key):
                values = key(snapshot)
            else:
                values = snapshot.number(key) if key in snapshot.numbers else snapshot.rank(key)
            values = values[positions]
            # Stable: ties keep the table's order (descending too: the key is negated).
            positions = positions[np.argsort(-values if self.descending else values, kind="stable")]
        return positions


class RecordRows:
    """A query's answer: the rows a table shows, as positions of one snapshot and their ids."""

    __slots__ = ("ids", "positions", "snapshot")

    def __init__(self, snapshot: RecordSnapshot[Any], positions: np.ndarray) -> None:
        self.snapshot = snapshot
        self.positions = positions
        self.ids: list[str] = snapshot.ids[positions].tolist() if len(positions) else []

    @classmethod
    def of(cls, snapshot: RecordSnapshot[Any], query: RecordQuery) -> RecordRows:
        return cls(snapshot, query.positions(snapshot))


def lexorder(positions: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """`positions` ordered by `keys` (arrays over all positions), primary key first; ties keep
    the order of `positions`."""
    if len(positions) < 2 or not keys:
        return positions
    return positions[np.lexsort(tuple(k[positions] for k in reversed(keys)))]


class RecordIndex(Generic[T]):
    """Items by id and their columns; lives on one worker thread. Copy-on-write: every change
    makes new arrays, so the snapshots already handed out stay as they were."""

    def __init__(self, schema: RecordSchema[T]) -> None:
        self.schema = schema
        self.generation = 0
        self._snapshot: RecordSnapshot[T] = self._build({}, None)

    def __len__(self) -> int:
        return len(self._snapshot)

    def snapshot(self) -> RecordSnapshot[T]:
        return self._snapshot

    def item(self, id: str) -> T | None:
        return self._snapshot.item(id)

    def items(self) -> Iterable[tuple[str, T]]:
        s = self._snapshot
        return zip(s.ids.tolist(), s.items, strict=True)

    # -- data in ----------------------------------------------------------------------------
    def replace(self, items: Mapping[str, T]) -> RecordSnapshot[T] | None:
        """Make `items` the whole content. Only what differs is folded in, unless that is much
        of the index. None when nothing changed."""
        current = self._snapshot
        changed: dict[str, T | None] = {id: None for id in current.position if id not in items}
        for id, item in items.items():
            k = current.position.get(id)
            if k is None or current.items[k] != item:
                changed[id] = item
        if not changed:
            return None
        if len(changed) > REBUILD_SHARE * max(1, len(current)):
            self._snapshot = self._build(dict(items), frozenset(changed) if len(current) else None)
            return self._snapshot
        return self.update(changed)

    def update(self, changed: Mapping[str, T | None]) -> RecordSnapshot[T] | None:
        """Fold in changed items (id -> item, or None when gone). None when nothing changed."""
        s = self._snapshot
        replaced: list[tuple[int, T]] = []
        added: dict[str, T] = {}
        removed: list[int] = []
        touched: set[str] = set()
        for id, item in changed.items():
            k = s.position.get(id)
            if item is None:
                if k is not None:
                    removed.append(k)
                    touched.add(id)
            elif k is None:
                added[id] = item
                touched.add(id)
            elif s.items[k] != item:
                replaced.append((k, item))
                touched.add(id)
        if not touched:
            return None
        schema = self.schema
        # Shallow copies: a column's values and lookup are replaced whole when re-ranked, never edited.
        lookup: dict[str, Mapping[str, int]] = dict(s._lookup) if s._lookup is not None else {}
        values: dict[str, Sequence[str]] = dict(s.values)
        ranks = dict(s.ranks)
        fresh = [item for _k, item in replaced] + list(added.values())
        for name, fn in schema.texts.items():
            new = {fn(item) for item in fresh} - lookup[name].keys()
            if new:  # a value not ranked yet: re-rank the column (vectorised)
                merged = sorted(lookup[name].keys() | new)
                to = {v: r for r, v in enumerate(merged)}
                remap = np.fromiter((to[v] for v in values[name]), dtype=np.int32, count=len(values[name]))
                ranks[name] = remap[ranks[name]] if len(ranks[name]) else ranks[name]
                values[name], lookup[name] = merged, to
        items = list(s.items)
        numbers = {name: a.copy() for name, a in s.numbers.items()}
        ranks = {name: a.copy() if a is s.ranks[name] else a for name, a in ranks.items()}
        search = list(s.search) if s.search is not None else None
        if replaced:
            ks = np.fromiter((k for k, _i in replaced), dtype=np.int64, count=len(replaced))
            for k, item in replaced:
                items[k] = item
            for name, number in schema.numbers.items():
                numbers[name][ks] = np.fromiter((number(i) for _k, i in replaced), dtype=np.float64,
                                                count=len(replaced))
            for name, fn in schema.texts.items():
                known = lookup[name]
                ranks[name][ks] = np.fromiter((known[fn(i)] for _k, i in replaced), dtype=np.int32,
                                              count=len(replaced))
            if search is not None and schema.search is not None:
                for k, item in replaced:
                    search[k] = schema.search(item)
        ids = s.ids
        position: Mapping[str, int] = s.position
        if added:
            new_items = list(added.values())
            n = len(new_items)
            start = len(items)
            items.extend(new_items)
            ids = np.concatenate([ids, np.array(list(added), dtype=object)])
            for name, number in schema.numbers.items():
                numbers[name] = np.concatenate([numbers[name], np.fromiter(
                    (number(i) for i in new_items), dtype=np.float64, count=n)])
            for name, fn in schema.texts.items():
                known = lookup[name]
                ranks[name] = np.concatenate([ranks[name], np.fromiter(
                    (known[fn(i)] for i in new_items), dtype=np.int32, count=n)])
            if search is not None and schema.search is not None:
                search.extend(schema.search(i) for i in new_items)
            position = dict(position)
            for k, id in enumerate(added, start):
                position[id] = k
        if removed:
            keep = np.ones(len(items), dtype=bool)
            keep[removed] = False
            ids = ids[keep]
            gone = set(removed)
            items = [item for k, item in enumerate(items) if k not in gone]
            numbers = {name: a[keep] for name, a in numbers.items()}
            ranks = {name: a[keep] for name, a in ranks.items()}
            if search is not None:
                search = [t for k, t in enumerate(search) if k not in gone]
            position = {id: k for k, id in enumerate(ids.tolist())}
        self.generation += 1
        self._snapshot = RecordSnapshot(ids, items, position, numbers, ranks, values, search,
                                        frozenset(touched), self.generation, lookup)
        return self._snapshot

    def _build(self, items: dict[str, T], changed: frozenset[str] | None) -> RecordSnapshot[T]:
        schema = self.schema
        ids = list(items)
        rows = list(items.values())
        n = len(rows)
        numbers = {name: np.fromiter((fn(i) for i in rows), dtype=np.float64, count=n)
                   for name, fn in schema.numbers.items()}
        ranks: dict[str, np.ndarray] = {}
        values: dict[str, list[str]] = {}
        lookup: dict[str, dict[str, int]] = {}
        for name, fn in schema.texts.items():
            texts = [fn(i) for i in rows]
            values[name] = sorted(set(texts))
            lookup[name] = {v: r for r, v in enumerate(values[name])}
            to = lookup[name]
            ranks[name] = np.fromiter((to[t] for t in texts), dtype=np.int32, count=n)
        search = [schema.search(i) for i in rows] if schema.search is not None else None
        self.generation += 1
        return RecordSnapshot(np.array(ids, dtype=object), rows, {id: k for k, id in enumerate(ids)},
                              numbers, ranks, values, search, changed, self.generation, lookup)


def number_or_nan(value: Any) -> float:
    """A float column value: NaN for None or something unreadable."""
    try:
        return float(value) if value is not None else float("nan")
    except (TypeError, ValueError):
        return float("nan")
