"""The PostgreSQL layer behind ``models.database.Database``.

core: Database, UpsertResult; pool: the connection pool; retry: backoff and error
classification; schema: DDL/DML text; copy: the COPY text format.
"""

from models.db.core import Database, UpsertResult
from models.db.retry import RetryPolicy

__all__ = ["Database", "RetryPolicy", "UpsertResult"]
