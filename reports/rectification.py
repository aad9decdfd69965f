"""整改台账 printed, the shared pieces: the 红黑榜 sections (ranking table, lists, the
rules used beneath), picking warned rows, the print audit. The documents themselves
(月通报, 季调度, 年总结, the one-page 红黑榜) are in reports.rectification_docs."""

from __future__ import annotations

from app.rectification import RedBlack
from app.services import RowSet, list_rows
from app.specs import Field, LedgerSpec
from app.specs.rectification import PROBLEMS
from reports.sections import Document, Heading, LedgerTable, Paragraph


class _Row:  # the ranking table's "model": LedgerTable reads the spec's fields only
    pass


RANKING = LedgerSpec(
    key="rectification_ranking", title="红黑榜", model=_Row, natural_key=("unit",),
    fields=(
        Field("rank", "名次", width=4, pdf_weight=0.8),
        Field("unit", "牵头单位", width=16, pdf_weight=3),
        Field("due", "应完成", width=6, pdf_weight=1),
        Field("fixed", "已整改", width=6, pdf_weight=1),
        Field("completion", "完成率", width=7, pdf_weight=1.2),
        Field("on_time", "按期完成率", width=8, pdf_weight=1.4),
        Field("overdue", "逾期", width=5, pdf_weight=0.9),
        Field("score", "得分", width=6, pdf_weight=1),
        Field("listed", "榜单", width=8, pdf_weight=1.6,
              colours={"红榜": "#c62828", "黑榜": "#212121"}),
        Field("streak", "连续上黑榜", width=6, pdf_weight=1.2),
    ),
)


def _ranking_rows(rb: RedBlack) -> RowSet:
    red, black = {u.unit for u in rb.red}, {u.unit for u in rb.black}
    rows = []
    for u in rb.ranked:
        listed = "红榜" if u.unit in red else "黑榜" if u.unit in black else \
            f"免于列榜（{u.exempt}）" if u.exempt else ""
        rows.append((str(u.rank), u.unit, str(u.due), str(u.fixed), f"{u.completion:.1f}%",
                     f"{u.on_time_rate:.1f}%" if u.closed else "—", str(u.overdue),
                     f"{u.score:.1f}", listed,
                     f"{u.black_times}次" if u.black_times else ""))
    ids = list(range(1, len(rows) + 1))
    return RowSet(RANKING.fields, ids, [1] * len(rows), rows)


def red_black_sections(rb: RedBlack) -> list:
    """The 红黑榜 of one period: who is on each list, the whole ranking, the rules used."""
    def names(units):
        return "、".join(u.unit for u in units) or "无"

    streaks = "；".join(f"{u.unit}连续第{u.black_times}次列入黑榜" for u in rb.black
                       if u.black_times > 1)
    state = (f"本榜单已于{rb.issued_at:%Y年%m月%d日}由{rb.issued_by}发布，发布后不再变动。"
             if rb.issued_by else "本榜单尚未发布，为按当前数据的试算结果。")
    return [
        Heading(f"{rb.period.label}整改工作红黑榜"),
        Paragraph(f"红榜：{names(rb.red)}\n\n黑榜：{names(rb.black)}"
                  + (f"\n\n{streaks}。" if streaks else "")),
        LedgerTable(RANKING, _ranking_rows(rb)),
        Paragraph("评比规则：" + rb.rules.text()
                  + (f"\n\n免于列榜：{'；'.join(f'{u.unit}（{u.exempt}）' for u in rb.exempted)}"
                     if rb.exempted else "") + "\n\n" + state),
    ]


# The columns of a problem table in the 整改 documents: short enough for a title to fit.
PRINT_FIELDS = tuple(PROBLEMS.field(n) for n in (
    "number", "title", "aspect", "community_id", "lead_unit", "person", "deadline",
    "days_left", "warning", "escalation", "status"))


def problem_table(rows: RowSet) -> LedgerTable:
    return LedgerTable(PROBLEMS, rows, fields=PRINT_FIELDS)


def warned(db, levels=("逾期", "滞后"), rows: RowSet | None = None) -> RowSet:
    """The problems under the given warnings, the worst and most overdue first."""
    rows = rows if rows is not None else list_rows(db, PROBLEMS, PROBLEMS.pdf_fields)
    return pick(rows, lambda get: get("warning") in levels,
                key=lambda get: (levels.index(get("warning")), get("days_left") or 0))


def pick(rows: RowSet, keep, key=None) -> RowSet:
    """The rows for which keep(get) holds (get(name) reads a field of the row), sorted."""
    names = [f.name for f in rows.fields]

    def getter(r):
        return lambda name: r[names.index(name)]

    ks = [k for k, r in enumerate(rows.rows) if keep(getter(r))]
    if key is not None:
        ks.sort(key=lambda k: key(getter(rows.rows[k])))
    return RowSet(rows.fields, [rows.ids[k] for k in ks], [rows.versions[k] for k in ks],
                  [rows.rows[k] for k in ks])


def per_group(values, group: str) -> list[tuple[str, float]]:
    return [(v.label, v.value) for v in values if v.group == group and v.value]


def audit_print(db, what: str, path) -> None:
    from pathlib import Path

    from app.audit import record

    with db.session() as s:
        record(s, db.actor, "export", PROBLEMS.key, summary=f"打印PDF：{what}：{Path(path).name}")
        s.commit()


def street_doc(db, sections: list, title: str, *, landscape: bool = False) -> Document:
    street = db.street_name()
    return Document(sections, title=f"{street}{title}", author=street, subject=title,
                    landscape=landscape)
