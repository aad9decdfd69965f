"""Cell painting of the ledger tables: a coloured cell (a state, a warning) in the column
the header stretches keeps its colour to the width of its text, as in the other
columns; the rest of the stretched cell is painted as an empty cell (selection and
alternating rows as usual). Otherwise a wide window filled most of a row in blue."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

PADDING = 18  # the style's text margins, both sides, and a little air
MIN_WIDTH = 72


class StretchedColourDelegate(QStyledItemDelegate):
    def paint(self, painter, option, index):
        view = self.parent()
        header = view.horizontalHeader()
        if (index.data(Qt.BackgroundRole) is None or not header.stretchLastSection()
                or index.column() != _last_visible(header)):
            super().paint(painter, option, index)
            return
        text = str(index.data(Qt.DisplayRole) or "")
        width = max(option.fontMetrics.horizontalAdvance(text) + PADDING,
                    header.sectionSizeHint(index.column()), MIN_WIDTH)
        if option.rect.width() <= width:
            super().paint(painter, option, index)
            return
        coloured = QStyleOptionViewItem(option)
        coloured.rect = QRect(option.rect.left(), option.rect.top(), width, option.rect.height())
        super().paint(painter, coloured, index)
        rest = QStyleOptionViewItem(option)
        self.initStyleOption(rest, index)
        rest.rect = QRect(option.rect.left() + width, option.rect.top(),
                          option.rect.width() - width, option.rect.height())
        rest.text = ""
        rest.backgroundBrush = QBrush()
        rest.features &= ~QStyleOptionViewItem.HasDisplay
        style = view.style() if view is not None else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, rest, painter, view)


def _last_visible(header) -> int:
    for visual in range(header.count() - 1, -1, -1):
        logical = header.logicalIndex(visual)
        if not header.isSectionHidden(logical):
            return logical
    return -1
