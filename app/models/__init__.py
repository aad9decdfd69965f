"""SQLAlchemy 2.0 models, a module per ledger family; everything is re-exported here
so `from app.models import X` works for every model.

Every ledger row carries who/when it was created and updated, a version column used
for optimistic locking, soft delete, and the area it belongs to."""

from app.models.base import (  # noqa: F401
    _LIVE_UNIQUE,
    NAMING,
    Base,
    LedgerRow,
    live_unique,
    now,
    postgresql_options,
)
from app.models.core import *  # noqa: F401,F403
from app.models.grids import *  # noqa: F401,F403
from app.models.meetings import *  # noqa: F401,F403
from app.models.rectification import *  # noqa: F401,F403
from app.models.staffing import *  # noqa: F401,F403
