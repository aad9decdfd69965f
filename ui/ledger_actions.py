"""Toolbar actions a ledger adds to its generic page (its own documents, …): ledger
key → (label, "module:function" called with the page, tooltip). The module is imported
when the action is used, so a page that is never opened costs nothing."""

from __future__ import annotations

import importlib

_STAFFING = ("机构编制情况…", "ui.exports:staffing_document",
             "机构编制情况（PDF）：编制总览、领导职数、一人多岗、薪级、证书与核查，预览后可打印")
ACTIONS: dict[str, list[tuple[str, str, str]]] = {
    "authorisations": [_STAFFING],
    "staff": [_STAFFING],
    "rectification": [("整改文书…", "ui.rectification_docs_dialog:open_documents",
                       "月通报、季调度、年总结、红黑榜（PDF，可发布），三张清单（Excel）")],
}


def actions_for(key: str):
    for label, target, tip in ACTIONS.get(key, ()):
        module, name = target.split(":")

        def run(page, module=module, name=name):
            return getattr(importlib.import_module(module), name)(page)

        yield label, run, tip
