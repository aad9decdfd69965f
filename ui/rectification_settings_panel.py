"""设置 → 整改预警与评比: the warning thresholds, the 红黑榜 rules and the number prefix
of the 整改台账 (app.rectification_settings: stored in the database, audited). An
administrator edits them; others see them read-only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError, ValidationError
from app.rectification_settings import _BOUNDS, LABELS, get_settings, set_settings
from ui.dialogs import show_error
from ui.form_dialog import ERROR_STYLE

_GROUPS = (("预警规则", ("warn_days", "stale_days", "behind_share")),
           ("红黑榜评比规则", ("completion_weight", "on_time_weight", "target", "top", "bottom")),
           ("问题编号", ("number_prefix",)))
_SUFFIX = {"warn_days": " 天", "stale_days": " 天", "behind_share": " %",
           "completion_weight": " %", "on_time_weight": " %", "target": " %", "top": " 名",
           "bottom": " 名"}
_NOTES = {
    "warn_days": "距整改时限不超过这么多天（含当天）显示蓝色预警",
    "stale_days": "最近一次进展距今超过这么多天显示黄色预警",
    "behind_share": "填报进度低于“已用时间占比”的这个比例显示黄色预警",
    "completion_weight": "两项权重之和须为 100%",
    "number_prefix": "如 ZG，编号为 ZG-2026-0001；已有编号不变，新编号按年连续、永不重复",
}


class RectificationSettingsPanel(QWidget):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        from ui.login import may

        self.db = db
        self.may_edit = may(db, "settings")
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        col = QVBoxLayout()
        for title, names in _GROUPS:
            head = QLabel(title)
            head.setStyleSheet("font-weight: bold; margin-top: 6px;")
            col.addWidget(head)
            form = QFormLayout()
            for name in names:
                form.addRow(LABELS[name], self._editor(name))
            col.addLayout(form)
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(self.save)
        self.save_button.setVisible(self.may_edit)
        self.status = QLabel("" if self.may_edit else "只有管理员可以修改这些设置")
        self.status.setStyleSheet("color: #2e7d32;" if self.may_edit else "color: #666;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status)
        buttons.addStretch(1)
        col.addLayout(buttons)
        note = QLabel("预警在整改台账表格中按颜色显示（红：逾期；黄：滞后；蓝：临期），各类报告同样着色。"
                      "修改后刷新页面即按新规则计算；已发布的红黑榜不受影响。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        col.addWidget(note)
        inner = QWidget()
        inner.setMaximumWidth(640)
        inner.setLayout(col)
        lay = QVBoxLayout(self)
        lay.addWidget(inner)
        lay.addStretch(1)
        self.load()

    def _editor(self, name: str) -> QWidget:
        if name == "number_prefix":
            edit = QLineEdit()
            edit.setMaxLength(8)
        elif name == "target":
            edit = QDoubleSpinBox()
            edit.setDecimals(1)
            edit.setRange(*_BOUNDS[name])
        else:
            edit = QSpinBox()
            edit.setRange(*_BOUNDS[name])
        if name in _SUFFIX:
            edit.setSuffix(_SUFFIX[name])
        edit.setEnabled(self.may_edit)
        self.editors[name] = edit
        error = self.errors[name] = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.hide()
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(edit)
        if name in _NOTES:
            hint = QLabel(_NOTES[name])
            hint.setStyleSheet("color: #666;")
            hint.setWordWrap(True)
            v.addWidget(hint)
        v.addWidget(error)
        return w

    def load(self) -> None:
        st = get_settings(self.db)
        for name, edit in self.editors.items():
            value = getattr(st, name)
            edit.setText(value) if isinstance(edit, QLineEdit) else edit.setValue(value)

    def values(self) -> dict:
        return {name: e.text() if isinstance(e, QLineEdit) else e.value()
                for name, e in self.editors.items()}

    def save(self) -> None:
        for label in self.errors.values():
            label.hide()
        self.status.clear()
        try:
            set_settings(self.db, **self.values())
        except ValidationError as exc:
            for key, msg in exc.errors.items():
                if key in self.errors:
                    self.errors[key].setText(msg)
                    self.errors[key].show()
            return
        except UserError as exc:
            show_error(self, exc)
            return
        self.load()
        self.status.setText("已保存")
