"""The meeting pack and the minutes, read back with pypdf: a decision taken at one
meeting, worked and closed in the rectification ledger, shows as closed in the NEXT
meeting's 落实情况; the pack's pages, folios, bookmarks and contents agree; the 纪要
lists its people and numbers its decisions; the decisions workbook; the commands."""

from __future__ import annotations

import re
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

import main
from app.meetings import resolve_meeting
from reports.meeting_pack import write_meeting_pack
from reports.minutes import write_decisions_xlsx, write_minutes
from tests.meetings_helpers import close_task, decide, meeting

DAY = date(2026, 9, 10)


def _pages(path) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(path).pages]


def _follow_up(path) -> str:
    """The text of 二、上次会议议定事项落实情况 (after the contents page)."""
    text = "".join(_pages(path)[2:])
    return text.split("上次会议议定事项落实情况", 1)[1].split("各台账主要数据", 1)[0]


@pytest.fixture
def today(monkeypatch):
    import app.sqldates

    monkeypatch.setattr(app.sqldates, "today", lambda: DAY)
    return DAY


def test_a_closed_decision_shows_in_the_next_pack(db, tmp_path, today):
    first = meeting(db, date(2026, 6, 20))
    ids = decide(db, first, date(2026, 8, 31), date(2026, 12, 31))
    nxt = meeting(db, date(2026, 9, 20), held_status=False)
    out = tmp_path / "pack.pdf"
    write_meeting_pack(db, out, nxt, today=today)
    before = _follow_up(out)
    assert "议定事项2项：已办结0项" in before and "其中逾期1项" in before
    assert "未启动（逾期）" in before and "第1项：推进背街小巷环境整治" in before
    close_task(db, ids[0], date(2026, 9, 5))
    write_meeting_pack(db, out, nxt, today=today)
    after = _follow_up(out)
    assert "议定事项2项：已办结1项" in after and "其中逾期0项" in after
    assert "已销号" in after and "9月5日完成整治，建立长效机制（100%）" in after
    # The first meeting's own pack has no previous meeting to report on.
    write_meeting_pack(db, out, first, today=today)
    assert "本次为首次会议" in _follow_up(out)


def test_pages_folios_bookmarks_and_contents(demo_db, tmp_path):
    out = tmp_path / "pack.pdf"
    pages = write_meeting_pack(demo_db, out)
    reader = PdfReader(out)
    texts = _pages(out)
    assert pages == len(reader.pages) >= 6
    assert "密级" in texts[0] and "会议材料" in texts[0] and "—" not in texts[0]
    for n, text in enumerate(texts[1:], 1):
        assert text.startswith(f"—{n}—"), n  # folios start after the cover (drawn first)
    top = reader.outline
    assert top[0].title.endswith("会议材料")
    heads = [item.title for item in top[1] if not isinstance(item, list)]
    assert heads[:4] == ["一、会议议程", "二、上次会议议定事项落实情况", "三、各台账主要数据",
                         "四、整改工作推进情况"]
    assert heads[-1] == "六、本次会议议题及材料" and "红黑榜" in heads[4]
    contents = texts[1]
    assert contents.startswith("—1—目录")
    for item in top[1]:
        if isinstance(item, list):
            continue
        folio = reader.get_destination_page_number(item)  # the cover is page 0
        assert re.sub(r"\s+", "", item.title) in texts[folio]
        assert re.search(re.escape(re.sub(r"\s+", "", item.title)) + r"·*" + str(folio),
                         contents), item.title
    body = "".join(texts)
    for words in ("权责清单", "编制核定", "网格员", "整改台账", "联席会议召开情况",
                  "未按期召开", "各牵头单位推进情况", "逾期问题清单", "评比规则", "汇报单位",
                  "材料1：", "图1"):
        assert words in body, words


def test_the_minutes(db, tmp_path):
    m = meeting(db, date(2026, 6, 20), minutes_no="南城联席纪〔2026〕2号",
                minutes_on=date(2026, 6, 22))
    decide(db, m, date(2026, 8, 31), date(2026, 12, 31), kind="决定")
    out = tmp_path / "minutes.pdf"
    assert write_minutes(db, out, m) == 1
    text = "".join(_pages(out))
    assert text.startswith("—1—街道联席会议纪要南城联席纪〔2026〕2号2026年6月22日")
    assert "2026年6月20日，王书记在街道三楼会议室主持召开街道联席会议（2026年第1次）" in text
    assert "一、第1项：推进背街小巷环境整治" in text and "二、第2项" in text
    assert "完成时限：2026年12月31日，每2周反馈一次进展。" in text
    assert "出席：王书记列席：赵主任（区住建局）请假：钱委员（派出所）记录：李干事" in text
    assert PdfReader(out).outline[0].title == "街道联席会议纪要（2026年第1次）"


def test_the_decisions_workbook(db, tmp_path):
    m = meeting(db, date(2026, 6, 20))
    decide(db, m, date(2026, 8, 31), date(2026, 12, 31))
    out = tmp_path / "d.xlsx"
    assert write_decisions_xlsx(db, out, str(m)) == 2
    ws = openpyxl.load_workbook(out).active
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    head = next(r for r in values if r and r[0] == "序号")
    assert head[1:5] == ["事项序号", "问题编号", "事项类型", "议定事项"]
    assert [r[4] for r in values[values.index(head) + 1:]] == [
        "第1项：推进背街小巷环境整治，建立长效机制。", "第2项：推进背街小巷环境整治，建立长效机制。"]


def test_the_commands(db, tmp_path, capsys):
    meeting(db, date(2026, 6, 20))
    latest = meeting(db, date(2026, 9, 20), held_status=False)
    assert resolve_meeting(db, "latest") == latest
    for args in (["report", "meeting-pack", str(tmp_path / "p.pdf")],
                 ["report", "minutes", str(tmp_path / "m.pdf"), "--meeting", str(latest)],
                 ["export", "decisions", str(tmp_path / "d.xlsx"), "--meeting", "latest"]):
        assert main.main([*args, "--db", db.url]) == 0
    said = capsys.readouterr().out
    assert "已生成会议材料包" in said and "已生成会议纪要（1 页）" in said and "议定事项 0 项" in said
    assert main.main(["report", "minutes", str(tmp_path / "x.pdf"), "--meeting", "99",
                      "--db", db.url]) == 2
    assert "没有编号为 99 的会议" in capsys.readouterr().err
