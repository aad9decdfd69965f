"""Printed documents a ledger declares (LedgerSpec.documents): a toolbar action each.
One-row documents (a meeting's pack, its minutes) print the selected row; the others
(一小区一图示 on the estates page) the selected rows — or, with none selected, the rows
shown. Both run off the GUI thread, then show the PDF's print preview."""

from __future__ import annotations

import importlib
from datetime import date

from ui.exports import ask_save_path, print_pdf, safe_file_part, visible_rowset


def add_document_actions(page) -> None:
    """One toolbar button per document: a one-row document acts on the selected row (and
    is enabled with it, as a child action); the others have a menu: the selected rows, or
    every row shown."""
    from PySide6.QtWidgets import QMenu, QToolButton

    page.document_actions = {}
    for doc in page.spec.documents:
        if doc.one_row:
            act = page.child_actions[doc.label] = page._action(
                doc.label, lambda _checked=False, d=doc: row_document(page, d), None, doc.hint)
            page.document_actions[doc.key] = act
            continue
        act = page._action(doc.label, lambda _checked=False, d=doc: print_document(page, d),
                           None, doc.hint or f"生成{doc.label}")
        menu = QMenu(page)
        menu.addAction(f"选中的{page.spec.title}…",
                       lambda d=doc: print_document(page, d, selected=True))
        menu.addAction(f"列表中的全部{page.spec.title}…",
                       lambda d=doc: print_document(page, d, selected=False))
        act.setMenu(menu)
        button = page.toolbar.widgetForAction(act)
        if isinstance(button, QToolButton):
            button.setPopupMode(QToolButton.InstantPopup)
        page.document_actions[doc.key] = act


def chosen_ids(page, selected: bool) -> list[int]:
    """The selected rows in the order shown, or every row shown."""
    if selected:
        return [page.model.row_id(r) for r in page.selected_rows()]
    return list(visible_rowset(page).ids)


def print_document(page, doc, selected: bool = True, path=None) -> None:
    ids = chosen_ids(page, selected)
    if not ids:
        page.message.emit(f"{'未选中记录' if selected else '列表中没有记录'}，无法生成{doc.label}")
        return
    one = ids[0] if len(ids) == 1 else None
    label = page.spec.label_fields[0] if page.spec.label_fields else None
    what = ""
    if one is not None and label:
        from app.services import get_row

        what = str(get_row(page.db, page.spec, one).get(label) or "")
    name = "_".join(p for p in (safe_file_part(page.db.street_name() + doc.label),
                                safe_file_part(what), f"{date.today():%Y%m%d}") if p) + ".pdf"
    path = path or ask_save_path(page, doc.label, name, "PDF 文件 (*.pdf)", ".pdf")
    if path is None:
        return
    module, func = doc.writer.split(":")
    write = getattr(importlib.import_module(module), func)  # imported here, on the GUI thread

    print_pdf(page, path, doc.label,
              lambda task: write(page.db, path, ids=ids, progress=task.progress,
                                 cancel=lambda: task.cancelled),
              lambda pages: f"已生成{doc.label}（{len(ids)} 个，{pages} 页）")


def row_document(page, doc) -> None:
    """Write a one-row document (a meeting's pack or minutes) of the selected row where
    the user chooses, off the GUI thread; then offer to open it."""
    row_id = page.current_id()
    if row_id is None:
        page.message.emit(f"请先选中一条{page.spec.title}记录")
        return
    module, name = doc.writer.split(":")
    write = getattr(importlib.import_module(module), name)  # on the main thread (see ui.exports._writers)
    from app.services import get_row

    row = get_row(page.db, page.spec, row_id)
    label = "".join(str(row.get(k) or "") for k in page.spec.label_fields)
    base = safe_file_part(f"{label or page.spec.title}{doc.file_name}")
    path = ask_save_path(page, doc.label, f"{base}_{date.today():%Y%m%d}.pdf",
                         "PDF 文件 (*.pdf)", ".pdf")
    if path is None:
        return

    print_pdf(page, path, doc.file_name, lambda _task: write(page.db, path, row_id),
              lambda pages: f"已生成{doc.file_name}（{pages} 页）")

