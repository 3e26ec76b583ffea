"""Jobs pages: the htmx partial behind the job autocomplete (combobox) widget."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guichet.jobs.selectors import MIN_QUERY_LENGTH, job_search

SUGGESTIONS_LIMIT = 10
SUGGESTIONS_MAX_LENGTH = 100


@require_GET
def job_suggestions(request: HttpRequest) -> HttpResponse:
    """`<li role="option">` items for `?q=`; an empty body under two characters (the widget shows nothing)."""
    query = request.GET.get("q", "").strip()[:SUGGESTIONS_MAX_LENGTH]
    if len(query) < MIN_QUERY_LENGTH:
        return HttpResponse("")
    result = job_search(q=query, limit=SUGGESTIONS_LIMIT)
    return render(request, "jobs/partials/_job_suggestions.html", {"jobs": result.items})
