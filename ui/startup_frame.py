"""The window shown the moment Qt is up, before the data layer (SQLAlchemy, the
models, the database) is even imported: the app's title and what it is doing, with a
busy bar, so a clerk never looks at nothing while the database opens. The main
window takes its place once its first page is filled."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar, QVBoxLayout, QWidget

from app import APP_TITLE

SIZE = (1366, 768)  # as the main window's default


class StartupFrame(QMainWindow):
    def __init__(self):
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.resize(*SIZE)
        title = QLabel(APP_TITLE)
        title.setAlignment(Qt.AlignCenter)
        title.setStyleSheet("font-size: 20pt; color: #0b3d77;")
        self.step = QLabel("正在启动……")
        self.step.setAlignment(Qt.AlignCenter)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: the steps have no known length
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(320)
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.addStretch(2)
        lay.addWidget(title)
        lay.addWidget(self.step)
        lay.addWidget(self.bar, 0, Qt.AlignHCenter)
        lay.addStretch(3)
        self.setCentralWidget(body)

    def say(self, text: str) -> None:
        """Show the step and let Qt paint it (the work that follows blocks the loop)."""
        from PySide6.QtWidgets import QApplication

        self.step.setText(text)
        QApplication.processEvents()
