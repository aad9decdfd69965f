"""Where an output may go: never over a file being read (the import's own spreadsheet),
never over the database. A user who named an existing file as the output has chosen it;
a name the program made up (a default, a suggestion) never replaces an existing file."""

from __future__ import annotations

import os
from pathlib import Path

from app.errors import UserError


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def check_output(out: str | os.PathLike, *inputs: str | os.PathLike | None,
                 named_by_user: bool = True) -> Path:
    out = Path(out)
    for src in inputs:
        if src and out.exists() and _same(out, Path(src)):
            raise UserError(f"输出文件“{out.name}”就是正在读取的文件，写入会覆盖原文件，"
                            "请另选一个文件名")
    if out.exists() and not named_by_user:
        raise UserError(f"文件“{out.name}”已存在，未覆盖，请另选文件名")
    return out
