"""Logins inside event properties, marked so that the roster step can find them.

A source's mapping code knows which property values are people (an assignee, a reviewer,
the old and new value of an "assignee" change) and wraps each such value in ``Login``.
``Login`` is a ``str``: everything else treats it as the plain login. Before events are
stored, the identity step replaces every ``Login`` it finds in ``event_properties`` and
``relation_properties`` with the person's employee id when the roster knows the login, or
with a keyed pseudonym when it does not, so no outside person's login is ever stored.

Example::

    from models.identity import Login

    relation_properties = {"assignee": Login(task["assignee_name"]), "status": "New"}
"""

from __future__ import annotations


class Login(str):
    """A person's login on a source, as found inside an event's properties."""

    __slots__ = ()
