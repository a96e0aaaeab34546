"""Every error TemporalETL raises on purpose, in one place.

The hierarchy says what a caller may do about an error: an ``InputError`` can only be
fixed by changing the input, so activities raise it as non-retryable; a
``TransientError`` is worth retrying with backoff.

    ETLError
    ├── InputError                 bad input: fix the request, never retried
    │   ├── UnknownQueryTypeError      query_type not registered
    │   ├── UnknownExtractMethodError  extract_strategy not registered
    │   ├── InvalidQueryError          a query argument is missing or malformed
    │   ├── InvalidEventError          an extractor produced an event without a required field
    │   ├── NotFoundError              the source says the thing asked for does not exist
    │   ├── UnknownRosterSourceError   a roster source name not registered
    │   └── RosterError                a roster refused (bad zone, duplicate id, ...), naming the line
    ├── RegistryError              two plugins claim the same name (raised at import)
    ├── ConfigurationError         a setting is malformed (EVENTS_TABLE, DB_PORT, ...)
    ├── DatabaseError              the database refused or failed
    │   └── DatabaseUnavailableError   could not connect after the retries allowed
    └── TransientError             worth retrying: HTTP 5xx, 429, timeouts, dropped connections
        └── RateLimitedError           429, with the server's Retry-After in ``retry_after``
"""

from __future__ import annotations


class ETLError(Exception):
    """Base class of every error raised on purpose by TemporalETL."""


class InputError(ETLError):
    """The request cannot succeed as given; retrying will not help."""


class UnknownQueryTypeError(InputError):
    pass


class UnknownExtractMethodError(InputError):
    pass


class InvalidQueryError(InputError):
    pass


class InvalidEventError(InputError):
    pass


class NotFoundError(InputError):
    pass


class UnknownRosterSourceError(InputError):
    pass


class RosterError(InputError):
    pass


class RegistryError(ETLError):
    pass


class ConfigurationError(ETLError):
    pass


class DatabaseError(ETLError):
    pass


class DatabaseUnavailableError(DatabaseError):
    pass


class TransientError(ETLError):
    pass


class RateLimitedError(TransientError):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after
