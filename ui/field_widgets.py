"""One editor widget per spec field kind, with a common get/set interface."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QWidget,
)

from app.specs import Field

_NO_DATE = QDate(1900, 1, 1)  # the minimum date stands for "not filled in"


class OptionalDateEdit(QDateEdit):
    """A QDateEdit that may be empty (shows 未填写); clicking an empty one starts at today."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(_NO_DATE)
        self.setMaximumDate(QDate(2100, 12, 31))
        self.setSpecialValueText("未填写")
        self.clear_date()

    def is_empty(self) -> bool:
        return self.date() == _NO_DATE

    def clear_date(self) -> None:
        self.setDate(_NO_DATE)

    def value(self) -> date | None:
        return None if self.is_empty() else self.date().toPython()

    def set_value(self, value: date | None) -> None:
        if value is None:
            self.clear_date()
        else:
            self.setDate(QDate(value.year, value.month, value.day))

    def mousePressEvent(self, event):  # noqa: N802 - Qt API
        if self.is_empty():
            self.setDate(QDate.currentDate())
        super().mousePressEvent(event)

    def keyPressEvent(self, event):  # noqa: N802 - Qt API
        if self.is_empty() and event.text().isdigit():
            self.setDate(QDate.currentDate())
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and self.is_empty():
            return
        super().keyPressEvent(event)


class Editor:
    """Wraps the widget for one field: value() is what save_row accepts."""

    def __init__(self, field: Field, widget: QWidget, focus: QWidget | None = None):
        self.field = field
        self.widget = widget  # what goes into the layout
        self.focus = focus or widget  # what takes the keyboard

    def value(self):
        raise NotImplementedError

    def set_value(self, value) -> None:
        raise NotImplementedError

    def display_text(self) -> str:
        """The value as the table would show it, for the conflict dialog."""
        return self.field.display(self.value())

    def display_of(self, value) -> str:
        """A stored value (refs as ids) as text."""
        return self.field.display(value)

    def set_read_only(self) -> None:
        """Shown, selectable where the widget allows it, not editable (viewers)."""
        self.widget.setEnabled(False)


class LineEditor(Editor):
    def __init__(self, field: Field):
        w = QLineEdit()
        if field.max_length:
            w.setMaxLength(field.max_length)
        if field.hint:
            w.setPlaceholderText(field.hint)
        super().__init__(field, w)

    def value(self):
        return self.widget.text()

    def set_value(self, value) -> None:
        self.widget.setText("" if value is None else str(value))

    def set_read_only(self) -> None:
        self.widget.setReadOnly(True)


class MaskedEditor(LineEditor):
    """An ID number or phone: shown masked (510502********1234) until the user asks to
    see it whole (audited by the caller's `reveal`); an untouched masked text keeps the
    stored value. Viewers never get the button."""

    def __init__(self, field: Field, reveal=None):
        super().__init__(field)
        from reports import mask_id

        self._mask, self._stored, self._shown = mask_id, "", ""
        box = QWidget()
        lay = QHBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        edit = self.widget
        lay.addWidget(edit, 1)
        self.reveal_button = QToolButton()
        self.reveal_button.setText("显示完整号码")
        self.reveal_button.setToolTip("显示完整号码（会记入操作留痕）")
        self.reveal_button.clicked.connect(self._reveal)
        self.reveal_button.setVisible(reveal is not None)
        lay.addWidget(self.reveal_button)
        self._reveal_cb = reveal
        self.widget, self.focus = box, edit
        self.edit = edit

    def _reveal(self) -> None:
        if self._reveal_cb is not None and self._reveal_cb():
            self.edit.setText(self._stored)
            self._shown = self._stored
            self.reveal_button.hide()

    def value(self):
        text = self.edit.text()
        return self._stored if text == self._shown else text

    def set_value(self, value) -> None:
        self._stored = "" if value is None else str(value)
        self._shown = self._mask(self._stored) if self._stored else ""
        self.edit.setText(self._shown)

    def set_read_only(self) -> None:
        self.edit.setReadOnly(True)


class TextEditor(Editor):
    def __init__(self, field: Field):
        w = QPlainTextEdit()
        w.setTabChangesFocus(True)
        w.setFixedHeight(w.fontMetrics().lineSpacing() * 3 + 14)
        if field.hint:
            w.setPlaceholderText(field.hint)
        super().__init__(field, w)

    def value(self):
        return self.widget.toPlainText()

    def set_value(self, value) -> None:
        self.widget.setPlainText("" if value is None else str(value))

    def set_read_only(self) -> None:
        self.widget.setReadOnly(True)


class ChoiceEditor(Editor):
    """Enum (data = label) or ref (data = row id) in a combo; the first item is blank."""

    def __init__(self, field: Field, choices: list[tuple[object, str]]):
        w = QComboBox()
        w.addItem("（请选择）" if field.required else "（不填）", None)
        for data, label in choices:
            w.addItem(label, data)
        w.setMaxVisibleItems(20)
        super().__init__(field, w)

    def value(self):
        data = self.widget.currentData()
        return self.field.empty if data is None else data

    def set_value(self, value) -> None:
        i = self.widget.findData(value) if value not in (None, "") else 0
        if i < 0 and isinstance(value, str):  # a stored value no longer among the choices
            self.widget.addItem(value, value)
            i = self.widget.count() - 1
        self.widget.setCurrentIndex(max(i, 0))

    def display_text(self) -> str:
        return self.widget.currentText() if self.widget.currentIndex() > 0 else ""

    def has_choice(self, value) -> bool:
        return self.widget.findData(value) >= 0

    def add_choice(self, value, label: str) -> None:
        """A stored reference no longer offered (its row is in the recycle bin): shown by
        name and kept, so saving the form leaves it untouched."""
        self.widget.addItem(label, value)

    def display_of(self, value) -> str:
        if value in (None, ""):
            return ""
        i = self.widget.findData(value)
        return self.widget.itemText(i) if i >= 0 else str(value)


class DateEditor(Editor):
    def __init__(self, field: Field):
        box = QWidget()
        edit = OptionalDateEdit()
        clear = QToolButton()
        clear.setText("清空")
        clear.setToolTip("清空日期")
        clear.clicked.connect(edit.clear_date)
        lay = QHBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(edit)
        lay.addWidget(clear)
        lay.addStretch(1)
        self.edit = edit
        super().__init__(field, box, edit)

    def value(self):
        return self.edit.value()

    def set_value(self, value) -> None:
        self.edit.set_value(value)


class IntEditor(Editor):
    """A spin box; an optional number can also be left empty: one step below the lowest
    value reads 未填写 (Qt's special value), so an empty grade is not saved as 1."""

    def __init__(self, field: Field):
        w = QSpinBox()
        lo, hi = field.bounds or (0, 999_999_999)
        self.empty = None if field.required else lo - 1
        w.setRange(lo if self.empty is None else self.empty, hi)
        if self.empty is not None:
            w.setSpecialValueText("未填写")
        w.setMinimumWidth(120)
        if field.hint:
            w.setToolTip(field.hint)
        super().__init__(field, w)

    def value(self):
        v = self.widget.value()
        return None if v == self.empty else v

    def set_value(self, value) -> None:
        if value is None or value == "":
            self.widget.setValue(self.empty if self.empty is not None else 0)
        else:
            self.widget.setValue(int(value))


def make_editor(field: Field, ref_choices: list[tuple[int, str]] | None = None,
                reveal=None) -> Editor:
    """`reveal()` → bool: asked before showing a masked value whole (None: never)."""
    from reports import is_masked_field

    if is_masked_field(field):
        return MaskedEditor(field, reveal)
    if field.type.is_ref:
        return ChoiceEditor(field, list(ref_choices or []))
    if field.type.editor == "combo":  # 是/否 stored as True/False, a choice as itself
        kind = field.type
        return ChoiceEditor(field, [(kind.filter_value(field, c), c) for c in kind.pick_list(field)])
    return EDITORS[field.type.editor](field)


class TagsEditor(Editor):
    """Several values from the field's list: a button showing the picked ones, with a
    menu of check boxes (the menu stays open while ticking)."""

    def __init__(self, field: Field):
        from PySide6.QtWidgets import QMenu

        w = QToolButton()
        w.setPopupMode(QToolButton.InstantPopup)
        w.setMinimumWidth(220)
        w.setToolButtonStyle(Qt.ToolButtonTextOnly)
        menu = QMenu(w)
        self.actions = []
        for c in field.choices:
            act = menu.addAction(c)
            act.setCheckable(True)
            act.toggled.connect(self._show)
            self.actions.append(act)
        w.setMenu(menu)
        super().__init__(field, w)
        self._show()

    def _show(self, *_args) -> None:
        self.widget.setText(self.value() or "（未选择）")

    def value(self):
        return "、".join(a.text() for a in self.actions if a.isChecked())

    def set_value(self, value) -> None:
        picked = set((value or "").split("、"))
        for a in self.actions:
            a.setChecked(a.text() in picked)
        self._show()


# One editor per Kind.editor name (app.specs.kinds): a new kind names one of these.
EDITORS = {"line": LineEditor, "multiline": TextEditor, "date": DateEditor,
           "int": IntEditor, "tags": TagsEditor}
