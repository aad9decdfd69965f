"""帮助 → 关于: the version, where the data and logs are, and the bundled fonts' licences."""

from __future__ import annotations

import platform

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_TITLE, __version__
from app.paths import data_dir, resource

# Licences of the libraries inside the installed app (all permit redistribution).
COMPONENTS = ("Qt / Qt for Python（PySide6，LGPLv3）、SQLAlchemy 与 Alembic（MIT）、"
              "ReportLab（BSD）、openpyxl（MIT）、python-calamine（MIT）、"
              "psycopg（LGPLv3）、argon2-cffi（MIT）、platformdirs（MIT）")


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label


class AboutDialog(QDialog):
    @staticmethod
    def open_data_folder() -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir())))

    def __init__(self, db=None, parent: QWidget | None = None):
        super().__init__(parent)
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        from app.logs import log_dir
        from reports.fonts import font_licences  # reads no font: no reportlab import

        self.setWindowTitle(f"关于{APP_TITLE}")
        icon = QLabel()
        pix = QPixmap(str(resource("icons", "streetledger.png")))
        if not pix.isNull():
            icon.setPixmap(pix.scaled(72, 72, Qt.KeepAspectRatio, Qt.SmoothTransformation))
        title = QLabel(f"{APP_TITLE} StreetLedger")
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.version_label = QLabel(f"版本 {__version__}")
        head_text = QVBoxLayout()
        head_text.addWidget(title)
        head_text.addWidget(self.version_label)
        head_text.addStretch(1)
        head = QHBoxLayout()
        head.addWidget(icon)
        head.addSpacing(8)
        head.addLayout(head_text, 1)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.db_label = _selectable(db.describe() if db is not None else "（未打开数据库）")
        form.addRow("当前数据库：", self.db_label)
        form.addRow("数据文件夹：", _selectable(str(data_dir())))
        form.addRow("日志文件夹：", _selectable(str(log_dir())))
        form.addRow("运行环境：", _selectable(
            f"Python {platform.python_version()}，Qt {qVersion()}（PySide6 {pyside_version}），"
            f"{platform.system()} {platform.release()}"))

        fonts = QGroupBox("随附字体及其许可证")
        fonts_lay = QVBoxLayout(fonts)
        self.licences = font_licences()
        texts = []
        for lic in self.licences:
            fonts_lay.addWidget(_selectable(f"{lic.name}：{lic.licence}"))
            try:
                texts.append(lic.licence_file.read_text(encoding="utf-8"))
            except OSError:
                texts.append(f"（未找到许可证文件：{lic.licence_file}）")
        self.licence_text = QPlainTextEdit("\n\n".join(texts))
        self.licence_text.setReadOnly(True)
        self.licence_text.setMinimumHeight(160)
        self.licence_text.hide()
        self.licence_button = QPushButton("查看许可证全文")
        self.licence_button.clicked.connect(self._toggle_licence)
        row = QHBoxLayout()
        row.addWidget(self.licence_button)
        row.addStretch(1)
        fonts_lay.addLayout(row)
        fonts_lay.addWidget(self.licence_text, 1)

        components = QGroupBox("使用的开源组件")
        comp_lay = QVBoxLayout(components)
        comp_lay.addWidget(_selectable(COMPONENTS))

        folder = QPushButton("打开数据文件夹")
        folder.clicked.connect(self.open_data_folder)
        close = QPushButton("关闭")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(folder)
        buttons.addStretch(1)
        buttons.addWidget(close)

        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addLayout(form)
        lay.addWidget(fonts)
        lay.addWidget(components)
        lay.addLayout(buttons)
        self.setMinimumWidth(600)
        # Wrapped labels make Qt guess too tall a height; fit to the real width.
        self.resize(600, lay.heightForWidth(600))

    def _toggle_licence(self) -> None:
        show = not self.licence_text.isVisible()
        self.licence_text.setVisible(show)
        self.licence_button.setText("收起许可证全文" if show else "查看许可证全文")
        self.resize(self.width(), self.layout().heightForWidth(self.width()))
