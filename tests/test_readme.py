"""The README cannot drift from the program: its command-line synopsis is compared with
each sub-command's parser (generic: a new sub-command only needs its README line), and
every environment variable the code reads is documented."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def synopsis() -> list[str]:
    """The `python3 main.py …` lines of the Command line section, continuation lines
    joined, comments dropped."""
    section = README.split("## Command line", 1)[1].split("\n## ", 1)[0]
    entries: list[str] = []
    for line in section.splitlines():
        code = line.split("  # ", 1)[0].rstrip()
        if code.startswith("    python3 main.py"):
            entries.append(code.strip())
        elif entries and code.startswith("        ") and code.strip().startswith("["):
            entries[-1] += " " + code.strip()
    return entries


def sub_actions(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def commands() -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every runnable command path, e.g. ("stats",), ("user", "add")."""
    out = []
    for name, sub in sub_actions(main.build_parser()).items():
        nested = sub_actions(sub)
        out += [((name, n), p) for n, p in nested.items()] if nested else [((name,), sub)]
    return out


def entry_path(entry: str) -> tuple[str, ...]:
    tokens = entry.split()[2:]
    names = set(sub_actions(main.build_parser()))
    for i, tok in enumerate(tokens):
        if tok in names:
            path = [tok]
            if i + 1 < len(tokens) and re.fullmatch(r"[a-z][a-z|-]*", tokens[i + 1]):
                path.append(tokens[i + 1])
            return tuple(path)
    return ()


def documented() -> dict[tuple[str, ...], str]:
    """Command path → its README entry (a|b|c in one entry documents a, b and c)."""
    out: dict[tuple[str, ...], str] = {}
    for entry in synopsis():
        path = entry_path(entry)
        if len(path) == 2:
            for sub in path[1].split("|"):
                out[(path[0], sub)] = entry
        else:
            out[path] = entry
    return out


def options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if a.option_strings and a.help is not argparse.SUPPRESS
            and not isinstance(a, argparse._HelpAction)]


GLOBAL = {(a.dest, max(a.option_strings, key=len)) for a in options(main.build_parser())}


def own_options(parser) -> list[argparse.Action]:
    return [a for a in options(parser) if (a.dest, max(a.option_strings, key=len)) not in GLOBAL]


def test_there_is_a_synopsis():
    assert len(synopsis()) >= len(commands())
    assert documented().get(()), "the line with the options every command takes"


@pytest.mark.parametrize("path,parser", commands(), ids=lambda v: " ".join(v)
                         if isinstance(v, tuple) else "")
def test_synopsis_matches_the_commands_help(path, parser):
    entry = documented().get(path)
    assert entry, f"README 缺少命令 main.py {' '.join(path)} 的用法行"
    words = set(re.findall(r"--[a-z][a-z-]*", entry))
    for action in own_options(parser):
        flag = max(action.option_strings, key=len)
        assert flag in words, f"{' '.join(path)}: README 未列出 {flag}"
        if action.metavar and not action.choices:
            assert f"{flag} {action.metavar}" in entry, f"{' '.join(path)}: README 应写 {flag} {action.metavar}"
        for choice in action.choices or ():
            assert re.search(rf"\b{re.escape(str(choice))}\b", entry), (path, flag, choice)
    known = {s for a in options(parser) for s in a.option_strings}
    for word in words:
        assert word in known, f"{' '.join(path)}: README 中的 {word} 不是该命令的选项"
    # What the README shows is also what --help shows.
    help_text = parser.format_help()
    for action in own_options(parser):
        assert max(action.option_strings, key=len) in help_text


def test_the_global_line_lists_every_option_all_commands_take():
    entry = documented()[()]
    for _dest, flag in GLOBAL:
        assert flag in entry, f"README 全局用法行缺少 {flag}"


def test_every_ledger_key_is_in_help_and_readme():
    from app.specs import all_specs

    for spec in all_specs():
        assert spec.key in main.LEDGER_HELP and spec.title in main.LEDGER_HELP
        assert f"| `{spec.key}` |" in README


def test_every_environment_variable_the_code_reads_is_documented():
    found = set()
    for folder in ("app", "ui", "reports", "installer", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            found |= set(re.findall(r"STREETLEDGER_[A-Z_]+", path.read_text(encoding="utf-8")))
    found |= set(re.findall(r"STREETLEDGER_[A-Z_]+", (ROOT / "main.py").read_text(encoding="utf-8")))
    table = README.split("### Environment variables", 1)[1]
    missing = sorted(v for v in found if f"`{v}`" not in table)
    assert not missing, f"README 未说明的环境变量：{missing}"


def test_ci_runs_exactly_the_readmes_test_command():
    commands_in_readme = re.findall(r"^    (python3 installer/bootstrap\.py \w+)$", README, re.M)
    assert commands_in_readme == ["python3 installer/bootstrap.py run",
                                  "python3 installer/bootstrap.py test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == "python3 installer/bootstrap.py test"
