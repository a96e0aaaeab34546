"""Retry and error rules of one GET, with a scripted fake server (no sockets)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import launchpadlib.testing
import pytest
from lazr.restfulclient._json import DatetimeJSONEncoder
from wadllib.application import Application, Resource

from models.exceptions import (
    ConfigurationError,
    InvalidQueryError,
    RateLimitedError,
    TransientError,
)
from sources.launchpad.client import operation_url, with_page_size
from sources.launchpad.transport import ItemGoneError, RetryPolicy, get_json, retry_after_seconds

FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.02, max_retry_after=5)


class Response(dict):
    def __init__(self, status: int, **headers: str):
        super().__init__(headers)
        self.status = status


def scripted(*answers):
    """A fake ``Http.request`` answering with ``answers`` in turn (exceptions raised)."""
    calls = []

    def request(url, method, headers):
        calls.append(url)
        answer = answers[len(calls) - 1]
        if isinstance(answer, BaseException):
            raise answer
        status, body, extra = answer if len(answer) == 3 else (*answer, {})
        return Response(status, **extra), body

    return request, calls


def run(request, policy=FAST):
    slept = []
    return get_json(request, "http://lp/x", policy, sleep=slept.append), slept


def test_success_decodes_json():
    request, calls = scripted((200, b'{"a": 1}'))
    assert run(request)[0] == {"a": 1}
    assert len(calls) == 1


def test_5xx_timeouts_and_dropped_connections_are_retried():
    request, calls = scripted(
        (503, b"busy"),
        TimeoutError("timed out"),
        ConnectionResetError("reset"),
        (200, b"[]"),
    )
    result, slept = run(request)
    assert result == []
    assert len(calls) == 4
    assert len(slept) == 3 and all(0 < s <= 0.02 for s in slept)


def test_retry_after_is_honoured_on_429():
    request, _ = scripted((429, b"slow down", {"retry-after": "2"}), (200, b"{}"))
    _, slept = run(request)
    assert slept == [2.0]


def test_exhausted_retries_raise_transient_error():
    request, calls = scripted(*[(502, b"")] * 4)
    with pytest.raises(TransientError):
        run(request)
    assert len(calls) == 4


def test_exhausted_429_raises_rate_limited_with_retry_after():
    request, _ = scripted(*[(429, b"", {"retry-after": "1"})] * 4)
    with pytest.raises(RateLimitedError) as raised:
        run(request)
    assert raised.value.retry_after == 1.0


def test_retry_after_longer_than_allowed_fails_at_once():
    request, calls = scripted((429, b"", {"retry-after": "3600"}))
    with pytest.raises(RateLimitedError):
        run(request)
    assert len(calls) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_gone_is_not_retried(status):
    request, calls = scripted((status, b"Object: <Bug at 0x1>, name: '9'"))
    with pytest.raises(ItemGoneError):
        run(request)
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, InvalidQueryError), (401, ConfigurationError), (403, ConfigurationError)],
)
def test_other_client_errors_are_permanent(status, error):
    request, calls = scripted((status, b"no"))
    with pytest.raises(error):
        run(request)
    assert len(calls) == 1


def test_retry_after_forms():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_backoff_grows_and_is_capped():
    policy = RetryPolicy(base_delay=1, max_delay=8)
    assert 0.5 <= policy.backoff(0) <= 1
    assert 4 <= policy.backoff(3) <= 8
    assert 4 <= policy.backoff(10) <= 8


def test_operation_url_is_encoded_as_launchpadlib_encodes_it():
    wadl = os.path.join(os.path.dirname(launchpadlib.testing.__file__), "launchpad-wadl.xml")
    with open(wadl, "rb") as handle:
        app = Application("https://api.launchpad.test/1.0/", handle.read())
    person = "https://api.launchpad.test/1.0/~alice"
    resource = Resource(app, person, "https://api.launchpad.test/1.0/#person")
    method = resource.get_method(query_params={"ws.op": "searchTasks"})
    params = {
        "status": ["New", "Won't Fix"],
        "omit_duplicates": False,
        "modified_since": datetime(2024, 3, 1, tzinfo=UTC),
    }
    # What lazr.restfulclient's NamedOperation does for a GET operation.
    expected = method.build_request_url(
        **{name: json.dumps(value, cls=DatetimeJSONEncoder) for name, value in params.items()}
    )
    assert operation_url(person, "searchTasks", params, 300) == expected + "&ws.size=300"


def test_with_page_size_replaces_any_size():
    assert with_page_size("http://lp/c?ws.size=5&ws.start=10", 300) == (
        "http://lp/c?ws.start=10&ws.size=300"
    )
    assert with_page_size("http://lp/c", 300) == "http://lp/c?ws.size=300"
