"""Steps 4 and 5 of the import wizard: what the check found (nothing written yet),
and what the import wrote."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.importer import ImportPlan, ImportSummary
from ui.dialogs import fill_height
from ui.import_pages import ProgressRow, error_label, page_title, rows_text
from ui.login import note_label
from ui.text_table import TextTableModel, text_table_view

OK_COLOUR, BAD_COLOUR = "#2e7d32", "#c62828"
# ImportSummary.lines() is shared with the command line; in the wizard, name its choices.
GUI_WORDS = (("用 --create-missing 一并新建", "在第三步勾选“自动新建…”一并新建"),
             ("（--accept-valid）", "（勾选“只导入有效行”）"))


def show_note(label: QLabel, text: str, ok: bool) -> None:
    label.setText(text)
    label.setStyleSheet(f"color: {OK_COLOUR if ok else BAD_COLOUR};")
    label.show()


def gui_text(line: str) -> str:
    for cli, gui in GUI_WORDS:
        line = line.replace(cli, gui)
    return line


class CheckPage(QWidget):
    def __init__(self, parent=None, title: str = "第四步：检查结果（尚未写入任何数据）"):
        super().__init__(parent)
        self.progress = ProgressRow()
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.RichText)
        self.counts.setWordWrap(True)
        self.notes = note_label("")
        self.notes.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.problems = TextTableModel(["工作表", "行", "列", "说明"], self)
        self.unknown = TextTableModel(["字段", "文件中写的名称", "出现在第几行"], self)
        self.skipped = TextTableModel(["行", "跳过原因"], self)
        self.tabs = QTabWidget()
        self.problem_view = text_table_view(self.problems, [8, 4, 16])
        self.tabs.addTab(self.problem_view, "问题")
        unknown_tab = QWidget()
        ul = QVBoxLayout(unknown_tab)
        ul.setContentsMargins(0, 4, 0, 0)
        self.unknown_hint = note_label("")
        ul.addWidget(self.unknown_hint)
        ul.addWidget(text_table_view(self.unknown, [8, 16]), 1)
        self.tabs.addTab(unknown_tab, "不存在的名称")
        self.tabs.addTab(text_table_view(self.skipped, [6]), "跳过的行")
        self.save_button = QPushButton("保存被拒绝的行…")
        self.save_button.setToolTip("把被拒绝的行按文件原来的列保存为 Excel，并加一列“错误说明”；"
                                    "改正后可直接重新导入")
        self.accept_valid = QCheckBox("只导入有效行（被拒绝的行不导入）")
        self.saved_note = note_label("")
        self.saved_note.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.error = error_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.accept_valid)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(page_title(title))
        lay.addWidget(self.progress)
        lay.addWidget(self.error)
        lay.addWidget(self.counts)
        lay.addWidget(self.notes)
        lay.addWidget(fill_height(self.tabs, self.fontMetrics().height() * 10), 1)  # notes scroll
        lay.addLayout(buttons)
        lay.addWidget(self.saved_note)
        lay.addStretch(0)  # takes the height while the tabs are hidden
        self.clear()

    def clear(self) -> None:
        self.counts.clear()
        self.notes.clear()
        self.error.hide()
        for model in (self.problems, self.unknown, self.skipped):
            model.set_rows([])
        for w in (self.tabs, self.save_button, self.accept_valid, self.saved_note):
            w.hide()
        self.accept_valid.setChecked(False)

    def show_failed(self, message: str | None) -> None:
        self.error.setText(message or "已取消检查，未写入任何数据。可以返回上一步修改后重新检查。")
        self.error.show()

    def show_saved(self, text: str, ok: bool) -> None:
        show_note(self.saved_note, text, ok)

    def show_plan(self, plan: ImportPlan, summary: ImportSummary) -> None:
        """Counts, notes and the three lists; `summary` is summarize(plan) (unwritten)."""
        counts = [("读取", summary.read, None), ("将新增", summary.added, OK_COLOUR),
                  ("将更新", summary.updated, "#1565c0"), ("无变化", summary.unchanged, None),
                  ("跳过", summary.skipped, None),
                  ("拒绝", summary.rejected, BAD_COLOUR if summary.rejected else None)]
        self.counts.setText("&nbsp;&nbsp;&nbsp;&nbsp;".join(
            f'{k} <b style="font-size:14pt;{f"color:{c}" if c else ""}">{v:,}</b> 行'
            for k, v, c in counts))
        notes = []
        if summary.replaced:
            notes.append(f"替换整个台账：将删除现有的 {summary.replaced:,} 条记录（可在回收站恢复）。")
        for label, names in summary.created.items():
            notes.append(f"将新建{label}：{'、'.join(names)}。")
        if summary.skipped_reasons:
            notes.append("跳过的行：" + "，".join(f"{k} {v} 行"
                                               for k, v in summary.skipped_reasons.items()) + "。")
        if summary.ignored_columns:
            notes.append("不导入的列：" + "、".join(summary.ignored_columns) + "。")
        if summary.unheaded_columns:
            notes.append("没有标题、不导入但有内容的列：" + "、".join(summary.unheaded_columns) + "。")
        if summary.rejected:
            notes.append("有被拒绝的行时不写入任何数据：可保存被拒绝的行，在 Excel 中改正后重新导入；"
                         "或勾选“只导入有效行”。")
        elif not summary.added and not summary.updated and not summary.replaced:
            notes.append("文件中没有需要写入的新数据或更改。")
        self.notes.setText("\n".join(notes))
        self.problems.set_rows([(p.sheet, str(p.row), p.column, p.message)
                                for p in plan.problems])
        labels = plan.spec.labels
        self.unknown.set_rows([(labels[f], name, rows_text(rows))
                               for f, names in plan.unknown_refs.items()
                               for name, rows in names.items()])
        self.skipped.set_rows([(str(r), reason) for r, reason in plan.skipped])
        self.unknown_hint.setText(
            "这些名称将在导入时一并新建（行号为首次出现的行）。" if plan.create_missing else
            "本街道还没有这些名称，用到它们的行会被拒绝。可先在“设置”中添加；或回到上一步，勾选"
            "“自动新建文件中出现的未知…”，导入时一并新建。")
        self.tabs.setTabText(0, f"问题（{len(plan.problems):,}）")
        self.tabs.setTabText(1, f"不存在的名称（{self.unknown.rowCount():,}）")
        self.tabs.setTabText(2, f"跳过的行（{len(plan.skipped):,}）")
        self.tabs.setCurrentIndex(1 if plan.unknown_refs and plan.create_missing
                                  or (plan.unknown_refs and not plan.problems) else 0)
        if plan.problems:  # the column headings are long; an empty table keeps its widths
            view = self.problem_view
            view.resizeColumnToContents(2)
            view.setColumnWidth(2, min(max(view.columnWidth(2), view.columnWidth(1)), 320))
        self.tabs.show()
        self.save_button.setVisible(bool(plan.rejected))
        self.accept_valid.setVisible(bool(plan.rejected))
        self.accept_valid.setText(f"只导入有效的 {plan.valid:,} 行（被拒绝的 {len(plan.rejected):,} "
                                  "行不导入）")
        self.accept_valid.setEnabled(plan.valid > 0)


class CommitPage(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.progress = ProgressRow()
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.error = error_label()
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.save_button = QPushButton("保存被拒绝的行…")
        self.saved_note = note_label("")
        self.saved_note.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay = QVBoxLayout(self)
        lay.addWidget(page_title("第五步：导入"))
        lay.addWidget(self.progress)
        lay.addWidget(self.headline)
        lay.addWidget(self.error)
        lay.addWidget(fill_height(self.text, self.fontMetrics().height() * 6), 1)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.saved_note, 1)
        row.addStretch(0)  # keeps the button its size while the note is hidden
        lay.addLayout(row)
        lay.addStretch(0)  # takes the height while the text is hidden
        self.clear()

    def clear(self) -> None:
        self.headline.clear()
        for w in (self.error, self.text, self.save_button, self.saved_note):
            w.hide()
        self.text.clear()

    def show_saved(self, text: str, ok: bool) -> None:
        show_note(self.saved_note, text, ok)

    def _headline(self, text: str, colour: str) -> None:
        self.headline.setText(text)
        self.headline.setStyleSheet(f"font-size: 13pt; font-weight: bold; color: {colour};")

    def show_summary(self, summary: ImportSummary) -> None:
        self._headline(summary.headline, OK_COLOUR if summary.written else BAD_COLOUR)
        from app.importer import mapping_lines

        lines = summary.lines() + [line.replace("；", "\n  ") for line in
                                   mapping_lines(summary.plan)]
        self.text.setPlainText("\n".join(gui_text(line) for line in lines))
        self.text.show()
        self.save_button.setVisible(bool(summary.rejected and summary.plan is not None))

    def show_failed(self, message: str | None) -> None:
        self._headline("已取消，未写入任何数据" if message is None else "导入未完成，未写入任何数据",
                       BAD_COLOUR)
        if message:
            self.error.setText(message)
            self.error.show()
        self.text.setPlainText("数据库保持导入前的状态。点“上一步”重新检查后可再次导入。")
        self.text.show()
