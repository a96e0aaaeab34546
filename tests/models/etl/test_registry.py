"""Plugin discovery and look-up: what a source author relies on."""

import pytest

from models.etl.extract_cmd import ExtractStrategy, Page, extract_method
from models.etl.query import Query, QueryFactory, query_type
from models.exceptions import (
    InvalidQueryError,
    RegistryError,
    UnknownExtractMethodError,
    UnknownQueryTypeError,
)


def test_discovery_finds_the_launchpad_plugins():
    assert QueryFactory.available()["launchpad"] == "sources/launchpad/query.py:LaunchpadQuery"
    methods = ExtractStrategy.available()
    assert methods["launchpad-bugs"].startswith("sources/launchpad/flows/bugs.py:")
    assert "sources.launchpad" in QueryFactory._discover_query_directories()


def test_readme_exploration_snippet_works():
    QueryFactory._discover_and_import_modules()
    ExtractStrategy._discover_and_import_modules()
    assert "launchpad" in list(QueryFactory._query_type_registry.keys())
    assert "launchpad-bugs" in list(ExtractStrategy._extract_method_registry.keys())


def test_unknown_names_list_the_known_ones():
    with pytest.raises(
        UnknownQueryTypeError, match=r"unknown query_type 'gitlab'; known: .*launchpad"
    ):
        QueryFactory.create("gitlab", {})
    with pytest.raises(UnknownExtractMethodError, match=r"known: .*launchpad-bugs"):
        ExtractStrategy.create("launchpad-bugz")


def test_duplicate_query_type_names_both_places():
    @query_type("test-duplicate-query")
    class First(Query):
        @staticmethod
        def from_dict(data):
            return First("test", "x")

        def to_summary_base(self):
            return {}

    try:
        with pytest.raises(RegistryError) as raised:

            @query_type("test-duplicate-query")
            class Second(First):
                pass

        message = str(raised.value)
        assert (
            "test_registry.py:test_duplicate_query_type_names_both_places.<locals>.First" in message
        )
        assert "<locals>.Second" in message
    finally:
        QueryFactory._registry._entries.pop("test-duplicate-query")


def test_duplicate_extract_method_names_both_functions():
    @extract_method(name="test-duplicate-flow")
    def one(query):
        return []

    try:
        with pytest.raises(RegistryError, match=r"registered twice: at .*one and at .*two"):

            @extract_method(name="test-duplicate-flow")
            def two(query):
                return []
    finally:
        ExtractStrategy._registry._entries.pop("test-duplicate-flow")


def test_query_type_must_decorate_a_query():
    with pytest.raises(RegistryError, match="must decorate a Query subclass"):
        query_type("not-a-query")(dict)


def test_both_extract_forms_yield_pages():
    @extract_method(name="test-simple-form")
    async def simple(query):
        return [{"event_id": "a"}]

    @extract_method(name="test-paged-form")
    def paged(query, cursor):
        start = 0 if cursor is None else cursor
        for n in range(start, 3):
            yield Page(events=[{"event_id": str(n)}], cursor=n + 1)

    try:
        simple_method = ExtractStrategy.create("test-simple-form")
        assert not simple_method.paged
        assert simple_method(None) == [{"event_id": "a"}]
        assert list(simple_method.pages(None, cursor="done")) == []
        paged_method = ExtractStrategy.create("test-paged-form")
        assert [p.cursor for p in paged_method.pages(None, cursor=1)] == [2, 3]
        assert paged_method(None) == [{"event_id": "0"}, {"event_id": "1"}, {"event_id": "2"}]
    finally:
        ExtractStrategy._registry._entries.pop("test-simple-form")
        ExtractStrategy._registry._entries.pop("test-paged-form")


def test_query_factory_wraps_bad_args():
    with pytest.raises(InvalidQueryError, match="args must be a mapping"):
        QueryFactory.create("launchpad", ["member"])
    with pytest.raises(InvalidQueryError, match="unknown Launchpad argument.*token"):
        QueryFactory.create(
            "launchpad",
            {
                "member": "a",
                "data_date_start": "2024-01-01",
                "data_date_end": "2024-02-01",
                "token": "x",
            },
        )
