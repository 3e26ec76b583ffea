"""Employer pages: the establishments a recruiter acts for; and `role_required`, the guard of every space.

The employer space (/entreprises/) gathers pages owned by several apps: the URL file includes, by name, the
employer-space URL modules of offers, candidates and matching, so that each page stays in the app that owns
its data and no app imports from an app below it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guichet.accounts.models import Role
from guichet.accounts.permissions import has_role, is_admin
from guichet.employers.selectors import establishment_list_for_user

SPACE_NAMES = {
    Role.YOUNG: "aux jeunes",
    Role.EMPLOYER: "aux employeurs",
    Role.TRAINING_CENTRE: "aux centres de formation",
}


def role_required(*roles: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Anonymous people go to the login page; people with another role get a 403 page saying whom it is for."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (is_admin(user) or has_role(user, *roles)):
                audience = " et ".join(SPACE_NAMES.get(role, str(role)) for role in roles)
                return render(request, "employers/forbidden.html", {"audience": audience}, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@require_GET
@role_required(Role.EMPLOYER)
def establishments(request: HttpRequest) -> HttpResponse:
    items = establishment_list_for_user(user=request.user)
    return render(request, "employers/establishments.html", {"establishments": items})
