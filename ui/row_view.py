"""Rows a ledger table shows, filtered and sorted in Python, without Qt: `RowView`
over the cached tuples, and the per-column filters of the header (`OneOf`, `Between`,
`Contains`). ui.table_model's Qt model shows a RowView.

A QSortFilterProxyModel calls back into Python for every cell it compares: at
100,000 rows that took seconds per keystroke. RowView filters and sorts the cached
tuples with list comprehensions and `list.sort`."""

from __future__ import annotations

from collections.abc import Sequence

from app.collation import column_keys, initials_many, sort_keys
from app.normalize import to_halfwidth
from app.specs import Field
from app.specs.figures import EMPTY as FIGURE_EMPTY


class ColumnFilter:
    """A per-column filter from the header (ui.column_filters): `test(value)` per row."""

    label = ""

    def test(self, value) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError


class OneOf(ColumnFilter):
    """The values ticked in the header's list (choice fields)."""

    def __init__(self, values):
        self.values = frozenset(values)
        self.label = "、".join(sorted(str(v) for v in self.values))[:40]

    def test(self, value) -> bool:
        return value in self.values


class Between(ColumnFilter):
    """lo <= value <= hi for dates and numbers (either end may be open)."""

    def __init__(self, lo=None, hi=None, label: str = ""):
        self.lo, self.hi, self.label = lo, hi, label

    def test(self, value) -> bool:
        return value is not None and (self.lo is None or value >= self.lo) and (
            self.hi is None or value <= self.hi)


class Contains(ColumnFilter):
    """The text holds `text` (case- and width-insensitive)."""

    def __init__(self, text: str):
        self.raw, self.text, self.label = text, _fold(text), f"含“{text}”"

    def test(self, value) -> bool:
        return value is not None and self.text in _fold(str(value))


# Filter value meaning "the field is empty" (offered for optional filter fields).
EMPTY = FIGURE_EMPTY  # one sentinel for filters from combos and from figures
_SLICE = 5000  # rows per slice when the search index is built


def _fold(text: str) -> str:
    """Case- and width-insensitive form used for searching (Ａ１ finds a1)."""
    return to_halfwidth(text).casefold()


# What to_halfwidth changes, as (full-width, half-width) pairs.
_WIDE = [(chr(c), chr(c - 0xFEE0)) for c in range(0xFF01, 0xFF5F)] + [("\u3000", " ")]
_REC = "\x1e"


def _halfwidth_joined(text: str) -> str:
    """to_halfwidth for a long text: str.translate with a dict costs ~40 ns per Chinese
    character; 96 fast `in` scans and a replace for each character present cost ~10 ns.
    (The half-width results are ASCII: one replacement never feeds another.)"""
    for wide, narrow in _WIDE:
        if wide in text:
            text = text.replace(wide, narrow)
    return text


def _fold_many(texts: list[str]) -> list[str]:
    """_fold of each text, done on them all joined (a few scans and one casefold, not a
    call per text); codes and numbers (ASCII) just lower-case."""
    joined = _REC.join(texts)
    if not texts or joined.count(_REC) != len(texts) - 1:  # a text holds the separator
        return [_fold(t) for t in texts]
    if joined.isascii():
        return joined.lower().split(_REC)
    return _halfwidth_joined(joined).casefold().split(_REC)


def _fold_column(texts: list[str]) -> list[str]:
    """A column repeats few values (departments, bodies, legal bases): each folded once."""
    distinct = set(texts)
    if 2 * len(distinct) < len(texts):
        todo = list(distinct)
        found = dict(zip(todo, _fold_many(todo), strict=True))
        return list(map(found.__getitem__, texts))
    return _fold_many(texts)


class RowView:
    """The filter/sort engine: pure Python over cached rows, no Qt.

    `order` is the current sort permutation of all rows; `visible` is the
    subsequence of `order` that passes the search terms and the equality filters."""

    def __init__(self, fields: Sequence[Field]):
        self.fields = tuple(fields)
        self.rows: list[tuple] = []
        self.ids: list[int] = []
        self.versions: list[int] = []
        self.order: list[int] = []
        self.visible: list[int] = []
        self.query = ""
        self.filters: dict[int, object] = {}
        self.sort_column: int | None = None
        self.descending = False
        self._search_cols = [i for i, f in enumerate(self.fields) if f.searchable]
        self._hay: list[str] = []
        self._initials: list[str] | None = None  # of each row, built when first needed
        self._last: tuple | None = None  # (filters, query, result) for typing on

    # -- data ---------------------------------------------------------------
    def set_rows(self, rows: list[tuple], ids: list[int], versions: list[int]) -> None:
        self.rows, self.ids, self.versions = rows, ids, versions
        # In slices: each string operation over all rows at once held the GIL for tens of
        # milliseconds, and a page prepares this on a pool thread while the GUI runs.
        self._hay = [h for k in range(0, len(rows), _SLICE)
                     for h in self._haystacks(rows[k:k + _SLICE])]
        self._initials = None
        self._folded: dict[int, list[str]] = {}  # per column, for 含… filters
        # Built at load (about 0.1 s at 100,000 rows) so that no keystroke pays for it.
        self._initials_of_rows()
        self._sort()
        self._apply()

    def _haystacks(self, rows: list[tuple]) -> list[str]:
        """Each row's searchable texts, folded and joined by \\x1f. Column by column: a text
        cell is its own display (no call per cell); about 0.2 s at 100,000 rows where a
        call per row took 0.9 s (str.translate with a dict is slow on Chinese text)."""
        columns = []
        for c in self._search_cols:
            show = self.fields[c].display
            # A non-empty text is its own display; "" may show as the field's blank.
            columns.append(_fold_column([v if v.__class__ is str and v else show(v)
                                         for v in (r[c] for r in rows)]))
        if not columns:
            return [""] * len(rows)
        # Folding is per character, so folding each column then joining is the same.
        if len(columns) == 1:
            return columns[0]
        return list(map("\x1f".join, zip(*columns, strict=True)))

    def state(self) -> tuple:
        """What the user chose: query, filters and sort (a view built in the background
        starts from it and catches up with later changes through `adopt`)."""
        return self.query, dict(self.filters), self.sort_column, self.descending

    def adopt(self, state: tuple) -> None:
        """Take another view's query, filters and sort; re-sort / re-filter only if they
        differ from this view's own."""
        query, filters, column, descending = state
        if (column, descending) != (self.sort_column, self.descending):
            self.sort_column, self.descending = column, descending
            self._sort()
        elif (query, filters) == (self.query, self.filters):
            return
        self.query, self.filters = query, dict(filters)
        self._apply()

    def column_index(self, name: str) -> int:
        return [f.name for f in self.fields].index(name)

    # -- filtering ----------------------------------------------------------
    def set_query(self, text: str) -> None:
        self.query = text
        self._apply()

    def set_filter(self, column: int, value) -> None:
        """value None clears the filter; EMPTY matches rows where the field is empty."""
        if value is None:
            self.filters.pop(column, None)
        else:
            self.filters[column] = value
        self._apply()

    def set_filters(self, filters: dict[int, object]) -> None:
        self.filters = {c: v for c, v in filters.items() if v is not None}
        self._apply()

    def _apply(self) -> None:
        terms = _fold(self.query).split()
        fkey = tuple(sorted(((c, repr(v)) for c, v in self.filters.items())))
        last = self._last
        if last and last[0] == fkey and self.query.startswith(last[1]) and last[1].strip():
            # Typing on: every match of the longer query is a match of the shorter one.
            base = last[2]
        else:
            base = self.order
            rows = self.rows
            for c, v in self.filters.items():
                if isinstance(v, Contains):  # the column folded once, then `in` scans
                    col, text = self._folded_column(c), v.text
                    base = [i for i in base if text in col[i]]
                elif isinstance(v, ColumnFilter):
                    test = v.test
                    base = [i for i in base if test(rows[i][c])]
                elif v == EMPTY:  # combo data comes back as an equal, not the same, string
                    base = [i for i in base if rows[i][c] in (None, "")]
                elif self.fields[c].type.multi:  # 党员、退役军人 matches 党员
                    base = [i for i in base if rows[i][c] and v in rows[i][c].split("、")]
                else:
                    base = [i for i in base if rows[i][c] == v]
        hay = self._hay
        for t in terms:
            if t.isascii() and t.isalnum():  # initials are letters and digits: others skip them
                ini = self._initials_of_rows()
                base = [i for i in base if t in hay[i] or t in ini[i]]
            else:
                base = [i for i in base if t in hay[i]]
        if base is self.order:
            base = list(base)
        self.visible = base
        self._last = (fkey, self.query, base)

    def _folded_column(self, c: int) -> list[str]:
        folded = getattr(self, "_folded", {})
        if c not in folded:
            f = self.fields[c]
            folded[c] = _fold_column([f.display(r[c]) if r[c] is not None else ""
                                      for r in self.rows])
            self._folded = folded
        return folded[c]

    def _initials_of_rows(self) -> list[str]:
        """Each row's pinyin initials of its short texts ("zs" finds 张三; a long text's would
        match anything). ASCII texts (codes) are searched as they are: isascii() costs
        nothing."""
        if self._initials is None:
            self._initials = [i for k in range(0, len(self.rows), _SLICE)
                              for i in self._initials_of(self.rows[k:k + _SLICE])]
        return self._initials

    def _initials_of(self, rows: list[tuple]) -> list[str]:
        fields = self.fields
        han = [initials_many(["" if not isinstance(v, str) or v.isascii() else v
                              for v in (r[c] for r in rows)])
               for c in self._search_cols if fields[c].type.initials]
        return (han[0] if len(han) == 1 else [""] * len(rows) if not han
                else list(map("\x1f".join, zip(*han, strict=True))))

    # -- sorting ------------------------------------------------------------
    def sort(self, column: int | None, descending: bool = False) -> None:
        self.sort_column, self.descending = column, descending
        self._sort()
        self._apply()

    def _sort(self) -> None:
        n = len(self.rows)
        self._last = None
        c = self.sort_column
        if c is None:
            self.order = list(range(n))
            return
        col = [r[c] for r in self.rows]
        f = self.fields[c]
        if f.sort_by is not None and f.sort_by in (g.name for g in self.fields):
            other = self.column_index(f.sort_by)  # a manual sort name, where one is given
            col = [r[other] or r[c] for r in self.rows]
        full = [i for i in range(n) if col[i] is not None and col[i] != ""]
        empty = [i for i in range(n) if col[i] is None or col[i] == ""]
        if f.type.ranked and f.choices:
            # The spec's order (下放行政权力, 法定权力事项, 属地管理事项) beats code-point order.
            rank = {ch: k for k, ch in enumerate(f.choices)}
            last = len(rank)
            keys = [rank.get(v, last) for v in col]
            full.sort(key=keys.__getitem__, reverse=self.descending)
        elif f.type.collate:  # pinyin and natural order, alike on every platform
            texts = [v if isinstance(v, str) else "" if v is None else str(v) for v in col]
            keys = sort_keys(texts, True) if f.person_name else column_keys(texts)
            full.sort(key=keys.__getitem__, reverse=self.descending)
        else:
            try:
                full.sort(key=col.__getitem__, reverse=self.descending)
            except TypeError:  # mixed types in one column: compare as text
                full.sort(key=lambda i: str(col[i]), reverse=self.descending)
        # Empty cells stay at the bottom in both directions: they are rarely what one looks for.
        self.order = full + empty
