"""网格化管理 printed documents, each a list of reports.sections (PDF) that
reports.sections_xlsx also writes as a workbook:

- 网格员花名册: grid workers by community, with their grids, duties and contacts;
- 网格基础信息表: every grid with its kind, 网格长, party organisation, households,
  residents, estates and full-time workers (达标 or not);
- 小区党组织覆盖情况: per community, estates with a party organisation and the share,
  by kind of organisation, then the estates still without one;
- 重点人员台账: key persons by category × risk level and by community, then the list
  (ID numbers and phones masked unless the user may and asks, which is audited).

`ids` narrows a document to those rows (the page's selection or the rows shown)."""

from __future__ import annotations

import os
from collections import Counter
from datetime import date
from pathlib import Path

from app.auth import authorize
from app.db import Database
from app.errors import UserError
from app.figures import figures, grouped
from app.services import RowSet, list_rows
from app.specs import LedgerSpec
from app.specs.estates import ESTATES, PARTY_ORG_KINDS
from app.specs.grids import GRID_WORKERS, GRIDS
from app.specs.key_persons import CATEGORIES, KEY_PERSONS, RISK_LEVELS
from reports.export import audit_output
from reports.sections import Document, Figures, Grid, Heading, LedgerTable, Masthead, Paragraph


def _rows(db: Database, spec: LedgerSpec, names, ids=None) -> RowSet:
    rs = list_rows(db, spec, tuple(spec.field(n) for n in names))
    if ids is None:
        return rs
    keep = set(ids)
    picked = [k for k, i in enumerate(rs.ids) if i in keep]
    return RowSet(rs.fields, [rs.ids[k] for k in picked], [rs.versions[k] for k in picked],
                  [rs.rows[k] for k in picked])


def _subset(rs: RowSet, test) -> RowSet:
    picked = [k for k, r in enumerate(rs.rows) if test(r)]
    return RowSet(rs.fields, [rs.ids[k] for k in picked], [rs.versions[k] for k in picked],
                  [rs.rows[k] for k in picked])


def _pct(n: int, of: int) -> str:
    return f"{100 * n / of:.1f}%" if of else "—"


# -- the documents -------------------------------------------------------------------------

WORKER_FIELDS = ("name", "gender", "phone", "employment", "role", "grids", "duties",
                 "start_date", "status")


def worker_sections(db: Database, ids=None, mask: bool = True) -> list:
    rs = _rows(db, GRID_WORKERS, (*WORKER_FIELDS, "primary_grid"), ids)
    names = [f.name for f in rs.fields]
    emp, role, status = (names.index(n) for n in ("employment", "role", "status"))
    on = [r for r in rs.rows if r[status] == "在岗"]
    by_role = Counter(r[role] for r in on)
    text = (f"在岗网格员 {len(on)} 名，其中专职 {sum(r[emp] == '专职' for r in on)} 名、"
            f"兼职 {sum(r[emp] == '兼职' for r in on)} 名；"
            + "、".join(f"{k} {n} 名" for k, n in by_role.items()) + "。")
    fields = tuple(GRID_WORKERS.field(n) for n in WORKER_FIELDS)
    return [Heading("网格员配备情况"), Paragraph(text),
            Heading("网格员花名册"), LedgerTable(GRID_WORKERS, rs, fields, mask_ids=mask)]


GRID_FIELDS = ("parent_id", "name", "code", "grid_kind", "grid_subkind", "contact", "phone",
               "party_org", "total_households", "total_residents", "estates", "workers",
               "worker_check")


def grid_sections(db: Database, ids=None, mask: bool = True) -> list:
    rs = _rows(db, GRIDS, GRID_FIELDS, ids)
    values = figures(db, GRIDS, rowset=list_rows(db, GRIDS)) if ids is None else []
    out = [Heading("总体情况"), Figures(grouped(values))] if values else []
    fields = tuple(GRIDS.field(n) for n in GRID_FIELDS)
    return [*out, Heading("网格基础信息表"), LedgerTable(GRIDS, rs, fields, mask_ids=mask)]


ESTATE_FIELDS = ("area_id", "name", "address", "kind", "management", "party_org_kind",
                 "party_members", "buildings", "households", "residents")


def coverage_sections(db: Database, ids=None, mask: bool = True) -> list:
    rs = _rows(db, ESTATES, ESTATE_FIELDS, ids)
    grids = list_rows(db, GRIDS, (GRIDS.field("parent_id"), GRIDS.field("name")))
    community = dict(zip(grids.column("name"), grids.column("parent_id"), strict=True))
    names = [f.name for f in rs.fields]
    g, kind, members = (names.index(n) for n in ("area_id", "party_org_kind", "party_members"))
    per: dict[str, list] = {}
    for r in rs.rows:
        per.setdefault(community.get(r[g], "") or "（未知社区）", []).append(r)
    header = [["社区", "小区数", "有党组织", "覆盖率", *PARTY_ORG_KINDS, "党员人数"]]
    body, totals = [], [0, 0, *([0] * len(PARTY_ORG_KINDS)), 0]
    for name, rows in per.items():
        kinds = Counter(r[kind] for r in rows if r[kind])
        line = [len(rows), sum(kinds.values()), *(kinds[k] for k in PARTY_ORG_KINDS),
                sum(r[members] or 0 for r in rows)]
        totals = [a + b for a, b in zip(totals, line, strict=True)]
        body.append([name, str(line[0]), str(line[1]), _pct(line[1], line[0]),
                     *(str(v) for v in line[2:])])
    body.append(["合计", str(totals[0]), str(totals[1]), _pct(totals[1], totals[0]),
                 *(str(v) for v in totals[2:])])
    missing = _subset(rs, lambda r: not r[kind])
    text = (f"共有小区（院落）{totals[0]} 个，已建立党组织 {totals[1]} 个，覆盖率 "
            f"{_pct(totals[1], totals[0])}；尚未建立党组织的 {len(missing.rows)} 个。")
    fields = tuple(ESTATES.field(n) for n in ("area_id", "name", "address", "kind", "management",
                                              "buildings", "households", "residents"))
    return [Heading("按社区统计"), Paragraph(text),
            Grid(header, body, weights=[2.2] + [1] * (len(header[0]) - 1),
                 bold=frozenset({len(body) - 1})),
            Heading("尚未建立党组织的小区"),
            LedgerTable(ESTATES, missing, fields, mask_ids=mask) if missing.rows
            else Paragraph("无。")]


PERSON_FIELDS = ("area_id", "estate_id", "building", "name", "id_number", "phone",
                 "categories", "risk_level", "controller", "last_visit", "overdue")


def person_sections(db: Database, ids=None, mask: bool = True) -> list:
    rs = _rows(db, KEY_PERSONS, (*PERSON_FIELDS, "released_date"), ids)
    names = [f.name for f in rs.fields]
    cat, risk, released, grid = (names.index(n) for n in ("categories", "risk_level",
                                                          "released_date", "area_id"))
    listed = _subset(rs, lambda r: r[released] is None)
    counts: Counter = Counter()
    for r in listed.rows:
        for c in (r[cat] or "").split("、"):
            counts[(c or "未分类", r[risk] or "未定级")] += 1
    cats = [c for c in CATEGORIES if any(counts[(c, lv)] for lv in RISK_LEVELS)]
    cats += sorted({c for c, _lv in counts} - set(cats))
    header = [["人员类别", *(f"{lv}色" for lv in RISK_LEVELS), "合计"]]
    body = [[c, *(str(counts[(c, lv)]) for lv in RISK_LEVELS),
             str(sum(counts[(c, lv)] for lv in RISK_LEVELS))] for c in cats]
    by_risk = Counter(r[risk] for r in listed.rows)
    body.append(["人数合计", *(str(by_risk[lv]) for lv in RISK_LEVELS), str(len(listed.rows))])
    grids = list_rows(db, GRIDS, (GRIDS.field("parent_id"), GRIDS.field("name")))
    community = dict(zip(grids.column("name"), grids.column("parent_id"), strict=True))
    per_c: dict[str, Counter] = {}
    for r in listed.rows:
        per_c.setdefault(community.get(r[grid], ""), Counter())[r[risk]] += 1
    by_c = [[c, *(str(n[lv]) for lv in RISK_LEVELS), str(sum(n.values()))]
            for c, n in per_c.items()]
    fields = tuple(KEY_PERSONS.field(n) for n in PERSON_FIELDS)
    note = ("按类别统计时，一人属多个类别的分别计入各类别；“人数合计”按人计。"
            + ("身份证号和联系电话已打码。" if mask else ""))
    return [Heading("按类别和风险等级"), Paragraph(note),
            Grid(header, body, weights=[2.4] + [1] * 5, bold=frozenset({len(body) - 1})),
            Heading("按社区和风险等级"),
            Grid([["社区", *(f"{lv}色" for lv in RISK_LEVELS), "合计"]], by_c,
                 weights=[2.4] + [1] * 5),
            Heading("重点人员台账"), LedgerTable(KEY_PERSONS, listed, fields, mask_ids=mask)]


# key → (spec whose rows it prints, sections, landscape); titles: reports.catalog
DOCUMENTS = {
    "grid-roster": (GRID_WORKERS, worker_sections, True),
    "grid-info": (GRIDS, grid_sections, True),
    "party-coverage": (ESTATES, coverage_sections, False),
    "key-person-ledger": (KEY_PERSONS, person_sections, True),
}


def write_grid_document(db: Database, key: str, path: str | os.PathLike, *, ids=None,
                        mask_ids: bool = True, when: date | None = None,
                        progress=None, cancel=None) -> int:
    """Write document `key` as PDF or, for a .xlsx path, a workbook; returns its pages
    (PDF) or sheets (xlsx). Unmasked output needs the right to see personal data whole
    and is audited as such, besides the print itself."""
    from reports.catalog import NAMED
    from reports.sections import build_pdf
    from reports.sections_xlsx import write_sections_xlsx

    spec, sections, landscape = DOCUMENTS[key]
    title = NAMED[key].title
    authorize(db, "export")
    if not mask_ids:
        authorize(db, "reveal")
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise UserError(f"{title}可保存为 .pdf 或 .xlsx：{path}")
    street = db.street_name()
    doc = Document([Masthead(f"{street}{title}", street, "网格化管理", when),
                    *sections(db, ids, mask_ids)],
                   title=f"{street}{title}", author=street, subject="网格化管理",
                   landscape=landscape)
    if suffix == ".pdf":
        n = build_pdf(path, doc, progress=progress, cancel=cancel)
    else:
        n = write_sections_xlsx(path, doc, street=street, when=when)
    what = "打印PDF" if suffix == ".pdf" else "导出Excel"
    audit_output(db, spec.key, f"{what}（{title}）：{path.name}",
                 reveal="" if mask_ids else f"{title}含完整身份证号和联系电话：{path.name}")
    return n


def _writer(key: str):
    def write(db, path, *, ids=None, progress=None, cancel=None):
        return write_grid_document(db, key, path, ids=ids, progress=progress, cancel=cancel)
    return write


# "module:function" names for LedgerSpec.documents (a page prints its selection).
write_grid_roster = _writer("grid-roster")
write_grid_info = _writer("grid-info")
write_party_coverage = _writer("party-coverage")
write_key_person_ledger = _writer("key-person-ledger")
