"""The README's two commands on a fresh machine: a copy of the checkout, set up with a
Python that refuses `pip install` into itself (PEP 668), must make its own `.venv`,
start the program and run tests from it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", "build", "dist",
                                     ".pytest_cache", ".ruff_cache", ".hypothesis", "out",
                                     "screenshots")


def _refuses_installs(python: str) -> bool:
    r = subprocess.run([python, "-m", "pip", "install", "--no-index", "streetledger-nothing"],
                       capture_output=True, text=True, timeout=120)
    return r.returncode != 0 and "externally-managed-environment" in (r.stdout + r.stderr)


def _system_python() -> str | None:
    """A real distribution Python (Debian's /usr/bin/python3) that says it is externally
    managed and can make venvs, when this machine has one."""
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if not os.access(candidate, os.X_OK):
            continue
        r = subprocess.run([candidate, "-c", "import sys, sysconfig, os, ensurepip, venv; "
                            "print(sys.version_info >= (3, 11) and os.path.exists(os.path.join("
                            "sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')))"],
                           capture_output=True, text=True)
        if r.stdout.strip() == "True" and _refuses_installs(candidate):
            return candidate
    return None


def _managed_copy_of_this_python(where: Path) -> str:
    """This Python rebuilt as a "system" installation with the PEP 668 marker: a prefix
    whose stdlib links to ours, its own site-packages with pip, and EXTERNALLY-MANAGED."""
    ver = f"python{sys.version_info.major}.{sys.version_info.minor}"
    stdlib = Path(os.__file__).parent
    lib = where / "lib" / ver
    lib.mkdir(parents=True)
    (where / "bin").mkdir()
    for entry in stdlib.iterdir():
        if entry.name != "site-packages":
            (lib / entry.name).symlink_to(entry)
    (lib / "site-packages").mkdir()
    python = where / "bin" / ver
    shutil.copy2(os.path.realpath(sys._base_executable), python)
    subprocess.run([str(python), "-m", "ensurepip"], check=True, capture_output=True, timeout=300)
    (lib / "EXTERNALLY-MANAGED").write_text("[externally-managed]\nError=系统 Python，请用虚拟环境\n",
                                            encoding="utf-8")
    return str(python)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="PEP 668 markers are a Linux distribution's")
def test_fresh_checkout_sets_itself_up_with_a_python_that_refuses_installs(tmp_path):
    python = _system_python() or _managed_copy_of_this_python(tmp_path / "system-python")
    assert _refuses_installs(python), "the interpreter must refuse installs into itself"
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=COPY_IGNORE, symlinks=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "STREETLEDGER_TEST_BUNDLE",
                        "STREETLEDGER_DB", "PYTEST_ADDOPTS") and not k.startswith("PYTEST_XDIST")}
    env["STREETLEDGER_HOME"] = str(tmp_path / "home")

    # The README's start command, here with a sub-command so no window is needed.
    run = subprocess.run([python, "installer/bootstrap.py", "run", "self-test"], cwd=checkout,
                         env=env, capture_output=True, text=True, timeout=1500)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "自检通过" in run.stdout
    venv_python = checkout / ".venv" / "bin" / "python"
    assert venv_python.exists()
    # The program came from the copy's own venv, never from the system interpreter.
    where = subprocess.run([str(venv_python), "-c", "import app; print(app.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).resolve().is_relative_to(checkout.resolve())
    system = subprocess.run([python, "-m", "pip", "show", "streetledger"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert system.returncode != 0

    # The README's test command, on one quick file (the whole suite would recurse).
    test = subprocess.run([python, "installer/bootstrap.py", "test", "tests/test_ids.py", "-q",
                           "-p", "no:cacheprovider"], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=1500)
    assert test.returncode == 0, test.stdout[-3000:] + test.stderr[-3000:]
    assert " passed" in test.stdout

    # A second start reuses the venv without running pip again.
    again = subprocess.run([python, "installer/bootstrap.py", "run", "--help"], cwd=checkout,
                           env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "正在安装依赖" not in again.stdout
    assert "用法" in again.stdout


def test_bootstrap_without_a_command_prints_its_usage_in_chinese():
    r = subprocess.run([sys.executable, str(ROOT / "installer" / "bootstrap.py")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr.strip().startswith("用法：python3 installer/bootstrap.py run")
