"""The WADL documents the simulator serves, one per web-service version.

Both start from the 1.0 WADL that launchpadlib ships for its tests, with the base
rewritten to the simulator's root. `devel` then gets what Launchpad's devel has and
1.0 lacks, as far as the flows need it: question fields, question messages,
person/team ``searchQuestions``, and ``total_size_link`` on collection pages (for
named operations Launchpad answers in devel with a link to the size, not the size).
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from xml.etree import ElementTree

SHIPPED_BASE = "https://api.launchpad.test/1.0/"
VERSIONS = ("1.0", "devel")
_NS = "{http://research.sun.com/wadl/2006/10}"
_TOTAL_SIZE = (
    '<wadl:param style="plain" name="total_size" path="$[\'total_size\']" required="true"/>'
)


@functools.cache
def _shipped_wadl() -> str:
    path = resources.files("launchpadlib") / "testing" / "launchpad-wadl.xml"
    return path.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=16)
def wadl_document(version: str, root: str) -> tuple[bytes, str]:
    """The WADL for `version` with links under `root` (".../<version>/"), and its ETag."""
    if version not in VERSIONS:
        raise ValueError(f"unknown version {version!r}")
    text = _shipped_wadl().replace(SHIPPED_BASE, root)
    if version == "devel":
        text = _add_devel_features(text, root)
    body = text.encode("utf-8")
    return body, '"' + hashlib.sha1(body).hexdigest() + '"'


def _param(name: str, link: str | None = None, date: bool = False, required: bool = True) -> str:
    kind = ' type="xsd:dateTime"' if date else ""
    flag = "true" if required else "false"
    head = f'<wadl:param style="plain" required="{flag}" name="{name}" path="$[\'{name}\']"{kind}'
    if link is None:
        return head + "/>"
    return head + f'><wadl:link resource_type="{link}"/></wadl:param>'


def _entry_header(root: str, type_name: str) -> str:
    return "\n".join(
        [
            f'<wadl:param style="plain" name="self_link" path="$[\'self_link\']">'
            f'<wadl:link resource_type="{root}#{type_name}"/></wadl:param>',
            '<wadl:param style="plain" name="web_link" path="$[\'web_link\']"><wadl:link/>'
            "</wadl:param>",
            '<wadl:param style="plain" name="resource_type_link" '
            "path=\"$['resource_type_link']\"><wadl:link/></wadl:param>",
            '<wadl:param style="plain" name="http_etag" path="$[\'http_etag\']"/>',
        ]
    )


def _question_fields(root: str) -> str:
    return "\n".join(
        [
            _param("id"),
            _param("title"),
            _param("description"),
            _param("status"),
            _param("language_link", f"{root}#language"),
            _param("owner_link", f"{root}#person"),
            _param("assignee_link", f"{root}#person"),
            _param("answerer_link", f"{root}#person"),
            _param("answer_link", f"{root}#question_message"),
            _param("date_created", date=True),
            _param("date_due", date=True),
            _param("date_last_query", date=True),
            _param("date_last_response", date=True),
            _param("date_solved", date=True),
            _param("target_link", f"{root}#project"),
            _param("messages_collection_link", f"{root}#question_message-page-resource"),
        ]
    )


def _question_message_types(root: str) -> str:
    fields = [
        _entry_header(root, "question_message"),
        _param("bug_attachments_collection_link", f"{root}#bug_attachment-page-resource"),
        _param("content"),
        _param("date_created", date=True),
        _param("date_deleted", date=True),
        _param("date_last_edited", date=True),
        _param("owner_link", f"{root}#person"),
        _param("parent_link", f"{root}#message"),
        _param("subject"),
        _param("question_link", f"{root}#question"),
        _param("action"),
        _param("new_status"),
        _param("index"),
        _param("visible"),
    ]
    page = [
        '<wadl:param style="plain" name="resource_type_link" path="$[\'resource_type_link\']">'
        "<wadl:link/></wadl:param>",
        _TOTAL_SIZE,
        '<wadl:param style="plain" name="start" path="$[\'start\']" required="true"/>',
        _param("next_collection_link", "#question_message-page-resource", required=False),
        _param("prev_collection_link", "#question_message-page-resource", required=False),
        '<wadl:param style="plain" name="entries" path="$[\'entries\']" required="true"/>',
        '<wadl:param style="plain" name="entry_links" path="$[\'entries\'][*][\'self_link\']">'
        f'<wadl:link resource_type="{root}#question_message"/></wadl:param>',
    ]
    return f"""
  <wadl:resource_type id="question_message">
    <wadl:doc xmlns="http://www.w3.org/1999/xhtml">A message part of a question.</wadl:doc>
    <wadl:method name="GET" id="question_message-get">
      <wadl:response>
        <wadl:representation href="{root}#question_message-full"/>
        <wadl:representation mediaType="application/vnd.sun.wadl+xml" id="question_message-wadl"/>
      </wadl:response>
    </wadl:method>
  </wadl:resource_type>
  <wadl:representation mediaType="application/json" id="question_message-full">
{chr(10).join(fields)}
  </wadl:representation>
  <wadl:resource_type id="question_message-page-resource">
    <wadl:method name="GET" id="question_message-page-resource-get">
      <wadl:response><wadl:representation href="#question_message-page"/></wadl:response>
    </wadl:method>
  </wadl:resource_type>
  <wadl:representation mediaType="application/json" id="question_message-page">
{chr(10).join(page)}
  </wadl:representation>
"""


def _options(name: str, values: tuple[str, ...]) -> str:
    options = "".join(f'<wadl:option value="{v}"/>' for v in values)
    return f'<wadl:param style="query" name="{name}" required="false">{options}</wadl:param>'


def _search_questions(owner_type: str, root: str) -> str:
    from simulator.launchpad.vocab import QUESTION_PARTICIPATIONS, QUESTION_SORTS

    return f"""
      <wadl:method id="{owner_type}-searchQuestions" name="GET">
        <wadl:doc xmlns="http://www.w3.org/1999/xhtml">
          <p>Search the person's questions.</p>
        </wadl:doc>
        <wadl:request>
          <wadl:param style="query" name="ws.op" required="true" fixed="searchQuestions"/>
          <wadl:param style="query" name="search_text" required="false"/>
          <wadl:param style="query" name="status" required="false"/>
          <wadl:param style="query" name="language" required="false"/>
          {_options("participation", QUESTION_PARTICIPATIONS)}
          <wadl:param style="query" name="needs_attention" required="false"/>
          {_options("sort", QUESTION_SORTS)}
        </wadl:request>
        <wadl:response>
          <wadl:representation href="{root}#question-page"/>
        </wadl:response>
      </wadl:method>"""


def _insert_after(text: str, anchor: str, closing: str, addition: str) -> str:
    at = text.index(anchor)
    end = text.index(closing, at) + len(closing)
    return text[:end] + addition + text[end:]


def _add_devel_features(text: str, root: str) -> str:
    if _TOTAL_SIZE not in text:
        raise RuntimeError("launchpadlib's WADL changed: no total_size parameter found")
    optional = _TOTAL_SIZE.replace('required="true"', 'required="false"')
    size_link = _param("total_size_link", f"{root}#ScalarValue", required=False)
    text = text.replace(_TOTAL_SIZE, optional + "\n      " + size_link)
    # Question fields go after http_etag, the last field 1.0 declares for questions.
    question_at = text.index('id="question-full">')
    text = text[:question_at] + _insert_after(
        text[question_at:], 'name="http_etag"', "</wadl:param>", "\n" + _question_fields(root)
    )
    for owner_type in ("person", "team"):
        anchor = f'id="{owner_type}-getMergeProposals"'
        text = _insert_after(text, anchor, "</wadl:method>", _search_questions(owner_type, root))
    closing = "</wadl:application>"
    return text.replace(closing, _question_message_types(root) + closing)


@functools.cache
def _schema_tree(version: str) -> ElementTree.Element:
    body, _ = wadl_document(version, f"http://schema.invalid/{version}/")
    return ElementTree.fromstring(body)


@functools.cache
def entry_fields(version: str) -> dict[str, dict[str, str | None]]:
    """For each entry type, its JSON fields in WADL order, each with the resource
    type (the part after "#") its link points to, or None for plain values."""
    tree = _schema_tree(version)
    fields: dict[str, dict[str, str | None]] = {}
    for representation in tree.iter(f"{_NS}representation"):
        rep_id = representation.get("id") or ""
        if not rep_id.endswith("-full"):
            continue
        declared: dict[str, str | None] = {}
        for param in representation.findall(f"{_NS}param"):
            link = param.find(f"{_NS}link")
            target = link.get("resource_type") if link is not None else None
            declared[param.get("name") or ""] = target.rpartition("#")[2] if target else None
        fields[rep_id.removesuffix("-full")] = declared
    return fields


@functools.cache
def service_root_fields(version: str) -> tuple[str, ...]:
    """The link names of the service root's JSON representation."""
    for representation in _schema_tree(version).iter(f"{_NS}representation"):
        if representation.get("id") == "service-root-json":
            return tuple(p.get("name") or "" for p in representation.findall(f"{_NS}param"))
    raise RuntimeError("launchpadlib's WADL has no service-root-json representation")
