"""The registry of the core's write operations (kept import-free so any module can mark
its writes, accounts included)."""

from __future__ import annotations

from collections.abc import Callable

OPERATIONS: dict[str, Callable] = {}


def write_operation(fn: Callable) -> Callable:
    """Mark a public function of the core as a write operation (as Electrum's @modifier).

    The registry lets a test enumerate every write the core exposes and prove each one
    checks permission and audits; the engine guard (app.core.uow) makes an unmarked
    bypass of the unit of work fail at run time."""
    OPERATIONS[f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn
