"""Shared page components: the demo-data banner, form fields with their hint and error, the error summary.

A template tag rather than a context processor, so that nothing has to be registered in settings and
templates that never show the banner pay nothing for it.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.forms import BoundField, CheckboxInput, Form
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def demo_banner_shown() -> bool:
    """True when the database holds the fictitious demo population (setting DEMO_BANNER)."""
    return bool(getattr(settings, "DEMO_BANNER", False))


@register.inclusion_tag("components/demo_banner.html")
def demo_banner() -> dict[str, object]:
    return {"shown": demo_banner_shown()}


@register.simple_tag
def contact_email() -> str:
    """The service's contact address (setting CONTACT_EMAIL); empty until it is published."""
    return str(getattr(settings, "CONTACT_EMAIL", "") or "")


@register.inclusion_tag("components/field.html")
def field(bound_field: BoundField, *, autocomplete: str = "", css_class: str = "") -> dict[str, object]:
    """A labelled field with its hint and its error, tied to the input by aria-describedby.

    Django (5.0+) already sets aria-describedby to `<id>_helptext` and `<id>_error` and aria-invalid
    when the field has an error; the template gives those ids to the hint and the error list.
    """
    if autocomplete:
        bound_field.field.widget.attrs.setdefault("autocomplete", autocomplete)
    return {
        "field": bound_field,
        "is_checkbox": isinstance(bound_field.field.widget, CheckboxInput),
        "css_class": css_class,
    }


@register.inclusion_tag("components/error_summary.html")
def error_summary(form: Form) -> dict[str, object]:
    """The list of errors at the top of a form, each linking to the field at fault.

    A form may name its fields more briefly here with `summary_labels` (a long checkbox label, say).
    """
    labels = getattr(form, "summary_labels", {})
    field_errors = [
        (form[name].auto_id or "", labels.get(name) or form[name].label or name, error)
        for name, errors in form.errors.items()
        if name != "__all__" and name in form.fields
        for error in errors
    ]
    return {"form": form, "non_field_errors": form.non_field_errors(), "field_errors": field_errors}


@register.simple_tag(takes_context=True)
def nav_current(context: template.Context, *prefixes: str) -> SafeString:
    """`aria-current="page"` when the current path is, or starts with, one of the prefixes."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return mark_safe("")
    for prefix in prefixes:
        if request.path == prefix or (prefix != "/" and request.path.startswith(prefix)):
            return mark_safe(' aria-current="page"')
    return mark_safe("")


# The personal spaces each role reaches from the account menu: (label, URL name). URL names are strings,
# so core needs no import of the apps that own the pages.
_SPACES_BY_ROLE: dict[str, list[tuple[str, str]]] = {
    "jeune": [("Mon espace", "candidates:space"), ("Mes demandes", "support:my_requests")],
    "employeur": [("Mon espace entreprise", "employers:space"), ("Mes demandes d'aide", "aids:applications")],
    "cfa": [("Mon espace CFA", "trainings:space")],
    "conseiller": [
        ("Demandes à traiter", "support:advisor_dashboard"),
        ("Aides à instruire", "aids:queue"),
        ("Pages à vérifier", "support:editor_dashboard"),
    ],
    "analyste": [("Observatoire", "observatory:dashboard")],
    "admin": [
        ("Observatoire", "observatory:dashboard"),
        ("Demandes à traiter", "support:advisor_dashboard"),
        ("Aides à instruire", "aids:queue"),
        ("Budgets des aides", "aids:budgets"),
        ("Administration", "admin:index"),
    ],
}


@register.simple_tag
def user_spaces(user: object) -> list[tuple[str, str]]:
    """The (label, url) pairs of the spaces of a signed-in user's role; empty for anonymous visitors."""
    from django.urls import NoReverseMatch, reverse

    if not getattr(user, "is_authenticated", False):
        return []
    links = []
    for label, name in _SPACES_BY_ROLE.get(getattr(user, "role", ""), []):
        try:
            links.append((label, reverse(name)))
        except NoReverseMatch:  # an app not installed in this deployment
            continue
    return links
