"""A layout that lines its widgets up left to right and wraps onto the next row when the
width runs out (Qt's Flow Layout example): the filter bar's combos and the summary
strip's chips, which in one row made a ledger page wider than a 1366×768 screen at
150 % (整改台账: ten filters, 1,900 px).

Its minimum width is its widest item; its height follows its width (heightForWidth)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QSizePolicy, QWidget, QWidgetItem


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 4):
        super().__init__(parent)
        self._items = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    # -- QLayout ----------------------------------------------------------------
    def addItem(self, item) -> None:  # noqa: N802 - Qt API
        self._items.append(item)

    def insertWidget(self, index: int, widget: QWidget) -> None:  # noqa: N802 - QBoxLayout's
        self.addChildWidget(widget)
        self._items.insert(max(0, min(index, len(self._items))), QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):  # noqa: N802 - Qt API
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):  # noqa: N802 - Qt API
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):  # noqa: N802 - Qt API
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt API
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """All in one row: what the layout would like."""
        shown = self._shown()
        width = sum(i.sizeHint().width() for i in shown) + self._spacing * max(len(shown) - 1, 0)
        height = max((i.sizeHint().height() for i in shown), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt API
        """The widest item: the others wrap."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    # -- placing -------------------------------------------------------------------
    def _shown(self) -> list:
        return [i for i in self._items if not (i.widget() and i.widget().isHidden())]

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Place the items in rows (move=True) and return the height they take."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, row_height = area.x(), area.y(), 0
        row: list = []

        def finish_row() -> None:  # items of a row share its height, centred in it
            if move:
                for item, at in row:
                    hint = item.sizeHint()
                    h = min(hint.height(), row_height) if item.widget() is None or \
                        item.widget().sizePolicy().verticalPolicy() != QSizePolicy.Expanding \
                        else row_height
                    item.setGeometry(QRect(QPoint(at, y + (row_height - h) // 2),
                                           QSize(min(hint.width(), area.width()), h)))
            row.clear()

        for item in self._shown():
            hint = item.sizeHint()
            if row and x + hint.width() > area.right() + 1:
                finish_row()
                x, y = area.x(), y + row_height + self._spacing
                row_height = 0
            row.append((item, x))
            x += hint.width() + self._spacing
            row_height = max(row_height, hint.height())
        finish_row()
        return y + row_height - rect.y() + m.bottom()
