"""Attachments in the database (app/attachments.py): one blob per content, the size and
type checks, permission on the parent row, audit under the parent, purge, copies that
stay inside the data folder, and backups. Runs on SQLite and PostgreSQL (`db`)."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image
from sqlalchemy import func, select

from app import attachments, auth
from app.audit import entries
from app.core.uow import UnitOfWork
from app.core.writes import delete_row, purge_row, save_row
from app.errors import ConflictError, PermissionDenied, UserError
from app.filetypes import MAX_BYTES, safe_filename
from app.models import Attachment, Blob, PowerItem, now
from app.paths import data_dir
from app.specs.powers import POWERS

PW = "Passw0rd1"


def png(color: str = "red", size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def item(db, name: str = "附件测试事项") -> int:
    return save_row(db, POWERS, {"list_kind": "法定权力事项", "power_type": "行政确认",
                                 "name": name, "status": "运行中"})[0]


def version(db, row_id: int) -> int:
    with db.session() as s:
        return s.get(PowerItem, row_id).version


def count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_same_bytes_are_stored_once(db):
    a, b = item(db, "甲"), item(db, "乙")
    photo = png()
    first = attachments.add_attachment(db, POWERS, a, "photos", photo, "现场1.png")
    second = attachments.add_attachment(db, POWERS, b, "photos", photo, "另一个名字.png")
    attachments.add_attachment(db, POWERS, a, "photos", png("blue"), "现场2.png")
    assert count(db, Blob) == 2 and count(db, Attachment) == 3
    listed = attachments.list_attachments(db, "powers", a, "photos")
    assert [x.filename for x in listed] == ["现场1.png", "现场2.png"]
    assert listed[0].mime == "image/png" and listed[0].is_image and listed[0].size == len(photo)
    assert attachments.list_attachments(db, POWERS, a, "scans") == []
    assert attachments.read_blob(db, first) == attachments.read_blob(db, second) == photo


def test_a_file_too_big_is_refused_by_name_and_size(db, tmp_path):
    row = item(db)
    v = version(db, row)
    with pytest.raises(UserError) as err:
        attachments.add_attachment(db, POWERS, row, "photos", b"a" * (MAX_BYTES + 1), "大文件.txt")
    assert "“大文件.txt”" in err.value.message and "20 MB" in err.value.message
    assert "上限" in err.value.message
    big = tmp_path / "扫描件.pdf"
    with open(big, "wb") as fh:  # sparse: refused by its size, never read
        fh.truncate(25 * 1024 * 1024)
    with pytest.raises(UserError) as err:
        attachments.add_attachment(db, POWERS, row, "scans", big)
    assert "“扫描件.pdf”大小为 25 MB" in err.value.message
    with pytest.raises(UserError, match="空文件"):
        attachments.add_attachment(db, POWERS, row, "photos", b"", "空.png")
    assert count(db, Blob) == count(db, Attachment) == 0 and version(db, row) == v


@pytest.mark.parametrize("name,data,words", [
    ("程序.exe", b"MZ\x90\x00" * 64, "不支持“.exe”"),
    ("无扩展名", b"hello", "没有扩展名"),
    ("伪装.jpg", b"MZ\x90\x00" * 64, "不是扩展名所说的 .jpg"),
    ("伪装.docx", b"PK\x03\x04" + b"\x00" * 100, "不是扩展名所说的 .docx"),
    ("表格.xlsx", None, "不是扩展名所说的 .xlsx"),  # a Word file named .xlsx
    ("图片.png", PDF, "不是扩展名所说的 .png"),
    ("二进制.txt", bytes(range(256)) * 4, "不是扩展名所说的 .txt"),
])
def test_types_are_judged_by_content(db, name, data, words):
    row = item(db)
    with pytest.raises(UserError) as err:
        attachments.add_attachment(db, POWERS, row, "files", docx() if data is None else data, name)
    assert f"“{name}”" in err.value.message and words in err.value.message
    assert count(db, Attachment) == 0


def test_accepted_types(db):
    row = item(db)
    jpeg = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(jpeg, "JPEG")
    files = {"照片.JPG": jpeg.getvalue(), "纪要.pdf": PDF, "方案.docx": docx(),
             "说明.txt": "整改说明：已完成。\r\n".encode("gb18030"),
             "旧文档.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504}
    for name, data in files.items():
        attachments.add_attachment(db, POWERS, row, "files", data, name)
    mimes = {a.filename: a.mime for a in attachments.list_attachments(db, POWERS, row)}
    assert mimes["照片.JPG"] == "image/jpeg" and mimes["纪要.pdf"] == "application/pdf"
    assert mimes["说明.txt"] == "text/plain" and mimes["旧文档.doc"] == "application/msword"
    assert mimes["方案.docx"].endswith("wordprocessingml.document")


def test_several_files_are_added_all_or_none(db, tmp_path):
    row = item(db)
    v = version(db, row)
    with pytest.raises(UserError, match="“坏.jpg”"):
        attachments.add_attachments(db, POWERS, row, "photos",
                                    [(png(), "好.png"), (b"MZ" * 50, "坏.jpg")])
    assert count(db, Attachment) == count(db, Blob) == 0 and version(db, row) == v
    path = tmp_path / "整改后.png"
    path.write_bytes(png("blue"))
    ids, new_version = attachments.add_attachments(
        db, POWERS, row, "photos", [(png(), "整改前.png"), path, (png(), "同一张.png")],
        expected_version=v)
    assert new_version == version(db, row) == v + 1 and len(ids) == 3
    assert count(db, Blob) == 2  # the same picture twice in one go: stored once
    line = next(e for e in entries(db, ledger="powers") if e.row_id == row)
    assert "添加附件“整改前.png”" in line.summary and "“同一张.png”" in line.summary


def test_a_file_on_disk_and_one_that_cannot_be_read(db, tmp_path):
    row = item(db)
    path = tmp_path / "现场照片.png"
    path.write_bytes(png())
    att = attachments.add_attachment(db, POWERS, row, "photos", path)
    assert attachments.attachment_info(db, att).filename == "现场照片.png"
    with pytest.raises(UserError, match="无法读取文件“不存在.png”"):
        attachments.add_attachment(db, POWERS, row, "photos", tmp_path / "不存在.png")


def test_parent_version_and_audit_lines(db):
    row = item(db)
    v0 = version(db, row)
    first = attachments.add_attachment(db, POWERS, row, "photos", png(), "整改前.png")
    attachments.add_attachment(db, POWERS, row, "photos", png("blue"), "整改后.png")
    assert version(db, row) == v0 + 2
    new_version = attachments.remove_attachment(db, first, 1)
    assert new_version == version(db, row) == v0 + 3
    trail = [e for e in entries(db, ledger="powers") if e.row_id == row]
    summaries = [e.summary for e in trail]  # newest first
    assert "删除附件“整改前.png”" in summaries[0]
    assert "添加附件“整改后.png”" in summaries[1] and "添加附件“整改前.png”" in summaries[2]
    assert '"photos": ["整改前.png、整改后.png", "整改后.png"]' in trail[0].changes
    assert [a.filename for a in attachments.list_attachments(db, POWERS, row)] == ["整改后.png"]
    with pytest.raises(ConflictError):  # removed already
        attachments.remove_attachment(db, first, 1)


def test_a_stale_version_is_a_conflict(db):
    row = item(db)
    v = version(db, row)
    save_row(db, POWERS, {"list_kind": "法定权力事项", "power_type": "行政确认",
                          "name": "附件测试事项", "status": "运行中", "remarks": "他人修改"}, row, v)
    with pytest.raises(ConflictError):
        attachments.add_attachment(db, POWERS, row, "photos", png(), "a.png", expected_version=v)
    att = attachments.add_attachment(db, POWERS, row, "photos", png(), "a.png",
                                     expected_version=v + 1)
    with pytest.raises(ConflictError):
        attachments.remove_attachment(db, att, 2)
    assert count(db, Attachment) == 1


def _accounts(db):
    """A viewer in the first street, an editor in a second one (made by the district's
    administrator)."""
    from app.areas import add_street
    from app.models import Area

    south = db.street_id
    north = add_street(db, "北城街道")
    with db.session() as s:
        district = s.get(Area, south).parent_id
    auth.create_user(db, "root", PW, "admin", area_id=district)
    auth.login(db, "root", PW)
    auth.create_user(db, "viewer_a", PW, "viewer", area_id=south)
    auth.create_user(db, "editor_b", PW, "editor", area_id=north)
    return south, north


def test_viewers_and_other_streets_are_refused(db):
    row = item(db)
    att = attachments.add_attachment(db, POWERS, row, "photos", png(), "a.png")
    _accounts(db)
    auth.login(db, "viewer_a", PW)
    assert [a.id for a in attachments.list_attachments(db, POWERS, row)] == [att]  # may look
    with pytest.raises(PermissionDenied):
        attachments.add_attachment(db, POWERS, row, "photos", png("blue"), "b.png")
    with pytest.raises(PermissionDenied):
        attachments.remove_attachment(db, att)
    auth.login(db, "editor_b", PW)
    with pytest.raises(UserError):  # the row is not in this street at all
        attachments.add_attachment(db, POWERS, row, "photos", png("blue"), "b.png")
    with pytest.raises(UserError):
        attachments.remove_attachment(db, att)
    for read in (attachments.read_blob, attachments.open_copy):
        with pytest.raises(PermissionDenied):
            read(db, att)
    with pytest.raises(PermissionDenied):
        attachments.list_attachments(db, POWERS, row)
    assert count(db, Attachment) == 1 and count(db, Blob) == 1


def test_purging_a_row_purges_its_attachments_and_unused_blobs(db):
    a, b = item(db, "甲"), item(db, "乙")
    shared, own = png(), png("blue")
    attachments.add_attachment(db, POWERS, a, "photos", shared, "共用.png")
    removed = attachments.add_attachment(db, POWERS, a, "photos", own, "仅甲.png")
    attachments.remove_attachment(db, removed)  # removed, still kept until the purge
    attachments.add_attachment(db, POWERS, b, "photos", shared, "共用.png")
    delete_row(db, POWERS, a, None)
    assert count(db, Attachment) == 3  # the recycle bin keeps them: a restore brings them back
    purge_row(db, POWERS, a)
    with db.session() as s:
        assert s.scalars(select(Attachment.row_id)).all() == [b]
        assert s.scalars(select(Blob.size)).all() == [len(shared)]
    delete_row(db, POWERS, b, None)
    purge_row(db, POWERS, b)
    assert count(db, Attachment) == count(db, Blob) == 0


def test_safe_filenames():
    assert safe_filename("..\\..\\x.exe") == "x_exe.bin"
    assert safe_filename("../../x.exe", "image/png") == "x_exe.png"
    assert safe_filename("CON.txt", "text/plain") == "_CON.txt"
    assert safe_filename("com1.tar.pdf", "application/pdf") == "_com1.tar.pdf"
    assert safe_filename('a:b?"<>|.png', "image/png") == "a_b_____.png"
    assert safe_filename(" ..  ", "application/pdf") == "附件.pdf"
    assert safe_filename("照片 1.JPG", "image/jpeg") == "照片 1.JPG"


@pytest.mark.parametrize("hostile", ["..\\..\\x.exe", "../../../x.png", "CON.txt", "nul",
                                     "C:\\Windows\\system32\\evil.dll", "/etc/passwd"])
def test_open_copy_stays_in_the_data_folder(db, hostile):
    row = item(db)
    photo = png()
    att = attachments.add_attachment(db, POWERS, row, "photos", photo, "a.png")
    with UnitOfWork(db) as uow:  # a name no add lets in: a database changed by other means
        uow.session.get(Attachment, att).filename = hostile
    path = attachments.open_copy(db, att)
    root = (data_dir() / "attachments-open").resolve()
    assert path.is_relative_to(root) and path.parent.parent == root
    assert path.suffix == ".png" and path.stem.split(".")[0].lower() not in ("con", "nul")
    assert path.read_bytes() == photo
    assert attachments.open_copy(db, att) == path  # opened again: the same copy
    files = [p for p in data_dir().rglob("*") if p.is_file() and p.suffix != ".log"]
    assert files == [path]


def test_stored_names_are_the_last_part_of_a_path(db):
    row = item(db)
    att = attachments.add_attachment(db, POWERS, row, "photos", png(), "..\\..\\现场.png")
    assert attachments.attachment_info(db, att).filename == "现场.png"


def test_a_damaged_blob_is_not_handed_out(db):
    row = item(db)
    att = attachments.add_attachment(db, POWERS, row, "photos", png(), "a.png")
    with UnitOfWork(db) as uow:
        uow.session.scalars(select(Blob)).one().data = png("blue")
    with pytest.raises(UserError, match="已损坏"):
        attachments.read_blob(db, att)


def test_attachments_come_back_with_a_backup(sqlite_url, tmp_path):
    from app.backup import backup_to, restore_from
    from app.db import Database

    db = Database(sqlite_url, actor="测试员")
    try:
        row = item(db)
        photo, scan = png(), PDF
        a = attachments.add_attachment(db, POWERS, row, "photos", photo, "整改前.png")
        b = attachments.add_attachment(db, POWERS, row, "scans", scan, "纪要.pdf")
        copy = backup_to(db, tmp_path / "backup.sqlite3")
        attachments.remove_attachment(db, a)
        delete_row(db, POWERS, row, None)
        purge_row(db, POWERS, row)
        assert count(db, Blob) == 0
        restore_from(db, copy)
        assert attachments.read_blob(db, a) == photo and attachments.read_blob(db, b) == scan
        assert [x.filename for x in attachments.list_attachments(db, POWERS, row)] == [
            "整改前.png", "纪要.pdf"]
    finally:
        db.close()


def test_a_postgresql_dump_carries_the_attachments(pg_url, tmp_path):
    """PostgreSQL is backed up by pg_dump (app.backup.PG_MESSAGE): attachments are ordinary
    rows (bytea, not large objects), so a dump of the schema brings them back."""
    import re
    import shutil
    import subprocess

    from sqlalchemy import create_engine, text

    from app.db import Database, normalize_url
    from tests.conftest import PG_URL

    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("没有 pg_dump/pg_restore，跳过 PostgreSQL 备份测试")
    schema = re.search(r"search_path%3D(\w+)", pg_url).group(1)
    server = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    db = Database(pg_url, actor="测试员")
    row = item(db)
    photo = png()
    att = attachments.add_attachment(db, POWERS, row, "photos", photo, "整改前.png")
    db.close()
    dump = tmp_path / "dump.pgc"
    subprocess.run(["pg_dump", "-Fc", "-n", schema, "-f", str(dump), "--dbname", server],
                   check=True, capture_output=True)
    admin = create_engine(normalize_url(PG_URL))
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()
    subprocess.run(["pg_restore", "--dbname", server, str(dump)], check=True, capture_output=True)
    db = Database(pg_url, actor="测试员")
    try:
        assert attachments.read_blob(db, att) == photo
    finally:
        db.close()


def test_both_tables_refuse_writes_outside_a_unit_of_work(db):
    from sqlalchemy import insert

    from app.core.uow import BypassError, guarded_tables

    assert {"blob", "attachment"} <= guarded_tables()
    with db.engine.connect() as conn, pytest.raises(BypassError):
        conn.execute(insert(Blob).values(sha256="0" * 64, size=1, mime="text/plain", data=b"x",
                                         created_at=now()))
    assert count(db, Blob) == 0


def test_postgresql_same_bytes_stored_by_another_client_meanwhile(pg_url, monkeypatch):
    """Two clients attach the same new photo at once: the second insert of the blob fails
    on its unique hash, and the attachment uses the blob the other client stored."""
    from app.db import Database

    db = Database(pg_url, actor="测试员")
    try:
        a, b = item(db, "甲"), item(db, "乙")
        photo = png()
        attachments.add_attachment(db, POWERS, a, "photos", photo, "甲.png")  # the other client's
        real, calls = attachments._find_blob, []

        def missed_once(s, digest):  # our look-up ran before their commit
            calls.append(digest)
            return None if len(calls) == 1 else real(s, digest)

        monkeypatch.setattr(attachments, "_find_blob", missed_once)
        att = attachments.add_attachment(db, POWERS, b, "photos", photo, "乙.png")
        assert len(calls) == 2  # the insert was refused, the second look-up found theirs
        assert count(db, Blob) == 1 and attachments.read_blob(db, att) == photo
    finally:
        db.close()
