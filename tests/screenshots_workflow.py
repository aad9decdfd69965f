"""Screenshots of the status-workflow panel and its reason dialog, on the test-only
ledger of tests/workflow_ledger.py (no shipped ledger has a workflow yet).

    python tests/screenshots_workflow.py OUTDIR

tests/screenshots.py runs `render_workflow` too."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PW = "Admin1234"


def render_workflow(s, tmp: Path) -> None:
    from app import auth
    from app.core import workflow
    from app.core.writes import save_row
    from app.db import Database
    from tests.workflow_ledger import TASKS, create_table
    from ui.workflow_panel import ReasonDialog, WorkflowPanel

    db = Database("sqlite:///" + (tmp / "workflow.sqlite3").as_posix())
    try:
        create_table(db)
        auth.create_user(db, "admin", PW, "admin", display_name="王主任")
        auth.login(db, "admin", PW)
        auth.create_user(db, "clerk", PW, "editor", display_name="李干事")
        auth.login(db, "clerk", PW)
        row, v = save_row(db, TASKS, {"code": "ZG-2026-0001", "title": "背街小巷占道经营"})
        v = workflow.transition(db, TASKS, row, "start", expected_version=v)
        v = workflow.transition(db, TASKS, row, "submit", reason="已清理摊点12处",
                                expected_version=v)
        auth.login(db, "admin", PW)
        v = workflow.transition(db, TASKS, row, "reject", reason="缺整改前后照片，请补充后再提交",
                                expected_version=v)
        auth.login(db, "clerk", PW)
        workflow.transition(db, TASKS, row, "submit", expected_version=v)
        auth.login(db, "admin", PW)

        panel = s.keep(WorkflowPanel(db, TASKS, row))
        panel.resize(760, 300)
        s.shot(panel, "wf_01_panel_admin")
        dlg = s.keep(ReasonDialog(TASKS.workflow.transition("reject"), panel.state))
        s.shot(dlg, "wf_02_reason_dialog")
        dlg.submit()  # empty: refused, the message shows
        s.shot(dlg, "wf_03_reason_dialog_empty")
        s.dispose(dlg)
        panel.ask = lambda _t: ""  # the dialog confirmed, no note
        panel.take("close")  # guard: no evidence yet → the message under the bar
        s.shot(panel, "wf_04_panel_guard_refused")
        s.dispose(panel)
        auth.login(db, "clerk", PW)
        panel = s.keep(WorkflowPanel(db, TASKS, row))
        panel.resize(760, 300)
        s.shot(panel, "wf_05_panel_editor")
        s.dispose(panel)
    finally:
        db.close()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("用法：python tests/screenshots_workflow.py OUTDIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STREETLEDGER_HOME"] = tmp
        from tests.screenshots_admin import Shooter
        from ui.app import create_application

        s = Shooter(create_application(), out)
        try:
            render_workflow(s, Path(tmp))
        finally:
            s.dispose_all()
    for p in s.shots:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
