"""People inside event properties, marked so that the identity step can find them.

A source's mapping code knows which property values are people and marks them:

* ``Login(login)``: the whole value is a login (an assignee, a reviewer, the old and new
  value of an "assignee" change);
* ``PersonLabel(text, login)``: a label naming one person, like Launchpad's
  ``"Alice Example (alice)"``: stored as that person's id or pseudonym alone, since the
  display name identifies the person as well as the login does;
* ``LoginText(text, logins)``: a text that contains logins (a branch's unique name
  ``~alice/project/+git/repo``, a link, a subject quoting them);
* ``CommentBody(text)``: what a person wrote (a comment's body), stored only when
  ``STORE_COMMENT_BODIES`` is on.

All are ``str`` equal to the source's text: everything else treats them as plain text. Before events are stored,
the identity step (``models/roster/identity.py``) replaces every ``Login`` and
``PersonLabel``, and every listed login inside a ``LoginText``, with the person's employee id when the roster knows
the login, or with a keyed pseudonym when it does not, so no outside person's login is
ever stored; and it drops comment bodies unless they are to be kept.

Example::

    from models.identity import CommentBody, Login, LoginText, PersonLabel

    relation_properties = {
        "assignee": Login(task["assignee_name"]),
        "newvalue": PersonLabel("Alice Example (alice)", "alice"),
        "branch": LoginText("~alice/widget/fix-12", ["alice"]),
        "content": CommentBody(message["content"]),
    }
"""

from __future__ import annotations

from collections.abc import Iterable


class Login(str):
    """A person's login on a source, as found inside an event's properties."""

    __slots__ = ()


class PersonLabel(str):
    """A text that names one person (display name and login): replaced as a whole."""

    login: str

    def __new__(cls, text: str, login: str) -> PersonLabel:
        marked = super().__new__(cls, text)
        marked.login = login
        return marked


class LoginText(str):
    """A text naming people by login: each of ``logins`` is replaced where it stands
    as a whole word (not inside a longer name)."""

    logins: tuple[str, ...]

    def __new__(cls, text: str, logins: Iterable[str]) -> LoginText:
        marked = super().__new__(cls, text)
        marked.logins = tuple(dict.fromkeys(login for login in logins if login))
        return marked


class CommentBody(str):
    """The text of a comment: personal writing, kept only if the settings say so."""

    __slots__ = ()
