"""The contract draft as a PDF (fpdf2): the sections of the CERFA FA13 form, marked as a draft to copy onto the
official form. Core PDF fonts only (no font file to ship), so the text is reduced to Latin-1."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from fpdf import FPDF

from guichet.contracts.drafts import CERFA_NOTE, NOT_STORED, SECTIONS, field_label, pay_table
from guichet.contracts.models import ContractDraft

_REPLACEMENTS = {
    "\u00a0": " ",
    "\u202f": " ",
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "œ": "oe",
    "Œ": "OE",
    "€": "euros",
}
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")  # fmt: skip


def latin1(text: str) -> str:
    for source, target in _REPLACEMENTS.items():
        text = text.replace(source, target)
    return text.encode("latin-1", "replace").decode("latin-1")


def french_date(day: date) -> str:
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}"


def french_number(value: Decimal, places: int = 2) -> str:
    text = f"{value:,.{places}f}".replace(",", " ").replace(".", ",")
    return text


def display_value(draft: ContractDraft, name: str) -> str:
    value: Any = getattr(draft, name)
    if value in (None, ""):
        return "à compléter"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, date):
        return french_date(value)
    if isinstance(value, Decimal):
        return french_number(value, 1).removesuffix(",0")
    if name == "apprentice_sex":
        return str(draft.get_apprentice_sex_display())
    if name in ("diploma_level", "apprentice_highest_level"):
        return f"niveau {value}"
    return str(value)


class DraftPdf(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", "B", 8)
        self.set_text_color(176, 0, 32)
        self.cell(0, 5, latin1("BROUILLON - " + CERFA_NOTE), new_x="LMARGIN", new_y="NEXT", align="C")
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 7)
        self.cell(
            0, 5, latin1(f"Guichet Apprentissage, Région Hauts-de-France - page {self.page_no()}/{{nb}}"), align="C"
        )


def contract_draft_pdf(*, draft: ContractDraft) -> bytes:
    pdf = DraftPdf(format="A4")
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.set_margins(14, 10, 14)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, latin1("Projet de contrat d'apprentissage"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    status = (
        f"Déclaré signé le {french_date(timezone.localdate(draft.signed_at))}."
        if draft.signed_at
        else "Validé par l'employeur : "
        + ("oui" if draft.employer_validated_at else "non")
        + ". Validé par l'apprenti : "
        + ("oui" if draft.apprentice_validated_at else "non")
        + "."
    )
    if draft.application.is_synthetic:
        status += " Données fictives de démonstration."
    pdf.multi_cell(
        0, 4, latin1(f"Préparé sur le Guichet Apprentissage le {french_date(timezone.localdate())}. {status}")
    )
    label_width = 78
    for section in SECTIONS:
        pdf.ln(1.5)
        pdf.set_font("Helvetica", "B", 10)
        pdf.set_fill_color(18, 63, 109)
        pdf.set_text_color(255, 255, 255)
        pdf.cell(0, 6, latin1(section.title), new_x="LMARGIN", new_y="NEXT", fill=True)
        pdf.set_text_color(0, 0, 0)
        for name in section.fields:
            pdf.set_font("Helvetica", "", 8)
            y = pdf.get_y()
            pdf.multi_cell(label_width, 4.4, latin1(field_label(name)[:1].upper() + field_label(name)[1:]), border="B")
            label_bottom = pdf.get_y()
            pdf.set_xy(pdf.l_margin + label_width, y)
            pdf.set_font("Helvetica", "B", 8)
            pdf.multi_cell(0, 4.4, latin1(display_value(draft, name)), border="B")
            pdf.set_y(max(label_bottom, pdf.get_y()))
    table = pay_table(draft=draft)
    pdf.ln(1.5)
    pdf.set_font("Helvetica", "B", 10)
    pdf.set_fill_color(18, 63, 109)
    pdf.set_text_color(255, 255, 255)
    pdf.cell(0, 6, latin1("La rémunération"), new_x="LMARGIN", new_y="NEXT", fill=True)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", "B", 8)
    widths = (18, 74, 50, 40)
    for width, title in zip(widths, ("Année", "Période", "% du minimum", "Brut mensuel minimum"), strict=True):
        pdf.cell(width, 5, latin1(title), border=1)
    pdf.ln()
    pdf.set_font("Helvetica", "", 8)
    rows = table.rows or [None, None, None]
    for row in rows:
        cells = (
            (f"{row.contract_year}e", f"du {french_date(row.starts_on)} au {french_date(row.ends_on)}",
             f"{french_number(row.rate_percent, 0)} % du {'SMIC' if row.basis == 'smic' else 'minimum conventionnel'}",
             f"{french_number(row.monthly_gross)} euros")
            if row else ("", "", "", "")
        )  # fmt: skip
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 5, latin1(text), border=1)
        pdf.ln()
    pdf.set_font("Helvetica", "I", 7)
    pdf.multi_cell(0, 3.8, latin1(table.note))
    pdf.ln(1)
    pdf.multi_cell(0, 3.8, latin1(NOT_STORED))
    pdf.ln(1)
    pdf.set_font("Helvetica", "B", 8)
    pdf.multi_cell(
        0,
        4,
        latin1(
            "Signatures : le contrat se signe sur le formulaire officiel CERFA FA13 (employeur, apprenti et, s'il est "
            "mineur, son représentant légal), puis l'employeur le transmet à son OPCO au plus tard 5 jours ouvrables "
            "après le début du contrat."
        ),
    )
    return bytes(pdf.output())
