"""Print preview of a PDF the app wrote (QtPdf): pages, zoom, 打印… (QPrintDialog, each
page rendered into the printer), 另存为…, 打开文件 (the system viewer), 打开所在文件夹.

Other parts of the app call `show_pdf(parent, path)` after writing a PDF. The print dialog
is made by `make_print_dialog`, which a test replaces (a real QPrintDialog is modal)."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QSize, Qt
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from app.errors import UserError
from ui.dialogs import fit_screen

ZOOMS = (("适合宽度", None), ("整页", "page"), ("50%", 0.5), ("75%", 0.75), ("100%", 1.0),
         ("125%", 1.25), ("150%", 1.5), ("200%", 2.0))
PRINT_DPI = 300  # enough for 仿宋 at 10.5 pt; a printer asking less gets its own


def make_print_dialog(printer: QPrinter, parent) -> QPrintDialog:
    dlg = QPrintDialog(printer, parent)
    dlg.setWindowTitle("打印")
    return dlg


def print_document(doc: QPdfDocument, printer: QPrinter, first: int = 1,
                   last: int | None = None) -> int:
    """Pages first..last (1-based) of `doc` into `printer`, each scaled to the printable
    area keeping its shape; the number of pages printed."""
    last = min(last or doc.pageCount(), doc.pageCount())
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("无法开始打印：打印机不可用，请检查打印机设置")
    try:
        dpi = min(printer.resolution(), PRINT_DPI) or PRINT_DPI
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        done = 0
        for page in range(first - 1, last):
            if done:
                printer.newPage()
            points = doc.pagePointSize(page)
            image = doc.render(page, QSize(round(points.width() * dpi / 72),
                                           round(points.height() * dpi / 72)))
            target = QSize(image.width(), image.height()).scaled(area.size(),
                                                                 Qt.KeepAspectRatio)
            painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
            done += 1
        return done
    finally:
        painter.end()


class PdfPreview(QDialog):
    def __init__(self, path: Path | str, parent=None, *, title: str | None = None, say=None,
                 note: str = "", temporary: bool = False):
        super().__init__(parent)
        self.path = Path(path)
        self.temporary = temporary  # written only for this preview: deleted on closing
        self.say = say  # status-bar messages of the window that asked
        self.setWindowTitle(f"打印预览 — {title or self.path.name}")
        self.doc = QPdfDocument(self)
        error = self.doc.load(str(self.path))
        if error != QPdfDocument.Error.None_:
            raise UserError(f"无法预览 PDF 文件：{self.path}（文件不存在或已损坏）")

        self.view = QPdfView(self)
        self.view.setDocument(self.doc)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setFocusPolicy(Qt.StrongFocus)  # arrows and Page Up/Down scroll it
        nav = self.view.pageNavigator()

        self.page_box = QSpinBox()
        self.page_box.setRange(1, max(self.doc.pageCount(), 1))
        self.page_box.setPrefix("第 ")
        self.page_box.setSuffix(f" 页 / 共 {self.doc.pageCount()} 页")
        self.page_box.setAccessibleName("页码")
        self.page_box.valueChanged.connect(self.go_to)
        nav.currentPageChanged.connect(self._page_shown)
        self.prev_button = QPushButton("上一页")
        self.prev_button.clicked.connect(lambda: self.go_to(self.page_box.value() - 1))
        self.next_button = QPushButton("下一页")
        self.next_button.clicked.connect(lambda: self.go_to(self.page_box.value() + 1))
        self.zoom_box = QComboBox()
        self.zoom_box.setAccessibleName("缩放")
        for label, zoom in ZOOMS:
            self.zoom_box.addItem(label, zoom)
        self.zoom_box.currentIndexChanged.connect(self._zoom_chosen)

        top = QHBoxLayout()
        top.addWidget(self.prev_button)
        top.addWidget(self.page_box)
        top.addWidget(self.next_button)
        top.addSpacing(16)
        top.addWidget(QLabel("缩放："))
        top.addWidget(self.zoom_box)
        top.addStretch(1)

        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("打印…", QDialogButtonBox.ActionRole)
        self.save_button = buttons.addButton("另存为…", QDialogButtonBox.ActionRole)
        self.open_button = buttons.addButton("打开文件", QDialogButtonBox.ActionRole)
        self.folder_button = buttons.addButton("打开所在文件夹", QDialogButtonBox.ActionRole)
        close = buttons.addButton("关闭", QDialogButtonBox.RejectRole)
        self.print_button.setToolTip("选择打印机并打印（Ctrl+P）")
        self.open_button.setToolTip("用系统的 PDF 阅读器打开")
        self.print_button.clicked.connect(self.print_)
        self.save_button.clicked.connect(self.save_as)
        self.open_button.clicked.connect(self.open_file)
        self.folder_button.clicked.connect(self.open_folder)
        close.clicked.connect(self.reject)
        QShortcut(QKeySequence.Print, self, self.print_)
        QShortcut(QKeySequence("Ctrl++"), self, lambda: self._step_zoom(1))
        QShortcut(QKeySequence("Ctrl+-"), self, lambda: self._step_zoom(-1))

        lay = QVBoxLayout(self)
        where = f"保存位置：{self.path}"
        if temporary:  # nothing to open or show in a folder: it goes when the preview closes
            where = "这是预览用的临时文件，关闭预览后删除；要保留请点“另存为…”"
            self.open_button.hide()
            self.folder_button.hide()
            self.finished.connect(self._drop_temporary)
        self.note = QLabel(f"{note}。{where}" if note else where)
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.note)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        lay.addWidget(buttons)
        # Enter prints. Set once the button is in the dialog: set before, the dialog made
        # the first button after the focus its default (上一页).
        self.print_button.setDefault(True)
        fit_screen(self, 900, 720)
        self.last_printed = 0
        self._update_buttons()

    # -- pages and zoom -------------------------------------------------------
    def page_count(self) -> int:
        return self.doc.pageCount()

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage() + 1

    def go_to(self, page: int) -> None:
        page = max(1, min(page, self.page_count()))
        if page != self.current_page():
            self.view.pageNavigator().jump(page - 1, QPointF(), self.view.zoomFactor())
        self._page_shown(page - 1)

    def _page_shown(self, index: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(index + 1)
        self.page_box.blockSignals(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.prev_button.setEnabled(self.page_box.value() > 1)
        self.next_button.setEnabled(self.page_box.value() < self.page_count())

    def _zoom_chosen(self, _index: int) -> None:
        zoom = self.zoom_box.currentData()
        if zoom is None:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif zoom == "page":
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(zoom)

    def _step_zoom(self, step: int) -> None:
        self.zoom_box.setCurrentIndex(max(0, min(self.zoom_box.currentIndex() + step,
                                                 self.zoom_box.count() - 1)))

    # -- output ---------------------------------------------------------------
    def print_(self) -> None:
        printer = QPrinter(QPrinter.HighResolution)
        printer.setDocName(self.path.stem)
        printer.setFromTo(1, self.page_count())
        dlg = make_print_dialog(printer, self)
        dlg.setMinMax(1, self.page_count())
        if dlg.exec() != QDialog.Accepted:
            return
        first, last = printer.fromPage() or 1, printer.toPage() or self.page_count()
        try:
            self.last_printed = print_document(self.doc, printer, first, last)
        except UserError as exc:
            from ui import dialogs

            dialogs.show_error(self, exc)
            return
        self._say(f"已发送到打印机：{self.path.name}，共 {self.last_printed} 页")

    def save_as(self) -> Path | None:
        from ui.exports import ask_save_path

        target = ask_save_path(self, "另存为", self.path.name, "PDF 文件 (*.pdf)", ".pdf")
        if target is None or target == self.path:
            return None
        try:
            shutil.copyfile(self.path, target)
        except OSError as exc:
            from ui import dialogs

            dialogs.show_error(self, UserError(f"无法保存到 {target}：{exc.strerror or exc}"))
            return None
        self._say(f"已另存为：{target}")
        return target

    def open_file(self) -> None:
        from ui import exports

        if not exports.open_file(self.path, on_fail=self._cannot_open("文件")):
            self._cannot_open("文件")()

    def open_folder(self) -> None:
        from ui import exports

        if not exports.open_folder(self.path, on_fail=self._cannot_open("文件夹")):
            self._cannot_open("文件夹")()

    def _cannot_open(self, what: str):
        where = self.path if what == "文件" else self.path.parent
        return lambda: self._say(f"无法自动打开{what}，请手动打开：{where}")

    def _drop_temporary(self, _result: int = 0) -> None:
        from ui.exports import remove_temporary

        self.doc.close()  # Windows keeps an open file from being deleted
        remove_temporary(self.path)

    def _say(self, text: str) -> None:
        if self.say is not None:
            self.say(text)


def show_pdf(parent, path: Path | str, *, title: str | None = None, say=None,
             note: str = "", temporary: bool = False) -> PdfPreview:
    """Open the preview of `path` over `parent`, window-modal but not blocking; returned so
    the caller (and a test) can reach it. `title` names the document in the window title,
    `note` says what was made (above the pages), `say(text)` gets status-bar messages;
    a `temporary` file is deleted when the preview closes. Raises UserError when the file
    cannot be read as a PDF."""
    dlg = PdfPreview(path, parent, title=title, say=say, note=note, temporary=temporary)
    dlg.setWindowModality(Qt.WindowModal)
    dlg.finished.connect(dlg.deleteLater)
    dlg.open()
    dlg.view.setFocus()
    return dlg
