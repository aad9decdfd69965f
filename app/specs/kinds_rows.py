"""Field kinds that stand for other rows: a reference to another ledger's row, a row's
attachments, and a child collection written as one cell."""

from __future__ import annotations

import re

from app.normalize import clean_text, to_halfwidth
from app.specs.kinds import Kind


class RefKind(Kind):
    """Names a row of another ledger (stored as its id; tables show its label)."""

    name = "ref"
    plain_text = False
    editor = "ref"
    is_ref = True
    choice = True
    empty = None

    def parse(self, f, raw):
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw  # an id, checked by the write path
        return super().parse(f, raw)  # a label, resolved by app.services.clean_values

    def hint(self, f) -> str:
        return f"填写本街道已有的{f.label}名称"


class AttachmentKind(Kind):
    """Photos and documents kept in the database (app.attachments); the table shows
    how many a row has."""

    name = "attachment"
    plain_text = False
    converts_cell = True
    editor = "attachments"
    stored = False
    numeric = False
    collate = initials = False
    wrap = False
    empty = None

    def parse(self, f, raw):
        raise ValueError("附件请在表单中添加")

    def display(self, f, value) -> str:
        return f"{value} 个" if value else ""


class CollectionKind(Kind):
    """A child collection (app.specs.Children) as one cell of a sheet, for import and
    export: 2024年12件；2025年3件. The form edits the rows in a table of their own."""

    name = "collection"
    plain_text = False
    editor = "collection"
    stored = False
    collate = initials = False
    empty = None

    def parse(self, f, raw):
        if isinstance(raw, list):  # rows from the form's table: checked when written
            return raw
        text = to_halfwidth(clean_text(raw))
        if not text:
            return []
        child = f.collection
        rows, problems = [], []
        for n, part in enumerate((p.strip() for p in re.split(r"[;；\n]+", text)), 1):
            if not part:
                continue
            try:
                rows.append(child.typed(child.parse_item(part)))
            except ValueError as exc:
                problems.append(f"第{n}项“{part}”{exc}")
        if problems:
            raise ValueError("；".join(problems))
        if child.primary and rows and not any(r.get(child.primary) for r in rows):
            for k, r in enumerate(rows):  # a cell lists the primary item first (主岗在前)
                r[child.primary] = k == 0
        return child.sorted(rows)

    def display(self, f, value) -> str:
        if not value:
            return ""
        if isinstance(value, str):
            return value
        return "；".join(f.collection.describe(r) for r in value)

    def hint(self, f) -> str:
        return f.collection.column_hint or "多项用“；”分隔"


ROW_KINDS = (RefKind(), AttachmentKind(), CollectionKind())
