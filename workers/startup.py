"""What a worker process does once before it polls: bring the schema up to date."""

from __future__ import annotations

import logging

from models.database import Database
from models.exceptions import DatabaseUnavailableError
from models.settings import DEVELOPMENT_PSEUDONYM_KEY, Settings

logger = logging.getLogger(__name__)


def prepare_database(settings: Settings) -> None:
    """Apply pending schema migrations (under the advisory lock: workers starting together
    queue for it). A database that is down is no reason not to start: the activities'
    first connection migrates too. Warns while pseudonyms use the development key."""
    try:
        with Database.for_settings(settings.db) as db:
            logger.info(
                "schema %s, events table %s: at migration %04d",
                settings.db.schema,
                db.table,
                db.schema_version(),
            )
    except DatabaseUnavailableError as exc:
        logger.warning("schema not checked at start: %s", exc)
    if settings.pseudonym_key == DEVELOPMENT_PSEUDONYM_KEY:
        logger.warning(
            "PSEUDONYM_KEY is not set: pseudonyms use the development key, which anyone can "
            "read in the source; set a secret one for real data"
        )
