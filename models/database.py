"""``from models.database import Database``: the spec's Database layer.

The implementation lives in the ``models.db`` package (see ``models/db/core.py``).
"""

from models.db.core import Database, UpsertResult
from models.db.retry import RetryPolicy

__all__ = ["Database", "RetryPolicy", "UpsertResult"]
