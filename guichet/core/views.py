from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from guichet.core.personal_data import retention_rules


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
def personal_data(request: HttpRequest) -> HttpResponse:
    return render(request, "core/personal_data.html", {"retention_rules": retention_rules()})


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "core/terms.html")


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "core/contact.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: answers 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # the point is to report any database failure, whatever its kind
        return JsonResponse({"status": "error", "database": "indisponible"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
