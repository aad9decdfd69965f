"""Pinyin and natural order (app.collation), and initials search in the table engine."""

from __future__ import annotations

import random

import pytest

from app.collation import (
    SURNAMES,
    column_keys,
    initials,
    initials_many,
    sort_key,
    sort_keys,
)
from app.specs import Field
from ui.row_view import RowView


def ordered(texts, **kw):
    return sorted(texts, key=lambda t: sort_key(t, **kw))


def test_pinyin_order_character_by_character():
    assert ordered(["张三", "李四", "王五", "阿强", "赵六", "陈七"]) == \
        ["阿强", "陈七", "李四", "王五", "张三", "赵六"]
    # Same syllable: by tone (张 zhang1, 掌 zhang3, 丈 zhang4), then the next character.
    assert ordered(["丈夫", "掌柜", "张三", "张一"]) == ["张三", "张一", "掌柜", "丈夫"]
    # ü after u, as dictionaries have it: 卢 lu, 吕 lü, 栾 luan, 略 lüe.
    assert ordered(["略", "栾", "吕", "卢"]) == ["卢", "吕", "栾", "略"]
    assert ordered(["张三丰", "张三"]) == ["张三", "张三丰"]  # a prefix first


@pytest.mark.parametrize(("surname", "after", "before"), [
    # (surname, a character it must sort after as a surname, one it must sort before)
    ("曾", "早", "扎"),  # zeng, not ceng (which would sort before 查 cha)
    ("单", "沙", "上"),  # shan, not dan
    ("解", "写", "辛"),  # xie4, not jie
    ("区", "嗯", "帕"),  # ou, not qu
    ("仇", "琴", "全"),  # qiu, not chou
    ("朴", "漂", "拼"),  # piao, not pu
    ("查", "扎", "翟"),  # zha, not cha
    ("翟", "查", "张"),  # zhai, not di
    ("盖", "哥", "根"),  # ge, not gai
    ("覃", "秦", "青"),  # qin, not tan
    ("缪", "庙", "灭"),  # miao, not mou
    ("尉", "为", "文"),  # wei
])
def test_polyphonic_surnames_read_as_surnames(surname, after, before):
    name = surname + "明"
    assert sort_key(after) < sort_key(name, name=True) < sort_key(before, name=True)
    assert SURNAMES[surname]


def test_surname_reading_only_at_the_start_of_a_name():
    # 曾 in the middle of a name, and 曾/单 in everyday text, keep their usual readings.
    assert ordered(["不曾", "不增"], name=True) == ["不曾", "不增"]  # ceng before zeng
    assert ordered(["单位", "大楼", "档案"]) == ["大楼", "单位", "档案"]  # dan
    assert ordered(["曾明", "曹操", "查明", "陈"], name=True) == ["曹操", "陈", "曾明", "查明"]


def test_compound_surname_yuchi():
    # 尉 alone is wei; 尉迟 is yu chi: after 于 yu2, before 袁 yuan.
    assert ordered(["尉迟恭", "尉健行", "于谦", "袁枚", "魏征"], name=True) == \
        ["尉健行", "魏征", "于谦", "尉迟恭", "袁枚"]


def test_natural_order_of_numbers_inside_text():
    buildings = ["10栋", "2栋", "1栋", "11栋", "3栋"]
    assert ordered(buildings) == ["1栋", "2栋", "3栋", "10栋", "11栋"]
    rooms = ["3-2-1001", "3-10-101", "3-2-901", "12-1-101", "3-2-90"]
    assert ordered(rooms) == ["3-2-90", "3-2-901", "3-2-1001", "3-10-101", "12-1-101"]
    mixed = ["幸福小区10栋2单元", "幸福小区2栋10单元", "幸福小区2栋2单元", "安居苑1栋"]
    assert ordered(mixed) == ["安居苑1栋", "幸福小区2栋2单元", "幸福小区2栋10单元", "幸福小区10栋2单元"]
    assert ordered(["第１０组", "第２组"]) == ["第２组", "第１０组"]  # full-width digits too


def test_classes_and_case():
    assert ordered(["张", "abc", "12", "（备）", "Abd"]) == ["（备）", "12", "abc", "Abd", "张"]


def test_total_and_stable_order():
    """Equal keys only for equal texts, so the order never depends on where rows came from
    (database, platform, the order they arrived in)."""
    texts = ["7号", "007号", "a", "A", "Ａ", "张三", "张三", " 张三", "3-2-1001", "1栋", ""]
    rng = random.Random(19)
    first = ordered(texts)
    for _ in range(20):
        shuffled = texts[:]
        rng.shuffle(shuffled)
        assert ordered(shuffled) == first
    distinct = sorted(set(texts))
    assert len({sort_key(t) for t in distinct}) == len(distinct)
    assert sort_keys(texts) == [sort_key(t) for t in texts]


@pytest.mark.parametrize("alphabet", ["aZ09-_ .", "`{~\x00zA9", "0１a张-", "09", "az9-张 "])
def test_column_keys_order_as_sort_key(alphabet):
    """A table sorts a column by column_keys (compact keys when every text is ASCII): the
    order is sort_key's, ties between texts included, for random texts of these characters."""
    rng = random.Random(alphabet)
    some = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(9))) for _ in range(400)]
    # Alone (az9-张: no two texts weigh alike), then with texts that do (7, 007).
    for texts in (some, some + ["7", "007", "0", "000", "a\x02b", "9" * 95, "XF-0001-000002",
                                  "xf-1-2", "Xf-1-2"]):
        by_key = sorted(texts, key=sort_key)
        keys = column_keys(texts)
        assert [texts[i] for i in sorted(range(len(texts)), key=keys.__getitem__)] == by_key
        assert len(set(keys)) == len(set(texts))
        assert column_keys(list(texts)) == keys  # the same column again
    # Too long a run of digits for a compact key: the column gets sort_key's weights.
    texts = ["1" * 96, "A", "2" * 95, "0" + "1" * 96, "a1"]
    keys = column_keys(texts)
    assert [texts[i] for i in sorted(range(5), key=keys.__getitem__)] == \
        sorted(texts, key=sort_key)


def test_text_beyond_the_table_sorts_after_it_by_code_point():
    rare = "\U00020000"  # 𠀀, extension B: not in the table
    assert ordered([rare + "甲", "做", "1号", rare]) == ["1号", "做", rare, rare + "甲"]


def test_initials():
    assert initials("张三") == "zs"
    assert initials("3栋2单元") == "3d2dy"
    assert initials("ＡＢ－１２") == "ab12"
    assert initials("单立") == "dl" and initials("单立", name=True) == "sl"
    assert initials("尉迟恭", name=True) == "ycg"
    assert initials_many(["张三", "李四", "张三"]) == ["zs", "ls", "zs"]
    assert initials("a\x02b") == "ab"  # a text holding the batch separator is handled alone


def _view(rows):
    fields = (Field("name", "姓名", searchable=True), Field("note", "说明", kind="longtext",
                                                          searchable=True))
    view = RowView(fields)
    view.set_rows(rows, list(range(len(rows))), [1] * len(rows))
    return view


def test_table_search_matches_initials():
    view = _view([("张三", ""), ("李四", ""), ("赵珊", ""), ("王五", "张三的同事")])
    view.set_query("zs")
    assert [view.rows[i][0] for i in view.visible] == ["张三", "赵珊"]  # not 王五: long text
    view.set_query("ZS")
    assert len(view.visible) == 2
    view.set_query("张")  # the text itself still matches as before
    assert [view.rows[i][0] for i in view.visible] == ["张三", "王五"]


def test_table_sorts_text_columns_in_pinyin_and_natural_order():
    view = _view([("10栋", ""), ("张三", ""), ("2栋", ""), ("阿强", ""), ("", ""), ("陈七", "")])
    view.sort(0)
    assert [view.rows[i][0] for i in view.visible] == ["2栋", "10栋", "阿强", "陈七", "张三", ""]
    view.sort(0, descending=True)
    assert [view.rows[i][0] for i in view.visible] == ["张三", "陈七", "阿强", "10栋", "2栋", ""]


def test_table_text_column_holding_a_number_still_sorts():
    view = _view([("10栋", ""), (7, ""), (None, ""), ("2栋", "")])
    view.sort(0)
    assert [view.rows[i][0] for i in view.visible] == ["2栋", 7, "10栋", None]


def test_table_search_matches_initials_of_each_text_column():
    fields = (Field("name", "姓名", searchable=True), Field("area", "片区", searchable=True))
    view = RowView(fields)
    rows = [("张三", "幸福小区"), ("李四", "安居苑"), ("赵珊", "")]
    view.set_rows(rows, [1, 2, 3], [1, 1, 1])
    for query, found in (("xf", ["张三"]), ("ls ajy", ["李四"]), ("z", ["张三", "赵珊"]),
                         ("zs", ["张三", "赵珊"]), ("安", ["李四"]), ("安j", [])):
        view.set_query(query)
        assert [rows[i][0] for i in view.visible] == found, query


def test_table_sorts_person_names_by_surname_reading_and_places_by_their_sort_name():
    from app.specs import Field
    from ui.row_view import RowView

    name = Field("name", "姓名", searchable=True, person_name=True)
    view = RowView([name])
    people = ["曾红", "陈明", "单立", "丁一", "解放", "谢军"]
    view.set_rows([(p,) for p in people], list(range(6)), [1] * 6)
    view.sort(0)
    order = [view.rows[i][0] for i in view.visible]
    # 曾 zeng after 陈 chen as a surname; 单 shan after 丁 ding; 解 xie beside 谢.
    assert order.index("陈明") < order.index("曾红") and order.index("丁一") < order.index("单立")
    assert abs(order.index("解放") - order.index("谢军")) == 1
    place = Field("estate", "小区", sort_by="sort_name")
    view = RowView([place, Field("sort_name", "排序名")])
    rows = [("六合小区", ""), ("龙湖小区", ""), ("柳树小区", "")]
    view.set_rows(rows, [1, 2, 3], [1, 1, 1])
    view.sort(0)
    assert [view.rows[i][0] for i in view.visible] == ["柳树小区", "六合小区", "龙湖小区"]
    rows[0] = ("六合小区", "陆合小区")  # locally read lù hé
    view.set_rows(rows, [1, 2, 3], [1, 1, 1])
    view.sort(0)
    assert [view.rows[i][0] for i in view.visible] == ["柳树小区", "龙湖小区", "六合小区"]


def test_the_initials_table_built_alone_is_the_full_builds():
    """A table's first load builds only the initials (start-up); they must be exactly
    those of the full build, which sorting uses."""
    from app import collation

    assert collation._build_initials() == collation._build()[1]
