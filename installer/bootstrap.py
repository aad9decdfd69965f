"""Set StreetLedger up from a source checkout in its own virtual environment, then run it.

    python3 installer/bootstrap.py run [main.py arguments]   # set up, then start the app
    python3 installer/bootstrap.py test [pytest arguments]   # set up with the test tools, run the tests

Works with any Python >= 3.11, including a stock Debian/Ubuntu Python that refuses
`pip install` into the system (PEP 668, "externally-managed-environment"): everything
goes into `.venv` in the checkout, never into the interpreter that started this script.
Re-running is quick: pip runs again only when pyproject.toml or the extras change.

On Debian/Ubuntu, Qt's window plugin needs a few system libraries that fresh machines
lack (libxcb-cursor0, …) and `python3 -m venv` needs python3-venv: they are installed
with apt-get when missing (as root; otherwise the command is printed). On Windows and
macOS only Python is needed. With STREETLEDGER_TEST_BUNDLE=1, `test` also installs
PyInstaller (the packaging test builds the bundle with the venv's interpreter)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / "streetledger-installed.txt"

DEBIAN_RUNTIME = [
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-xkb1", "libxkbcommon-x11-0",
    "libxkbcommon0", "libegl1", "libgl1", "libfontconfig1", "libdbus-1-3",
]
DEBIAN_TEST = ["poppler-utils"]  # pdftoppm/pdftotext for looking at reports

USAGE = ("用法：python3 installer/bootstrap.py run [程序参数]  或  "
         "python3 installer/bootstrap.py test [pytest 参数]")


def fail(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(2)


def missing_debian_packages(names: list[str]) -> list[str]:
    missing = []
    for name in names:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name],
                           capture_output=True, text=True)
        if "install ok installed" not in r.stdout:
            missing.append(name)
    return missing


def on_debian() -> bool:
    return sys.platform.startswith("linux") and bool(shutil.which("dpkg-query"))


def apt_install(missing: list[str]) -> None:
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if os.geteuid() != 0:
        fail("缺少系统组件，请先运行：sudo apt-get update && sudo " + " ".join(cmd))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(cmd, check=True, env=env)


def ensure_debian(names: list[str]) -> None:
    if not on_debian():
        return
    missing = missing_debian_packages(names)
    if missing:
        apt_install(missing)


def venv_python(venv: Path = VENV) -> Path:
    if sys.platform == "win32":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def in_our_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve() and sys.prefix != sys.base_prefix


def make_venv() -> Path:
    """`.venv` in the checkout, made with the interpreter running this script."""
    python = venv_python()
    if python.exists():
        r = subprocess.run([str(python), "-c", "import sys; print(sys.version_info >= (3, 11))"],
                           capture_output=True, text=True)
        if r.returncode == 0 and r.stdout.strip() == "True":
            return python
        shutil.rmtree(VENV)  # broken or from an old Python: make it again
    try:
        import ensurepip  # noqa: F401 - Debian ships it separately (python3-venv)
    except ImportError:
        if on_debian():
            apt_install([f"python3.{sys.version_info.minor}-venv"])
        else:
            fail("当前 Python 缺少 venv/ensurepip 模块，无法创建虚拟环境；请安装完整的 Python 3.11 或更新版本")
    print(f"正在创建虚拟环境：{VENV}", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    return python


def extras(test: bool) -> list[str]:
    out = []
    if test:
        out.append("test")
        if os.environ.get("STREETLEDGER_TEST_BUNDLE") == "1":
            out.append("build")
    return out


def install(python: Path, wanted: list[str]) -> None:
    """pip install -e the checkout into the venv, unless already done for this pyproject."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    have = STAMP.read_text(encoding="utf-8").split() if STAMP.exists() else []
    have_extras = set(have[1:]) if have and have[0] == digest else None
    if have_extras is not None and set(wanted) <= have_extras:
        return
    all_extras = sorted(set(wanted) | (have_extras or set()))
    target = f"{ROOT}[{','.join(all_extras)}]" if all_extras else str(ROOT)
    print("正在安装依赖（首次需要几分钟）…", flush=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "-e", target], check=True)
    STAMP.write_text(" ".join([digest, *all_extras]) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if sys.version_info < (3, 11):  # noqa: UP036 - started by any python3
        fail(f"需要 Python 3.11 或更新版本（当前 {sys.version.split()[0]}）")
    if not argv or argv[0] not in ("run", "test"):
        fail(USAGE)
    command, rest = argv[0], argv[1:]
    test = command == "test"
    ensure_debian(DEBIAN_RUNTIME + (DEBIAN_TEST if test else []))
    python = Path(sys.executable) if in_our_venv() else make_venv()
    install(python, extras(test))
    if test:
        cmd = [str(python), "-m", "pytest", *rest]
    else:
        cmd = [str(python), str(ROOT / "main.py"), *rest]
    try:
        return subprocess.run(cmd, cwd=ROOT if test else None).returncode
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as exc:
        print(f"安装步骤失败（退出码 {exc.returncode}）：{' '.join(map(str, exc.cmd))}",
              file=sys.stderr)
        sys.exit(1)
