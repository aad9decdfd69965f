"""Packaging: the Windows version resource and installer script, and — with
STREETLEDGER_TEST_BUNDLE=1 — the real PyInstaller bundle and its packaged self-test.

The bundle test builds with installer/build.py into a temporary folder (about a minute
on the CI machine) unless STREETLEDGER_BUNDLE_DIR names a dist/StreetLedger already built."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parent.parent
BUNDLE_LIMIT_MB = 200


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"installer_{name}",
                                                  ROOT / "installer" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_version_tuple():
    vi = _load("version_info")
    assert vi.version_tuple("0.1.0") == (0, 1, 0, 0)
    assert vi.version_tuple("2.10.3.7") == (2, 10, 3, 7)
    assert vi.version_tuple("1.2rc1") == (1, 2, 0, 0)
    assert vi.version_tuple("1.2.3.dev4") == (1, 2, 3, 0)


def test_version_resource_carries_the_package_version():
    """Evaluate the generated text the way PyInstaller does, with recording stand-ins."""
    vi = _load("version_info")
    made = {}

    def record(kind):
        def make(*args, **kwargs):
            made.setdefault(kind, []).append((args, kwargs))
            return (kind, args, kwargs)
        return make

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct"]
    eval(vi.version_text("StreetLedger", "街道治理台账"), {n: record(n) for n in names})  # noqa: S307
    ffi = made["FixedFileInfo"][0][1]
    assert ffi["filevers"] == ffi["prodvers"] == vi.version_tuple(__version__)
    strings = {args[0]: args[1] for args, _ in made["StringStruct"]}
    assert strings["ProductVersion"] == strings["FileVersion"] == __version__
    assert strings["OriginalFilename"] == "StreetLedger.exe"
    assert strings["FileDescription"] == "街道治理台账"


def test_installer_script_keeps_user_data_and_upgrades_in_place():
    raw = (ROOT / "installer" / "streetledger.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Inno Setup reads the Chinese right
    text = raw.decode("utf-8-sig")
    assert re.search(r"^AppId=\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}$", text, re.M)
    assert re.search(r"^PrivilegesRequired=lowest$", text, re.M)
    assert "compiler:Languages\\ChineseSimplified.isl" in text
    # Nothing the installer or uninstaller deletes may point at the data folder.
    for line in text.splitlines():
        if line.startswith("Type: filesandordirs") or line.startswith("Type: files"):
            assert "{app}" in line and "appdata" not in line.lower(), line


def test_the_spec_ships_the_user_guide_and_qt_chinese_words():
    """Without building: the spec bundles docs/ and keeps Qt's zh_CN catalogues."""
    text = (ROOT / "installer" / "streetledger.spec").read_text(encoding="utf-8")
    assert 'tree(ROOT / "docs", "docs")' in text
    assert '"_zh_cn" in name' in text  # the .qm filter keeps Chinese, drops the rest
    from tests.guide_images import referenced

    for rel in referenced():
        assert (ROOT / "docs" / rel).is_file(), rel


def test_the_spec_keeps_the_qt_modules_the_app_uses():
    """QtCharts (首页), QtPdf/QtPdfWidgets (打印预览) and QtPrintSupport (打印) stay in; the
    big unused ones (WebEngine, Quick/QML, 3D, Multimedia) stay out."""
    text = (ROOT / "installer" / "streetledger.spec").read_text(encoding="utf-8")
    unused = re.search(r"QT_UNUSED = \[(.*?)\]", text, re.S).group(1)
    names = set(re.findall(r'"(Qt\w+)"', unused))
    assert not names & {"QtCharts", "QtPdf", "QtPdfWidgets", "QtPrintSupport", "QtWidgets"}
    assert {"QtWebEngineCore", "QtQuick", "QtQml", "Qt3DCore", "QtMultimedia"} <= names


def test_icon_files_exist():
    ico = ROOT / "resources" / "icons" / "streetledger.ico"
    png = ROOT / "resources" / "icons" / "streetledger.png"
    assert ico.read_bytes()[:4] == b"\x00\x00\x01\x00"  # ICO header
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    if os.environ.get("STREETLEDGER_TEST_BUNDLE") != "1":
        pytest.skip("打包测试较慢：设置 STREETLEDGER_TEST_BUNDLE=1 后运行")
    existing = os.environ.get("STREETLEDGER_BUNDLE_DIR")
    if existing:
        return Path(existing), None
    # One build per test run, shared by the pytest-xdist workers: the first to get here
    # builds, the others wait for its result (two PyInstallers at once corrupt its cache).
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    out, result = root / "bundle", root / "bundle-result.json"
    try:
        os.close(os.open(root / "bundle.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        deadline = time.monotonic() + 1800
        while not result.exists() and time.monotonic() < deadline:
            time.sleep(2)
    else:
        built = {"rc": -1, "stdout": "", "stderr": "打包超时"}
        try:
            proc = subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"),
                                   "--no-installer", "--dist", str(out / "dist"),
                                   "--work", str(out / "work")],
                                  capture_output=True, text=True, encoding="utf-8",
                                  errors="replace", timeout=1800)
            built = {"rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}
        finally:  # the waiting workers always get an answer
            tmp = result.with_suffix(".tmp")
            tmp.write_text(json.dumps(built), encoding="utf-8")
            os.replace(tmp, result)
    built = json.loads(result.read_text(encoding="utf-8"))
    assert built["rc"] == 0, built["stdout"][-3000:] + built["stderr"][-3000:]
    return out / "dist" / "StreetLedger", built["stdout"]


@pytest.mark.slow
def test_packaged_self_test_passes(bundle):
    path, build_output = bundle
    build = _load("build")
    if build_output is not None:
        assert "打包程序自检：通过" in build_output
        assert "打包程序窗口启动：通过" in build_output
    proc = build.run_self_test(path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "自检通过" in proc.stdout
    assert "数据库迁移：通过" in proc.stdout and "PDF 报表：通过" in proc.stdout


@pytest.mark.slow
def test_bundle_holds_both_programs_data_files_and_fits_the_size_target(bundle):
    path, _ = bundle
    build = _load("build")
    assert build.program(path, debug=False).is_file() and build.program(path).is_file()
    internal = path / "_internal"  # sys._MEIPASS of a PyInstaller 6 one-folder build
    assert (internal / "resources" / "fonts" / "wqy-microhei.ttc").is_file()
    assert (internal / "resources" / "fonts" / "LICENSE-wqy-microhei.txt").is_file()
    assert (internal / "resources" / "icons" / "streetledger.png").is_file()
    assert (internal / "docs" / "使用说明.md").is_file()  # 帮助 → 使用说明
    assert (internal / "docs" / "images" / "02_main_powers.png").is_file()
    # Qt's own words in Chinese (file dialogs, standard buttons): qtbase_zh_CN.qm.
    assert list(internal.rglob("qtbase_zh_CN.qm")), "Qt 的中文翻译文件未打包"
    migrations = internal / "app" / "migrations"
    assert (migrations / "env.py").is_file() and (migrations / "script.py.mako").is_file()
    shipped = {p.name for p in (migrations / "versions").glob("*.py")}
    in_checkout = {p.name for p in (ROOT / "app" / "migrations" / "versions").glob("*.py")}
    assert shipped == in_checkout
    for lib in ("Qt6Pdf", "Qt6PdfWidgets", "Qt6Charts", "Qt6PrintSupport"):
        assert [p for p in internal.rglob(f"*{lib}.*") if p.is_file()], f"{lib} 未打包"
    size_mb = build.folder_size(path) / 2**20
    print(f"bundle size: {size_mb:.1f} MB")
    assert size_mb <= BUNDLE_LIMIT_MB, f"程序文件夹 {size_mb:.0f} MB，超过 {BUNDLE_LIMIT_MB} MB"
