"""Install what StreetLedger needs to run from a source checkout, then the project.

    python3 installer/bootstrap.py          # the app
    python3 installer/bootstrap.py --test   # the app and the test tools

On Debian/Ubuntu, Qt's window plugin needs a few system libraries that fresh
machines lack (libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, …): they are
installed with apt-get when missing (as root; otherwise the command is printed).
On Windows and macOS only pip is needed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEBIAN_RUNTIME = [
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-xkb1", "libxkbcommon-x11-0",
    "libxkbcommon0", "libegl1", "libgl1", "libfontconfig1", "libdbus-1-3",
]
DEBIAN_TEST = ["poppler-utils"]  # pdftoppm/pdftotext for looking at reports


def missing_debian_packages(names: list[str]) -> list[str]:
    missing = []
    for name in names:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name],
                           capture_output=True, text=True)
        if "install ok installed" not in r.stdout:
            missing.append(name)
    return missing


def ensure_debian(names: list[str]) -> None:
    if not sys.platform.startswith("linux") or not shutil.which("dpkg-query"):
        return
    missing = missing_debian_packages(names)
    if not missing:
        return
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if os.geteuid() != 0:
        print("缺少系统库，请先运行：sudo apt-get update && sudo " + " ".join(cmd))
        sys.exit(2)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(cmd, check=True, env=env)


def main() -> int:
    test = "--test" in sys.argv[1:]
    ensure_debian(DEBIAN_RUNTIME + (DEBIAN_TEST if test else []))
    target = f"{ROOT}[test]" if test else str(ROOT)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "--disable-pip-version-check", "--root-user-action=ignore", "-e", target], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
