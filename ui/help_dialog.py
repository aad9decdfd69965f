"""帮助 → 使用说明 (F1): the Chinese user guide docs/使用说明.md shown in the app, its
screenshots resolved next to it (docs/images). Not modal, so the guide can stay open
beside the window while one follows it."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QUrl
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
)

from ui.dialogs import fit_screen

GUIDE = "使用说明.md"


def docs_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # a PyInstaller build ships docs/ beside resources/
    root = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return root / "docs"


class UserGuideDialog(QDialog):
    def __init__(self, parent=None, path: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle("使用说明")
        self.path = path or docs_dir() / GUIDE
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(self.path.parent)])
        self.browser.viewport().installEventFilter(self)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("查找（回车找下一处）")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_status = QLabel()
        self.find_status.setStyleSheet("color: #666;")
        find_button = QPushButton("查找下一处")
        find_button.clicked.connect(self.find_next)
        QShortcut(QKeySequence.Find, self, self.find_edit.setFocus)
        bar = QHBoxLayout()
        bar.addWidget(self.find_edit, 1)
        bar.addWidget(find_button)
        bar.addWidget(self.find_status)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.browser, 1)
        lay.addWidget(buttons)
        fit_screen(self, 900, 680)
        self.load()

    def load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            self.browser.setPlainText(f"找不到使用说明文件：{self.path}\n请重新安装本程序，或联系维护人员。")
            return
        doc = self.browser.document()
        # Relative image paths (images/…png) resolve against the guide's own folder.
        doc.setBaseUrl(QUrl.fromLocalFile(str(self.path.parent) + "/"))
        doc.setMarkdown(text, QTextDocument.MarkdownDialectGitHub)
        self.fit_images()
        self.browser.moveCursor(QTextCursor.Start)  # open at the top, not where layout ended

    def fit_images(self) -> None:
        """Screenshots wider than the reading area are shown scaled to fit it (no sideways
        scrolling); narrower ones at their own size."""
        doc = self.browser.document()
        room = self.browser.viewport().width() - 2 * doc.documentMargin() - 24
        cursor = QTextCursor(doc)
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                fmt = frag.charFormat()
                if fmt.isImageFormat():
                    image = fmt.toImageFormat()
                    natural = doc.resource(QTextDocument.ImageResource, QUrl(image.name()))
                    w = natural.width() if natural is not None and not natural.isNull() else 0
                    if w:
                        scale = min(1.0, room / w)
                        image.setWidth(w * scale)
                        image.setHeight(natural.height() * scale)
                        cursor.setPosition(frag.position())
                        cursor.setPosition(frag.position() + frag.length(), QTextCursor.KeepAnchor)
                        cursor.setCharFormat(image)
                it += 1
            block = block.next()

    def eventFilter(self, watched, event):  # noqa: N802 - Qt API
        if event.type() == QEvent.Resize and watched is self.browser.viewport():
            self.fit_images()  # the reading area's new width
        return super().eventFilter(watched, event)

    def find_next(self) -> bool:
        word = self.find_edit.text().strip()
        if not word:
            return False
        found = self.browser.find(word)
        if not found:  # wrap round to the top once
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            self.browser.setTextCursor(cursor)
            found = self.browser.find(word)
        self.find_status.setText("" if found else f"没有找到“{word}”")
        return found
