"""附件: a strip of thumbnails for one attachment field of one row, for the form.

Pictures show as thumbnails, other files as a document icon with their type and name.
添加… (or dropping files onto the strip) stores them in the database; 删除 takes one off
after a confirmation; a double-click opens a copy (written under the data folder only)
in the system's viewer. Each add or remove is a change of the parent row: `changed`
carries the row's new version, so the form saves against it."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QBuffer, QByteArray, QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QImageReader,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import attachments
from app.filetypes import ACCEPTED_TEXT, MAX_BYTES, PATTERNS, extension, human_size
from ui.dialogs import confirm, show_error

THUMB = 96
_CACHE: OrderedDict[str, QPixmap] = OrderedDict()  # sha256 → thumbnail, this session
_CACHE_SIZE = 200
_BADGES = {  # extension → (label, colour)
    "pdf": ("PDF", "#c9302c"), "doc": ("DOC", "#2b579a"), "docx": ("DOCX", "#2b579a"),
    "wps": ("WPS", "#2b579a"), "xls": ("XLS", "#217346"), "xlsx": ("XLSX", "#217346"),
    "et": ("ET", "#217346"), "txt": ("TXT", "#6c757d"),
}


def _image_thumbnail(data: bytes) -> QPixmap | None:
    """Decoded straight at thumbnail size (a JPEG decodes at a fraction of its pixels)."""
    buf = QBuffer()
    buf.setData(QByteArray(data))
    buf.open(QBuffer.ReadOnly)
    reader = QImageReader(buf)
    reader.setAutoTransform(True)  # phone photos carry their rotation in EXIF
    size = reader.size()
    if size.isValid() and not size.isEmpty():
        reader.setScaledSize(size.scaled(THUMB, THUMB, Qt.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return None
    if image.width() > THUMB or image.height() > THUMB:  # rotated, or no size known ahead
        image = image.scaled(THUMB, THUMB, Qt.KeepAspectRatio, Qt.SmoothTransformation)
    out = _canvas()
    p = QPainter(out)
    x, y = (THUMB - image.width()) // 2, (THUMB - image.height()) // 2
    p.drawImage(x, y, image)
    p.setPen(QPen(QColor("#c8c8c8")))
    p.drawRect(x, y, image.width() - 1, image.height() - 1)
    p.end()
    return out


def _canvas() -> QPixmap:
    pm = QPixmap(THUMB, THUMB)
    pm.fill(Qt.transparent)
    return pm


def document_icon(filename: str, label: str | None = None) -> QPixmap:
    """A page with a folded corner and the file's type on a coloured band."""
    ext = extension(filename)
    text, colour = _BADGES.get(ext, (label or ext.upper() or "文件", "#6c757d"))
    pm = _canvas()
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    w, h, fold = 62, 80, 16
    x, y = (THUMB - w) / 2, (THUMB - h) / 2
    page = QPainterPath()
    page.moveTo(x, y)
    page.lineTo(x + w - fold, y)
    page.lineTo(x + w, y + fold)
    page.lineTo(x + w, y + h)
    page.lineTo(x, y + h)
    page.closeSubpath()
    p.setPen(QPen(QColor("#9a9a9a"), 1.2))
    p.setBrush(QColor("#ffffff"))
    p.drawPath(page)
    corner = QPainterPath()
    corner.moveTo(x + w - fold, y)
    corner.lineTo(x + w - fold, y + fold)
    corner.lineTo(x + w, y + fold)
    p.setBrush(QColor("#e6e6e6"))
    p.drawPath(corner)
    p.setPen(QPen(QColor("#d5d5d5"), 2))
    for i in range(3):
        ly = y + 24 + i * 9
        p.drawLine(int(x + 9), int(ly), int(x + w - 9), int(ly))
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(colour))
    band = (x - 6, y + h - 30, w + 12, 20)
    p.drawRoundedRect(*band, 3, 3)
    font = QFont(p.font())
    font.setBold(True)
    font.setPixelSize(12 if len(text) <= 4 else 11)
    p.setFont(font)
    p.setPen(QColor("#ffffff"))
    p.drawText(QRectF(*band), Qt.AlignCenter, text)
    p.end()
    return pm


def thumbnail(db, info: attachments.AttachmentInfo) -> QPixmap:
    cached = _CACHE.get(info.sha256)
    if cached is not None:
        _CACHE.move_to_end(info.sha256)
        return cached
    pm = None
    if info.is_image:
        pm = _image_thumbnail(attachments.read_blob(db, info.id))
    if pm is None:  # a document, or a picture Qt cannot decode
        pm = document_icon(info.filename, "图片" if info.is_image else None)
    else:
        _CACHE[info.sha256] = pm
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return pm


def two_lines(fm, text: str, width: int) -> str:
    """The name on at most two lines: the start, then the rest cut in the middle, so the
    extension stays readable."""
    if fm.horizontalAdvance(text) <= width:
        return text
    n = 1
    while n < len(text) and fm.horizontalAdvance(text[:n + 1]) <= width:
        n += 1
    return text[:n] + "\n" + fm.elidedText(text[n:], Qt.ElideMiddle, width)


class _Thumbs(QListWidget):
    """The thumbnails; files dropped onto them are handed on by `dropped`."""

    dropped = Signal(list)

    def __init__(self, accept_drops: bool, parent=None):
        super().__init__(parent)
        self.placeholder = ""
        self.setViewMode(QListView.IconMode)
        self.setFlow(QListView.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Static)
        self.setResizeMode(QListView.Adjust)
        self.setIconSize(QSize(THUMB, THUMB))
        line = self.fontMetrics().height()
        self.setGridSize(QSize(THUMB + 24, THUMB + 2 * line + 12))
        self.setTextElideMode(Qt.ElideMiddle)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setDragEnabled(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setFixedHeight(self.gridSize().height() + self.horizontalScrollBar().sizeHint().height()
                            + 2 * self.frameWidth() + 4)
        self.setAcceptDrops(accept_drops)
        self.viewport().setAcceptDrops(accept_drops)

    @staticmethod
    def _files(event) -> list[str]:
        md = event.mimeData()
        if not md.hasUrls():
            return []
        return [u.toLocalFile() for u in md.urls() if u.isLocalFile() and u.toLocalFile()]

    def dragEnterEvent(self, event):  # noqa: N802 - Qt's name
        if self._files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event):  # noqa: N802 - Qt's name
        self.dragEnterEvent(event)

    def dropEvent(self, event):  # noqa: N802 - Qt's name
        files = self._files(event)
        if files:
            event.acceptProposedAction()
            self.dropped.emit(files)
        else:
            event.ignore()

    def paintEvent(self, event):  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self.count() == 0 and self.placeholder:
            p = QPainter(self.viewport())
            p.setPen(QColor("#888888"))
            p.drawText(self.viewport().rect().adjusted(12, 0, -12, 0),
                       Qt.AlignCenter | Qt.TextWordWrap, self.placeholder)
            p.end()


class AttachmentStrip(QWidget):
    """The attachments of `field` on row `row_id` of `spec`. `version` is the row's version
    as the form loaded it: adds and removes are checked against it and `changed` carries
    the new one. A row not saved yet (row_id None) cannot take attachments."""

    changed = Signal(int)

    def __init__(self, db, spec, row_id: int | None, field: str, read_only: bool = False,
                 parent: QWidget | None = None, *, version: int | None = None):
        super().__init__(parent)
        self.db, self.spec, self.row_id, self.field = db, spec, row_id, field
        self.read_only, self.version = read_only, version
        self.infos: list[attachments.AttachmentInfo] = []
        editable = not read_only and row_id is not None
        self.thumbs = _Thumbs(editable)
        self.thumbs.itemDoubleClicked.connect(self._open_item)
        self.thumbs.dropped.connect(self.add_files)
        self.thumbs.itemSelectionChanged.connect(self._selection)
        self.add_button = QPushButton("添加…")
        self.add_button.setToolTip(f"可添加{ACCEPTED_TEXT}，单个文件不超过 {human_size(MAX_BYTES)}")
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton("删除")
        self.remove_button.clicked.connect(self.remove_selected)
        self.open_button = QPushButton("打开")
        self.open_button.clicked.connect(self.open_selected)
        buttons = QVBoxLayout()
        for b in (self.add_button, self.remove_button, self.open_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.add_button.setVisible(editable)
        self.remove_button.setVisible(editable)
        self.open_button.setVisible(row_id is not None)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #666;")
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.thumbs, 1)
        row.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(row)
        outer.addWidget(self.hint)
        if editable:
            QShortcut(QKeySequence.Delete, self.thumbs, self.remove_selected,
                      context=Qt.WidgetShortcut)
        if row_id is None:
            self.thumbs.placeholder = "保存记录后即可添加附件"
        elif editable:
            self.thumbs.placeholder = "暂无附件。点击“添加…”，或把文件拖到这里"
        else:
            self.thumbs.placeholder = "暂无附件"
        self.reload()

    # -- showing ---------------------------------------------------------------
    def reload(self) -> None:
        self.thumbs.clear()
        try:
            self.infos = attachments.list_attachments(self.db, self.spec, self.row_id, self.field)
        except Exception as exc:  # noqa: BLE001 - shown, the form stays usable
            self.infos = []
            self.hint.setText(getattr(exc, "message", "附件读取失败"))
            return
        width = THUMB + 8
        for info in self.infos:
            try:
                icon = thumbnail(self.db, info)
            except Exception:  # noqa: BLE001 - a damaged blob: the name still shows
                icon = document_icon(info.filename, "损坏")
            item = QListWidgetItem(icon, two_lines(self.thumbs.fontMetrics(), info.filename, width))
            item.setSizeHint(self.thumbs.gridSize() - QSize(4, 4))
            item.setData(Qt.UserRole, info.id)
            item.setToolTip(f"{info.filename}\n{info.size_text}，"
                            f"{info.created_by or '—'} 于 {info.created_at:%Y-%m-%d %H:%M} 添加\n"
                            "双击打开")
            item.setTextAlignment(Qt.AlignHCenter | Qt.AlignTop)
            self.thumbs.addItem(item)
        total = sum(i.size for i in self.infos)
        self.hint.setText(f"共 {len(self.infos)} 个附件，{human_size(total)}；双击打开"
                          if self.infos else "")
        self._selection()

    def _selection(self) -> None:
        chosen = self.selected_id() is not None
        self.remove_button.setEnabled(chosen)
        self.open_button.setEnabled(chosen)

    def selected_id(self) -> int | None:
        items = self.thumbs.selectedItems()
        return items[0].data(Qt.UserRole) if items else None

    def _info(self, attachment_id: int) -> attachments.AttachmentInfo | None:
        return next((i for i in self.infos if i.id == attachment_id), None)

    # -- changing --------------------------------------------------------------
    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "添加附件", "",
            f"可添加的文件 ({PATTERNS});;图片 (*.jpg *.jpeg *.png *.gif *.bmp *.webp);;"
            "PDF 文件 (*.pdf);;所有文件 (*)")
        if files:
            self.add_files(files)

    def add_files(self, files: list[str]) -> bool:
        if self.read_only or self.row_id is None or not files:
            return False
        try:
            _ids, version = attachments.add_attachments(
                self.db, self.spec, self.row_id, self.field, list(files),
                expected_version=self.version)
        except Exception as exc:  # noqa: BLE001 - a Chinese message, nothing written
            show_error(self, exc)
            return False
        self._after_change(version)
        return True

    def remove_selected(self) -> None:
        att = self.selected_id()
        info = self._info(att) if att is not None else None
        if info is None or self.read_only:
            return
        if not confirm(self, "删除附件", f"确定从本条记录中删除附件“{info.filename}”吗？",
                       "删除"):
            return
        try:
            version = attachments.remove_attachment(self.db, info.id, info.version)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self._after_change(version)

    def _after_change(self, version: int) -> None:
        self.version = version
        self.reload()
        self.changed.emit(version)

    # -- opening ---------------------------------------------------------------
    def _open_item(self, item: QListWidgetItem) -> None:
        self.open_attachment(item.data(Qt.UserRole))

    def open_selected(self) -> None:
        att = self.selected_id()
        if att is not None:
            self.open_attachment(att)

    def open_attachment(self, attachment_id: int) -> None:
        try:
            path = attachments.open_copy(self.db, attachment_id)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            from app.errors import UserError

            show_error(self, UserError(f"没有能打开该文件的程序。副本已保存在：{path}"))
