"""Reads for the jobs app: search over ROME titles and appellations, one job, the diploma levels."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Prefetch, Q, QuerySet

from guichet.core.text import search_key
from guichet.jobs.models import Appellation, DiplomaLevel, ProfessionalDomain, RomeJob

MIN_QUERY_LENGTH = 2
_ROME_CODE = re.compile(r"^[a-n]\d{4}$")
_ROME_CODE_PREFIX = re.compile(r"^[a-n]\d{1,3}$")

# Ranks, best first. A typed ROME code beats any text match.
CODE, EXACT, PREFIX, WORD_PREFIX, CONTAINS, ALL_WORDS = range(6)


@dataclass(frozen=True)
class JobMatch:
    code: str
    title: str
    domain: ProfessionalDomain
    future_family: str
    matched_appellation: str | None
    rank: int

    @property
    def is_future(self) -> bool:
        return bool(self.future_family)


@dataclass(frozen=True)
class JobSearchResult:
    items: list[JobMatch]
    count: int  # all matching jobs, of which `items` holds the best `limit`


def _same_stem(masculine: str, feminine: str) -> bool:
    return search_key(masculine)[:3] == search_key(feminine)[:3]


@lru_cache(maxsize=32768)
def _title_variants(title: str) -> tuple[str, ...]:
    """A folded title and its two gendered forms.

    ROME titles write both genders once: "Cuisinier / Cuisinière à domicile" means "Cuisinier à
    domicile" and "Cuisinière à domicile"; "Chef boulanger / boulangère" means "Chef boulanger" and
    "Chef boulangère". The feminine words after the slash replace the last masculine words that share
    their stem; the words after them are common to both forms.
    """
    key = search_key(title)
    if title.count(" / ") != 1:
        return (key,)
    before, after = (part.split() for part in title.split(" / "))
    if not before or not after:
        return (key,)
    size = 1
    for candidate in range(min(len(before), len(after)), 0, -1):
        if all(_same_stem(m, f) for m, f in zip(before[-candidate:], after[:candidate], strict=True)):
            size = candidate
            break
    common = after[size:]
    masculine = " ".join([*before, *common])
    feminine = " ".join([*before[: len(before) - size], *after[:size], *common])
    return (key, search_key(masculine), search_key(feminine))


def _rank(query: str, words: list[str], title: str) -> tuple[int, int] | None:
    """(rank, length of the closest form) of a title for the folded query; None if it does not match."""
    best: tuple[int, int] | None = None
    for key in _title_variants(title):
        if key == query:
            rank = EXACT
        elif key.startswith(query):
            rank = PREFIX
        elif f" {query}" in f" {key}":
            rank = WORD_PREFIX
        elif query in key:
            rank = CONTAINS
        elif all(word in key for word in words):
            rank = ALL_WORDS
        else:
            continue
        if best is None or (rank, len(key)) < best:
            best = (rank, len(key))
    return best


def _text_filter(field: str, words: list[str]) -> Q:
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__contains": word})
    return condition


def job_search(*, q: str, limit: int = 10) -> JobSearchResult:
    """Jobs whose ROME title or one of its appellations matches `q`, best first, one entry per ROME code.

    Accent-, case- and punctuation-insensitive (search_key). Ranking: a ROME code typed as such,
    then exact title, title prefix, prefix of a word, anywhere, and finally all the words anywhere.
    Ties go to the job title over an appellation, then to the shorter matching form (closer to what
    was typed), then to the ROME code.
    """
    query = search_key(q)
    if len(query) < MIN_QUERY_LENGTH or limit < 1:
        return JobSearchResult(items=[], count=0)
    words = query.split()
    # code -> (rank, source: 0 job title / 1 appellation, length of the closest matching form)
    best: dict[str, tuple[int, int, int]] = {}
    # code -> (rank, length, title) of its best matching appellation
    best_appellation: dict[str, tuple[int, int, str]] = {}

    def consider(code: str, candidate: tuple[int, int, int]) -> None:
        if code not in best or candidate < best[code]:
            best[code] = candidate

    compact = query.replace(" ", "")
    if _ROME_CODE.match(compact) or _ROME_CODE_PREFIX.match(compact):
        codes = RomeJob.objects.filter(code__startswith=compact.upper()).values_list("code", flat=True)
        for code in codes:
            consider(code, (CODE if len(compact) == 5 else PREFIX, 0, 5))
    for code, title in RomeJob.objects.filter(_text_filter("search_title", words)).values_list("code", "title"):
        if (ranked := _rank(query, words, title)) is not None:
            consider(code, (ranked[0], 0, ranked[1]))
    appellations = Appellation.objects.filter(_text_filter("search_title", words)).values_list("job__code", "title")
    for code, title in appellations:
        if (ranked := _rank(query, words, title)) is None:
            continue
        consider(code, (ranked[0], 1, ranked[1]))
        if code not in best_appellation or (*ranked, title) < best_appellation[code]:
            best_appellation[code] = (*ranked, title)
    ordered = sorted(best, key=lambda code: (best[code], code))[:limit]
    jobs = RomeJob.objects.select_related("domain").in_bulk(ordered, field_name="code")
    items = [
        JobMatch(
            code=code,
            title=jobs[code].title,
            domain=jobs[code].domain,
            future_family=jobs[code].future_family,
            matched_appellation=best_appellation[code][2] if code in best_appellation else None,
            rank=best[code][0],
        )
        for code in ordered
    ]
    return JobSearchResult(items=items, count=len(best))


def job_get(*, code: str) -> RomeJob | None:
    """One ROME job with its domain and appellations (alphabetical); None for an unknown code."""
    code = code.strip().upper()
    if not _ROME_CODE.match(code.lower()):
        return None
    return (
        RomeJob.objects.select_related("domain")
        .prefetch_related(Prefetch("appellations", queryset=Appellation.objects.order_by("title")))
        .filter(code=code)
        .first()
    )


def diploma_level_list() -> QuerySet[DiplomaLevel]:
    return DiplomaLevel.objects.order_by("level")
