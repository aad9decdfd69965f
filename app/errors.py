"""Errors a user can act on carry a Chinese message; anything else is a bug."""

from __future__ import annotations


class UserError(Exception):
    """A refused action or bad input: exit code 2 in the CLI, a message box in the GUI."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ValidationError(UserError):
    """Field-level problems: {field name: Chinese message}."""

    def __init__(self, errors: dict[str, str], labels: dict[str, str] | None = None):
        self.errors = dict(errors)
        labels = labels or {}
        # "密码至少8位…" already names its field: no "密码：" in front of it.
        parts = [v if v.startswith(labels.get(k, k)) else f"{labels.get(k, k)}：{v}"
                 for k, v in self.errors.items()]
        super().__init__("；".join(parts) or "数据有误")


class PermissionDenied(UserError):
    pass


def _conflict_error():
    # Built on first use: a StaleDataError too, so SQLAlchemy's own handling applies,
    # without importing SQLAlchemy with this module (the GUI's first frame needs
    # app.errors long before the data layer is loaded).
    from sqlalchemy.orm.exc import StaleDataError

    class ConflictError(UserError, StaleDataError):
        """Someone else changed or deleted the row since it was opened.

        `theirs` holds the row as it is now in the database (None when deleted), so
        the GUI can show "your value / their value" field by field."""

        def __init__(self, message: str, theirs: dict | None = None, version: int | None = None):
            UserError.__init__(self, message)
            self.theirs = theirs
            self.version = version

    ConflictError.__qualname__ = "ConflictError"
    return ConflictError


def __getattr__(name: str):
    if name == "ConflictError":
        cls = globals()["ConflictError"] = _conflict_error()
        return cls
    raise AttributeError(name)
