"""Autocomplete form fields (commune, job) built on the accessible combobox component.

The widget renders a plain text input plus a hidden input for the code. Without JavaScript, the person
types a name or a postcode and the field resolves it on the server; with JavaScript
(static/js/combobox.js), the text input becomes an ARIA 1.2 combobox fed by an htmx partial and the
chosen option fills the hidden code.

Kept here (accounts sits below territory and jobs, above every app that has forms with a commune) until
territory grows a forms module of its own.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.safestring import SafeString, mark_safe

from guichet.core.text import search_key
from guichet.territory.models import Commune
from guichet.territory.selectors import commune_get, commune_search

LABEL_SUFFIX = "_label"
_NAME_AND_POSTCODE = re.compile(r"^(?P<name>.*?)[\s,]*\(?\s*(?P<postcode>\d{5})\s*\)?$")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


class ComboboxWidget(forms.Widget):
    """A text input (what the person reads and types) and a hidden input (the code sent to the server).

    The text input is named `<name>_label`; the hidden input is named `<name>` and holds the code
    (INSEE code, ROME code...). `value` is a (code, label) pair. `template_name` picks the kind of
    suggestions: components/commune_combobox.html or components/job_combobox.html.
    """

    def __init__(self, *, template_name: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.template_name = template_name

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        # The project's templates/ directory, which the default form renderer does not search.
        return mark_safe(loader.render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str]:
        return (str(data.get(name, "") or "").strip(), str(data.get(name + LABEL_SUFFIX, "") or "").strip())

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and name + LABEL_SUFFIX not in data

    def format_value(self, value: Any) -> tuple[str, str]:
        if isinstance(value, (tuple, list)) and len(value) == 2:
            return str(value[0] or ""), str(value[1] or "")
        return "", ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        code, label = context["widget"]["value"]
        widget_attrs = context["widget"]["attrs"]
        context.update(
            {
                "name": name,
                "input_id": widget_attrs.get("id", f"id_{name}"),
                "code": code,
                "label": label,
                "attrs": widget_attrs,
            }
        )
        return context


def commune_label(commune: Commune) -> str:
    """ "Amiens (80000)": the name and the first postcode, as the suggestions show it."""
    postcodes = commune.postcode_list
    return f"{commune.name} ({postcodes[0]})" if postcodes else commune.name


def commune_resolve(text: str) -> list[Commune]:
    """Communes matching what a person typed without the autocomplete: a name, a postcode, or both.

    Returns one commune when the text designates it without doubt, several when it is ambiguous,
    none when nothing matches.
    """
    text = text.strip()
    if not text:
        return []
    match = _NAME_AND_POSTCODE.match(text)
    name, postcode = (match["name"].strip(), match["postcode"]) if match else (text, "")
    if postcode:
        with_postcode = [
            commune for commune in commune_search(q=postcode, limit=100) if postcode in commune.postcode_list
        ]
        if not name:
            return with_postcode
        key = _name_key(name)
        exact = [commune for commune in with_postcode if commune.search_name == key]
        return exact or [commune for commune in with_postcode if commune.search_name.startswith(key)]
    found = commune_search(q=name, limit=10)
    key = _name_key(name)
    exact = [commune for commune in found if commune.search_name == key]
    return exact or found


def _name_key(name: str) -> str:
    return " ".join(_ABBREVIATIONS.get(word, word) for word in search_key(name).split())


class CommuneField(forms.Field):
    """A commune chosen in the combobox (INSEE code) or typed by name or postcode (resolved here)."""

    default_error_messages = {
        "required": "Saisissez le nom ou le code postal de la commune, puis choisissez-la dans la liste.",
        "not_found": (
            "Aucune commune ne correspond à «\u00a0%(text)s\u00a0». "
            "Vérifiez l'orthographe ou saisissez le code postal."
        ),
        "ambiguous": (
            "Plusieurs communes correspondent à «\u00a0%(text)s\u00a0» (%(examples)s) : précisez le code postal, "
            "par exemple «\u00a0%(example)s\u00a0»."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Commune")
        kwargs.setdefault(
            "help_text",
            "Tapez au moins deux lettres du nom ou le code postal, "
            "par exemple «\u00a0Amiens\u00a0» ou «\u00a080000\u00a0».",
        )
        kwargs.setdefault(
            "widget",
            ComboboxWidget(template_name="components/commune_combobox.html"),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Commune):
            return (value.insee, commune_label(value))
        if isinstance(value, str) and value:
            commune = commune_get(insee=value)
            return (commune.insee, commune_label(commune)) if commune else ("", value)
        return value

    def to_python(self, value: Any) -> Commune | None:
        code, text = value if isinstance(value, (tuple, list)) else ("", value or "")
        if code:
            commune = commune_get(insee=code)
            # A code with a label that no longer names it means the person typed over a chosen commune
            # with JavaScript off or half loaded: trust the text, not the stale code.
            if commune and (not text or commune_label(commune) == text or _name_key(text) == commune.search_name):
                return commune
        if not text:
            return None
        matches = commune_resolve(text)
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(self.error_messages["not_found"], code="not_found", params={"text": text})
        labels = [commune_label(commune) for commune in matches[:4]]
        raise ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={"text": text, "examples": ", ".join(labels), "example": labels[0]},
        )

    def has_changed(self, initial: Any, data: Any) -> bool:
        initial_code = self.prepare_value(initial)[0] if initial else ""
        data_code = data[0] if isinstance(data, (tuple, list)) else ""
        return initial_code != data_code
