"""Writing a checked import plan: all of it in one transaction, or nothing.

Rows go in through SQLAlchemy Core executemany in chunks (progress and cancel are
checked between chunks); updates by natural key are one executemany that also
checks each row's version, so a row someone changed since the check is not
overwritten: the whole import is rolled back instead."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError

from app.core.ops import write_operation
from app.core.uow import UnitOfWork
from app.core.writes import insert_rows, soft_delete_all, update_rows
from app.db import Database
from app.errors import UserError, ValidationError
from app.importer.files import paused_gc
from app.importer.plan import MODES, Cancel, ImportCancelled, ImportPlan, Problem, Progress
from app.services import clean_values
from app.specs import get_spec

CHUNK = 5000


@dataclass
class ImportSummary:
    """What an import did (or, when not written, would do). The counts add up:
    read = added + updated + unchanged + skipped + rejected."""

    ledger: str
    file: str
    sheet: str
    mode: str
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: int = 0
    replaced: int = 0  # live rows a replace soft-deleted
    written: bool = False
    dry_run: bool = False
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    created: dict[str, list[str]] = field(default_factory=dict)  # field label → names
    unknown_refs: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # label → …
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    unheaded_columns: list[str] = field(default_factory=list)
    plan: ImportPlan | None = None
    errors_file: str | None = None

    @property
    def ok(self) -> bool:
        """Every row of the file was taken (the CLI's exit 0)."""
        return self.rejected == 0 and (self.written or self.dry_run)

    def lines(self) -> list[str]:
        verb = "将" if not self.written else ""
        csv = self.file.lower().endswith(".csv")  # a CSV file has no sheets to name
        sheet = "" if csv else f"工作表“{self.sheet}”"
        out = [f"{self.ledger}导入（{MODES[self.mode]}）：文件“{self.file}”{sheet}"]
        counts = (f"读取 {self.read} 行：{verb}新增 {self.added} 行，{verb}更新 {self.updated} 行，"
                  f"无变化 {self.unchanged} 行，跳过 {self.skipped} 行，拒绝 {self.rejected} 行")
        out.append(counts)
        if self.skipped_reasons:
            out.append("跳过的行：" + "，".join(f"{k} {v} 行" for k, v in self.skipped_reasons.items()))
        if self.replaced:
            out.append(f"{verb}删除原有记录 {self.replaced} 条（替换整个台账，可在回收站恢复）")
        for label, names in self.created.items():
            out.append(f"{verb}新建{label}：{'、'.join(names)}")
        for label, names in self.unknown_refs.items():
            if label in self.created:
                continue
            for name, rows in names.items():
                out.append(f"{label}“{name}”不存在（第 {_rows_text(rows)} 行）；"
                           "可先添加，或用 --create-missing 一并新建")
        if self.ignored_columns:
            out.append("未导入的列：" + "、".join(self.ignored_columns))
        if self.unheaded_columns:
            out.append("没有标题、未导入但有内容的列：" + "、".join(self.unheaded_columns))
        for p in self.problems[:200]:
            out.append(f"第 {p.row} 行，{p.column}：{p.message}" if csv else p.text())
        if len(self.problems) > 200:
            out.append(f"……另有 {len(self.problems) - 200} 个问题，请保存错误清单查看")
        if self.dry_run:
            out.append("试运行：未写入数据库")
        elif not self.written and self.rejected:
            out.append("有被拒绝的行，未写入任何数据；改正后重新导入，或只导入有效行（--accept-valid）")
        if self.errors_file:
            out.append(f"被拒绝的行已保存到：{self.errors_file}")
        return out

    def text(self) -> str:
        return "\n".join(self.lines())

    @property
    def headline(self) -> str:
        """One line for the CLI's stderr (exit 2) or a status bar."""
        if self.dry_run:
            return (f"试运行：可导入 {self.added + self.updated} 行，拒绝 {self.rejected} 行，"
                    "未写入数据库")
        if not self.written:
            return f"有 {self.rejected} 行被拒绝，未写入任何数据"
        text = f"已导入：新增 {self.added} 行，更新 {self.updated} 行"
        return text + (f"；拒绝 {self.rejected} 行未导入" if self.rejected else "")


def _rows_text(rows: list[int]) -> str:
    shown = "、".join(str(r) for r in rows[:10])
    return shown + (f" 等 {len(rows)}" if len(rows) > 10 else "")  # the caller adds 行


def summarize(plan: ImportPlan, file: str) -> ImportSummary:
    spec = plan.spec
    labels = spec.labels
    return ImportSummary(
        ledger=spec.title, file=file, sheet=plan.grid.sheet, mode=plan.mode,
        read=plan.read, added=len(plan.new_rows), updated=len(plan.updates),
        unchanged=len(plan.unchanged), skipped=len(plan.skipped), rejected=len(plan.rejected),
        replaced=plan.replaced,
        skipped_reasons=dict(Counter(reason for _, reason in plan.skipped)),
        created={labels[f]: names for f, names in plan.to_create().items()},
        unknown_refs={labels[f]: names for f, names in plan.unknown_refs.items()},
        problems=plan.problems,
        ignored_columns=[f"{c.letter}列“{c.heading}”" for c in plan.mapping.unknown_columns],
        unheaded_columns=plan.unheaded,
        plan=plan,
    )


@write_operation
def commit_import(db: Database, plan: ImportPlan, *, file: str = "", accept_valid: bool = False,
                  dry_run: bool = False, progress: Progress | None = None,
                  cancel: Cancel | None = None, source: str = "") -> ImportSummary:
    """Write the plan in one transaction. Without accept_valid a single rejected row
    means nothing is written; with it the valid rows go in and the rest are reported.
    source: where the rows came from when not a file (从剪贴板粘贴), for the audit trail."""
    summary = summarize(plan, file)
    summary.dry_run = dry_run
    if dry_run or (plan.rejected and not accept_valid):
        return summary
    if not plan.new_rows and not plan.updates and not plan.replaced:
        summary.written = True
        return summary
    spec = plan.spec
    total = len(plan.new_rows) + len(plan.updates) + 1
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if cancel is not None and cancel():
            raise ImportCancelled()
        if progress is not None:
            progress(done, total, "写入数据库")

    note = f"（{source}）" if source else f"（导入文件“{file}”）" if file else "（导入）"
    try:
        with UnitOfWork(db, bulk=True) as uow, paused_gc():
            uow.allow("import", db.street_id)
            ids = _create_refs(uow, plan, note)
            if ids:
                _substitute(plan, ids)
            if plan.mode == "replace":
                soft_delete_all(uow, spec, note=note)
            tick(1)
            for i in range(0, len(plan.new_rows), CHUNK):
                chunk = plan.new_rows[i:i + CHUNK]
                insert_rows(uow, spec, chunk, note=note)
                tick(len(chunk))
            if plan.updates:
                update_rows(uow, spec, [(i, v, ch) for i, v, ch, _r in plan.updates], note=note)
                tick(len(plan.updates))
            uow.audit("import", spec.key, summary=_audit_text(summary, source))
    except IntegrityError as exc:
        if not _unique_violation(exc):
            raise
        raise UserError(f"导入失败，数据库未作修改：{spec.title}中已有相同的记录"
                        "（可能有人同时在导入或修改），请重新导入") from exc
    summary.written = True
    return summary


def _unique_violation(exc: IntegrityError) -> bool:
    orig = exc.orig
    return (getattr(orig, "sqlstate", None) == "23505"
            or "UNIQUE constraint failed" in str(orig))


def _audit_text(summary: ImportSummary, source: str = "") -> str:
    text = (f"{source or f'导入文件“{summary.file}”'}（{MODES[summary.mode]}）：新增 {summary.added} 行，"
            f"更新 {summary.updated} 行，拒绝 {summary.rejected} 行")
    if summary.replaced:
        text += f"，替换删除原有记录 {summary.replaced} 条"
    for label, names in summary.created.items():
        text += f"；新建{label}：{'、'.join(names)}"
    return text


def _create_refs(uow: UnitOfWork, plan: ImportPlan, note: str) -> dict[str, dict[int, int]]:
    """Rows of other ledgers named in the file but missing: created first, in the same
    transaction, through the other ledger's own spec, checks and hooks."""
    out = {}
    for fname, holders in plan.placeholders.items():
        if not holders:
            continue
        f = plan.spec.field(fname)
        ref_spec = get_spec(f.ref.ledger)
        rows = []
        extra = plan.placeholder_values.get(fname, {})  # kind, sort_order (rows.py)
        for pid, name in holders.items():
            try:
                rows.append(clean_values(uow.db, ref_spec, {**extra.get(pid, {}), f.ref.label: name},
                                         uow.session))
            except ValidationError as exc:
                raise UserError(f"无法新建{f.label}“{name}”：{exc.message}") from None
        new_ids = insert_rows(uow, ref_spec, rows, note=note)
        out[fname] = dict(zip(holders, new_ids, strict=True))
    return out


def _substitute(plan: ImportPlan, ids: dict[str, dict[int, int]]) -> None:
    for fname, mapping in ids.items():
        for values in plan.new_rows:
            v = values.get(fname)
            if isinstance(v, int) and v < 0:
                values[fname] = mapping[v]
        for _id, _ver, values, _row in plan.updates:
            v = values.get(fname)
            if isinstance(v, int) and v < 0:
                values[fname] = mapping[v]
