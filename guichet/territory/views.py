"""Territory pages: the htmx partial behind the commune autocomplete (combobox) widget."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guichet.territory.selectors import commune_search

SUGGESTIONS_LIMIT = 10
SUGGESTIONS_MIN_LENGTH = 2
SUGGESTIONS_MAX_LENGTH = 100


@require_GET
def commune_suggestions(request: HttpRequest) -> HttpResponse:
    """`<li role="option">` items for `?q=`; an empty body under two characters (the widget shows nothing)."""
    query = request.GET.get("q", "").strip()[:SUGGESTIONS_MAX_LENGTH]
    if len(query) < SUGGESTIONS_MIN_LENGTH:
        return HttpResponse("")
    communes = commune_search(q=query, limit=SUGGESTIONS_LIMIT)
    return render(request, "territory/partials/_commune_suggestions.html", {"communes": communes})
