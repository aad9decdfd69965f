"""The Python filter/sort engine behind every ledger table (no widgets needed)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from app.specs import Field
from ui.row_view import EMPTY, RowView
from ui.table_model import LedgerTableModel

FIELDS = (
    Field("kind", "类别", kind="enum", choices=("乙类", "甲类"), filterable=True),
    Field("name", "名称", searchable=True),
    Field("code", "编码", searchable=True),
    Field("when", "日期", kind="date"),
    Field("n", "数量", kind="int"),
    Field("owner", "科室", filterable=True),
)
ROWS = [
    ("甲类", "城市道路处罚", "A-01", date(2023, 5, 1), 10, "执法办"),
    ("乙类", "噪声扰民处罚", "b-02", None, 3, ""),
    ("甲类", "低保审核", "Ｃ-03", date(2021, 1, 1), None, "社会事务办"),
    ("乙类", "城市绿化检查", "D-04", date(2022, 7, 9), 0, "执法办"),
]


def make() -> RowView:
    v = RowView(FIELDS)
    v.set_rows(list(ROWS), [11, 12, 13, 14], [1, 1, 2, 1])
    return v


def names(v: RowView) -> list[str]:
    return [v.rows[i][1] for i in v.visible]


def test_search_all_terms_case_and_width_insensitive():
    v = make()
    v.set_query("处罚")
    assert names(v) == ["城市道路处罚", "噪声扰民处罚"]
    v.set_query("城市 处罚")
    assert names(v) == ["城市道路处罚"]
    v.set_query("B-0")  # matches "b-02" whatever the case
    assert names(v) == ["噪声扰民处罚"]
    v.set_query("c-03")  # the full-width Ｃ in the data is found by a half-width c
    assert names(v) == ["低保审核"]
    v.set_query("")
    assert len(v.visible) == 4


def test_typing_on_narrows_and_deleting_widens_again():
    v = make()
    for q, expected in [("城", 2), ("城市", 2), ("城市绿", 1), ("城市", 2), ("", 4)]:
        v.set_query(q)
        assert len(v.visible) == expected, q


def test_equality_filters_and_empty_filter():
    v = make()
    kind, owner = v.column_index("kind"), v.column_index("owner")
    v.set_filter(kind, "甲类")
    assert names(v) == ["城市道路处罚", "低保审核"]
    v.set_filter(owner, "执法办")
    assert names(v) == ["城市道路处罚"]
    v.set_filter(kind, None)
    assert names(v) == ["城市道路处罚", "城市绿化检查"]
    v.set_filters({owner: EMPTY})
    assert names(v) == ["噪声扰民处罚"]


def test_sort_by_type_with_empty_cells_last_both_ways():
    v = make()
    n = v.column_index("n")
    v.sort(n)
    assert [v.rows[i][n] for i in v.visible] == [0, 3, 10, None]
    v.sort(n, descending=True)
    assert [v.rows[i][n] for i in v.visible] == [10, 3, 0, None]
    when = v.column_index("when")
    v.sort(when)
    assert [v.rows[i][when] for i in v.visible] == [
        date(2021, 1, 1), date(2022, 7, 9), date(2023, 5, 1), None]
    v.sort(None)
    assert v.visible == [0, 1, 2, 3]


def test_enum_sorts_in_spec_order_not_code_point_order():
    v = make()
    v.sort(v.column_index("kind"))
    assert [v.rows[i][0] for i in v.visible] == ["乙类", "乙类", "甲类", "甲类"]


def test_filter_keeps_sort_order_and_reload_keeps_query():
    v = make()
    v.sort(v.column_index("n"), descending=True)
    v.set_query("处罚")
    assert names(v) == ["城市道路处罚", "噪声扰民处罚"]
    v.set_rows(list(reversed(ROWS)), [14, 13, 12, 11], [1, 2, 1, 1])
    assert names(v) == ["城市道路处罚", "噪声扰民处罚"]


def test_qt_model_maps_view_rows_to_ids_and_texts():
    m = LedgerTableModel(FIELDS)
    m.set_rows(list(ROWS), [11, 12, 13, 14], [1, 1, 2, 1])
    m.set_query("城市")
    assert m.rowCount() == 2
    assert [m.row_id(r) for r in range(2)] == [11, 14]
    assert m.data(m.index(0, 3)) == "2023-05-01"
    assert m.data(m.index(1, 4)) == "0"
    # Views pass roles as plain ints: 0 = display, 7 = alignment.
    assert m.data(m.index(0, 1), 0) == "城市道路处罚"
    assert m.data(m.index(0, 4), 7) == int(Qt.AlignRight | Qt.AlignVCenter)
    assert m.data(m.index(0, 1), Qt.DisplayRole) == "城市道路处罚"
    assert m.headerData(1, Qt.Horizontal) == "名称"
    assert m.view_row_of_id(14) == 1 and m.view_row_of_id(12) is None
    ids, versions, rows = m.visible_rows()
    assert ids == [11, 14] and rows[1][1] == "城市绿化检查"


def test_id_numbers_are_masked_in_the_table_until_revealed(app):
    from app.specs import Field
    from ui.table_model import LedgerTableModel

    fields = (Field("name", "姓名"), Field("id_number", "身份证号码", kind="idcard"))
    model = LedgerTableModel(fields)
    model.set_rows([("张三", "510502199001011234")], [1], [1])
    shown = model.data(model.index(0, 1))
    assert shown != "510502199001011234" and shown.startswith("510502") and "*" in shown
    assert model.cell_text(0, 0) == "张三"
    model.revealed = True
    assert model.data(model.index(0, 1)) == "510502199001011234"


def test_haystacks_built_column_by_column_equal_the_per_row_fold():
    """The fast haystack (folded per column, repeated values once) is the text one row at a
    time would give: full-width letters, digits, punctuation and spaces, ß, a date, a
    number, an empty cell, and a text holding the join's own separator."""
    from ui.row_view import _fold

    fields = (Field("name", "名称", searchable=True), Field("code", "编码", searchable=True),
              Field("when", "日期", kind="date", searchable=True),
              Field("n", "数量", kind="int", searchable=True))
    rows = [("ＡＢＣ（１）　Straße", "XF-01", date(2023, 5, 1), 7),
            ("低保审核", "Ｃ-03", None, None),
            ("噪声\x1e扰民", "", date(2021, 1, 1), 0)] + [("执法办", "d-04", None, 3)] * 5
    v = RowView(fields)
    v.set_rows(rows, list(range(len(rows))), [1] * len(rows))
    expected = [_fold("\x1f".join(f.display(r[c]) for c, f in enumerate(fields))) for r in rows]
    assert v._hay == expected
    assert v._hay[0].startswith("abc(1) strasse\x1fxf-01\x1f2023-05-01\x1f7")
    v.set_query("abc(1)")
    assert v.visible == [0]


def test_index_built_in_slices_equals_the_index_built_at_once(monkeypatch):
    import ui.row_view as tm

    rows = [(f"张三{i}", f"C-{i}", date(2023, 1, 1), i) for i in range(7)]
    rows.append(("低保审核", "Ｃ-07", None, None))
    fields = (Field("name", "名称", searchable=True), Field("code", "编码", searchable=True),
              Field("when", "日期", kind="date"), Field("n", "数量", kind="int"))
    whole = RowView(fields)
    whole.set_rows(rows, list(range(8)), [1] * 8)
    monkeypatch.setattr(tm, "_SLICE", 3)
    sliced = RowView(fields)
    sliced.set_rows(rows, list(range(8)), [1] * 8)
    assert sliced._hay == whole._hay and len(sliced._hay) == 8
    assert sliced._initials == whole._initials and sliced._initials[6] == "zs6\x1f"
    sliced.set_query("zs6")
    assert sliced.visible == [6]
