"""Measure the SQL queries of one page or API call with N rows, then with 3N rows.

A list endpoint is declared as a `ListCase`: its access key (as in guichet.core.access), and a `setup(client)`
that logs the right person in and returns a `Scenario`: the URL to call for a given number of rows, and
`add_rows(count)`, which creates `count` more rows the endpoint must show and returns a text each of them shows
(so that a test cannot pass on a page that lists nothing).
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

SMALL = 3
LARGE = 3 * SMALL

_labels = itertools.count(1)


def label(prefix: str = "Ligne") -> str:
    """A text no reference row contains, and no other label contains either (fixed width)."""
    return f"{prefix} QC{next(_labels):05d}"


@dataclass
class Scenario:
    url: str | Callable[[int], str]  # a fixed URL, or the URL for a total number of rows (page_size=...)
    add_rows: Callable[[int], list[str]]
    method: str = "GET"
    body: dict | None = None
    # Extra queries allowed with 3N rows instead of N (0: the same number). Say why when it is not 0.
    bound: int = 0
    # For JSON lists: the key holding the rows, counted instead of (or as well as) looking for the texts.
    items_key: str = ""
    # For pages whose rows carry no text of their own: count the rows in the answer (must grow).
    count_rows: Callable[[str], int] | None = None

    def url_for(self, rows: int) -> str:
        return self.url(rows) if callable(self.url) else self.url


@dataclass(frozen=True)
class ListCase:
    key: str  # as in guichet.core.access: "namespace:name" or "GET /api/v1/path"
    setup: Callable[[Client], Scenario]
    xfail: str = ""  # "N+1 in <file>: <what>" while the owner of the file fixes it
    notes: str = field(default="", compare=False)


@dataclass
class Measure:
    status: int
    text: str
    queries: list[str]


def measure(client: Client, scenario: Scenario, rows: int) -> Measure:
    url = scenario.url_for(rows)
    with CaptureQueriesContext(connection) as captured:
        if scenario.method == "GET":
            response = client.get(url)
        else:
            response = client.generic(
                scenario.method, url, data=json.dumps(scenario.body or {}), content_type="application/json"
            )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return Measure(
        status=response.status_code,
        text=content.decode("utf-8", errors="replace"),
        queries=[query["sql"] for query in captured.captured_queries],
    )


def shows(text: str, marker: str) -> bool:
    return marker in text or escape(marker) in text or json.dumps(marker)[1:-1] in text


_NUMBERS = re.compile(r"\b\d+\b|'[^']*'")
_LISTS = re.compile(r"\((?:\?, )*\?\)")


def report(small: Measure, large: Measure, *, rows_small: int, rows_large: int) -> str:
    """The queries of both runs, and the statements that grew (numbers and strings blanked out)."""

    def blank(sql: str) -> str:
        return _LISTS.sub("(...)", _NUMBERS.sub("?", sql))

    shape = Counter(blank(sql) for sql in large.queries)
    shape.subtract(Counter(blank(sql) for sql in small.queries))
    grown = [f"  +{count} x {sql[:400]}" for sql, count in shape.most_common() if count > 0]
    lines = [
        f"{len(small.queries)} queries with {rows_small} rows, {len(large.queries)} with {rows_large} rows.",
        "Statements that grew with the rows:",
        *(grown or ["  (none by shape: see the lists)"]),
        f"Queries with {rows_small} rows:",
        *(f"  {number:3d}. {sql[:400]}" for number, sql in enumerate(small.queries, 1)),
        f"Queries with {rows_large} rows:",
        *(f"  {number:3d}. {sql[:400]}" for number, sql in enumerate(large.queries, 1)),
    ]
    return "\n".join(lines)
