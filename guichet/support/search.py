"""Search over the knowledge base: PostgreSQL full-text search (French configuration) in production, a
search-key fallback on SQLite; both expand common words to their synonyms ("salaire" ~ "rémunération").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, QuerySet

from guichet.core.text import search_key

# Groups of words a person may use for the same thing (folded with search_key when compared).
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("salaire", "rémunération", "paie", "paye", "payé", "smic"),
    ("patron", "employeur", "entreprise", "recruteur"),
    ("apprenti", "alternant", "apprentie"),
    ("apprentissage", "alternance"),
    ("cfa", "centre de formation", "école", "ecole"),
    ("rupture", "démission", "licenciement", "arrêter", "arreter", "quitter"),
    ("handicap", "rqth", "handicapé"),
    ("aide", "prime", "subvention", "allocation"),
    ("logement", "loyer", "hébergement", "mobili-jeune"),
    ("transport", "permis", "voiture", "déplacement", "mobilité"),
    ("contrat", "cerfa", "signature"),
    ("opco", "opérateur de compétences"),
    ("congé", "congés", "vacances"),
    ("horaires", "durée du travail", "heures"),
    ("essai", "période probatoire", "45 jours"),
)
_STOP_WORDS = {
    "le", "la", "les", "un", "une", "des", "de", "du", "d", "l", "et", "ou", "a", "au", "aux", "en", "pour",
    "par", "sur", "mon", "ma", "mes", "je", "j", "est", "ce", "que", "qui", "quoi", "comment", "quel",
    "quelle", "quels", "quelles", "il", "elle", "on", "y", "ai", "suis", "sont", "avec", "dans", "pas", "ne",
}  # fmt: skip
_GROUP_OF: dict[str, tuple[str, ...]] = {}
for _group in SYNONYMS:
    for _word in _group:
        _GROUP_OF[search_key(_word)] = _group


@dataclass(frozen=True)
class QueryTerms:
    """Each entry: the alternatives for one word the person typed (the word and its synonyms)."""

    groups: tuple[tuple[str, ...], ...]

    @property
    def empty(self) -> bool:
        return not self.groups


def query_terms(q: str) -> QueryTerms:
    words = [word for word in search_key(q).split() if word not in _STOP_WORDS and len(word) > 1]
    groups: list[tuple[str, ...]] = []
    for word in words[:12]:
        group = _GROUP_OF.get(word)
        groups.append(tuple(dict.fromkeys([word, *(group or ())])))
    return QueryTerms(groups=tuple(groups))


def page_search_fields(*, title: str, summary: str, body: str) -> dict[str, str]:
    """The folded copies of a page both engines search (queries are folded the same way, so "remuneration"
    typed without accents finds "rémunération")."""
    return {"search_title": f" {search_key(title)} ", "search_text": f" {search_key(summary)} | {search_key(body)} "}


def pages_reindex(queryset: QuerySet) -> int:
    """Refresh the stored PostgreSQL search vector of these pages (nothing to do on SQLite)."""
    if connection.vendor != "postgresql":
        return 0
    from django.contrib.postgres.search import SearchVector

    return queryset.update(
        search_vector=SearchVector("search_title", weight="A", config="french")
        + SearchVector("search_text", weight="C", config="french")
    )


def search_pages(queryset: QuerySet, *, q: str) -> list:
    """Pages of `queryset` matching `q`, best first (title hits before body hits)."""
    terms = query_terms(q)
    if terms.empty:
        return []
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, terms)
    return _search_fallback(queryset, terms)


def _search_postgresql(queryset: QuerySet, terms: QueryTerms) -> list:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = None
    for group in terms.groups:
        alternatives = None
        for word in group:
            one = SearchQuery(word, config="french", search_type="phrase")
            alternatives = one if alternatives is None else alternatives | one
        query = alternatives if query is None else query & alternatives
    # `search_vector @@ query` uses the GIN index; only the matching rows are ranked.
    return list(
        queryset.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by(F("rank").desc(), "title")
    )


def _stem(word: str) -> str:
    """A crude French stem for the fallback: plural and feminine endings off (rémunérations -> remuneration)."""
    for ending in ("ements", "ement", "ations", "ation", "es", "s", "x", "e"):
        if len(word) - len(ending) >= 4 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def _search_fallback(queryset: QuerySet, terms: QueryTerms) -> list:
    """Narrow in SQL on the stored folded text (every word group must match one of its stems), then rank the
    few remaining pages in Python: title hits first, then the number of occurrences."""
    from django.db.models import Q

    stem_groups = [[_stem(search_key(word)) for word in group] for group in terms.groups]
    narrowed = queryset
    for stems in stem_groups:
        condition = Q()
        for stem in stems:
            condition |= Q(search_title__contains=stem) | Q(search_text__contains=stem)
        narrowed = narrowed.filter(condition)
    scored = []
    for page in narrowed:
        if not page.search_title:  # a row saved without page_save (never from the app): fold it now
            page.__dict__.update(page_search_fields(title=page.title, summary=page.summary, body=page.body))
        title_part, text = page.search_title, page.search_title + page.search_text
        score = 0.0
        for stems in stem_groups:
            score += 3 if any(stem in title_part for stem in stems) else 1
            score += sum(text.count(stem) for stem in stems) / 100
        scored.append((score, page))
    scored.sort(key=lambda pair: (-pair[0], pair[1].title))
    return [page for _, page in scored]
