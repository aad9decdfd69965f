"""Build the app for people without Python: PyInstaller bundle, its self-test, the installer.

    python installer/build.py                # dist/StreetLedger/ (+ setup.exe on Windows)
    python installer/build.py --no-installer # skip Inno Setup even when it is installed

Steps: PyInstaller with installer/streetledger.spec (pip-installs PyInstaller when
missing), then the packaged `StreetLedger-debug self-test` (a temporary database,
migrations, demo data, a PDF and an xlsx; must print 自检通过), then a start of the
packaged window offscreen, then Inno Setup's ISCC.exe when found (Windows). Exits 1
when any step fails; prints where the results are, the bundle size and the time."""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "streetledger.spec"
ISS = ROOT / "installer" / "streetledger.iss"
NAME = "StreetLedger"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


def app_version() -> str:
    sys.path.insert(0, str(ROOT))
    from app import __version__

    return __version__


def ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        print("未安装 PyInstaller，正在安装……", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pyinstaller>=6"],
                       check=True)


def run_pyinstaller(dist: Path, work: Path) -> Path:
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
                   check=True, cwd=ROOT)
    return dist / NAME


def program(bundle: Path, debug: bool = True) -> Path:
    return bundle / f"{NAME}{'-debug' if debug else ''}{EXE_SUFFIX}"


def _clean_env(home: Path) -> dict[str, str]:
    """The packaged program must run on its own: no checkout on sys.path, its own data folder."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "STREETLEDGER_DB")}
    env.update(STREETLEDGER_HOME=str(home), PYTHONIOENCODING="utf-8")
    return env


def run_self_test(bundle: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    """`StreetLedger-debug self-test` in a temporary data folder, from outside the checkout."""
    with tempfile.TemporaryDirectory(prefix="streetledger-bundle-") as tmp:
        return subprocess.run([str(program(bundle)), "self-test"], cwd=tmp, env=_clean_env(Path(tmp)),
                              capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=timeout)


def run_window_check(bundle: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    """Open the packaged main window offscreen on a demo database and close it at once:
    catches a missing Qt plugin, font or UI module that the CLI self-test never loads."""
    with tempfile.TemporaryDirectory(prefix="streetledger-window-") as tmp:
        env = _clean_env(Path(tmp))
        db = str(Path(tmp) / "window.sqlite3")
        demo = subprocess.run([str(program(bundle)), "demo", "--db", db, "--create"], cwd=tmp, env=env,
                              capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=timeout)
        if demo.returncode != 0:
            return demo
        # An account, signed in as on the command line: the window opens without a dialog.
        admin = subprocess.run([str(program(bundle)), "user", "add", "admin", "--role", "admin",
                                "--db", db], cwd=tmp, env={**env, "STREETLEDGER_NEW_PASSWORD":
                                                           "Check1234"},
                               capture_output=True, text=True, encoding="utf-8",
                               errors="replace", timeout=timeout)
        if admin.returncode != 0:
            return admin
        env.update(QT_QPA_PLATFORM="offscreen", STREETLEDGER_EXIT_AFTER_SHOW="1",
                   STREETLEDGER_USER="admin", STREETLEDGER_PASSWORD="Check1234")
        return subprocess.run([str(program(bundle)), "--db", db], cwd=tmp, env=env,
                              capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=timeout)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def find_iscc() -> Path | None:
    """Inno Setup 6's command-line compiler, if installed (Windows)."""
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return Path(found)
    for base in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        root = os.environ.get(base)
        for sub in ("Inno Setup 6", os.path.join("Programs", "Inno Setup 6")):
            if root and (Path(root) / sub / "ISCC.exe").is_file():
                return Path(root) / sub / "ISCC.exe"
    return None


def run_inno_setup(iscc: Path, bundle: Path, out_dir: Path, version: str) -> Path:
    subprocess.run([str(iscc), f"/DAppVersion={version}", f"/DSourceDir={bundle}",
                    f"/DOutputDir={out_dir}", f"/DIconFile={ROOT / 'resources' / 'icons' / 'streetledger.ico'}",
                    str(ISS)], check=True)
    return out_dir / f"{NAME}-{version}-setup.exe"


def _show(label: str, proc: subprocess.CompletedProcess) -> bool:
    ok = proc.returncode == 0
    print(f"{label}：{'通过' if ok else f'失败（退出码 {proc.returncode}）'}")
    for line in (proc.stdout or "").splitlines():
        print(f"    {line}")
    if not ok and proc.stderr:
        print(proc.stderr, file=sys.stderr)
    return ok


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="打包 StreetLedger（PyInstaller + 自检 + Inno Setup）")
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="输出文件夹（默认 dist/）")
    p.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                   help="PyInstaller 的中间文件夹")
    p.add_argument("--no-installer", action="store_true", help="不运行 Inno Setup")
    p.add_argument("--no-window-check", action="store_true", help="不检查窗口能否打开")
    args = p.parse_args(argv)

    started = time.perf_counter()
    version = app_version()
    ensure_pyinstaller()
    print(f"PyInstaller 打包 StreetLedger {version}……", flush=True)
    bundle = run_pyinstaller(args.dist.resolve(), args.work.resolve())
    built = time.perf_counter() - started

    test = run_self_test(bundle)
    ok = _show("打包程序自检", test)
    if ok and "自检通过" not in test.stdout:
        print("打包程序自检：输出中没有“自检通过”", file=sys.stderr)
        ok = False
    if ok and not args.no_window_check:
        ok = _show("打包程序窗口启动", run_window_check(bundle))

    setup = None
    if ok and not args.no_installer:
        iscc = find_iscc()
        if iscc is None:
            why = "不是 Windows" if sys.platform != "win32" else "未找到 Inno Setup 6 的 ISCC.exe"
            print(f"安装程序：跳过（{why}）")
        else:
            setup = run_inno_setup(iscc, bundle, args.dist.resolve(), version)

    total = time.perf_counter() - started
    print(f"程序文件夹：{bundle}")
    print(f"  {program(bundle, debug=False).name}（窗口版）、{program(bundle).name}（诊断用命令行版）")
    print(f"程序文件夹大小：{folder_size(bundle) / 2**20:.1f} MB")
    if setup is not None:
        print(f"安装程序：{setup}（{setup.stat().st_size / 2**20:.1f} MB）")
    print(f"耗时：打包 {built:.0f} 秒，合计 {total:.0f} 秒")
    print("打包完成" if ok else "打包失败", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
