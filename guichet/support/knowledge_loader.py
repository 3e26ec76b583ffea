"""Reference loader of the knowledge base: data/reference/knowledge/*.md, one page per file, idempotent.

Each file starts with a header between two `---` lines, one `key: value` per line (lists: one `- item`
per line under the key), then the page text in Markdown:

    ---
    slug: trouver-un-employeur
    title: Trouver un employeur
    summary: ...
    audiences: jeunes, familles
    topics: employeur
    owner: Service apprentissage de la Région
    last_reviewed: 2026-11-25
    next_review: 2027-05-25
    sources:
    - C. trav. L6222-12
    ---
    Text...

A second load of unchanged files changes nothing; a changed file updates its page and records a version.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from guichet.core.importing import ImportReport, reference_file
from guichet.support.enums import Audience, CompanySize, Topic

REQUIRED = ("slug", "title", "summary", "audiences", "owner", "last_reviewed", "next_review", "sources")
LIST_KEYS = {"sources"}
FIELDS = ("title", "summary", "body", "sources", "audiences", "topics", "owner_label", "last_reviewed_on",
          "next_review_on", "min_age", "max_age", "company_size", "disability_only")  # fmt: skip


class PageFileError(ValueError):
    pass


def parse_page_file(text: str) -> dict[str, object]:
    """Header + Markdown body -> the fields of a KnowledgePage. Raises PageFileError in French."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise PageFileError("le fichier doit commencer par une ligne « --- » suivie de l'en-tête")
    try:
        end = lines.index("---", 1)
    except ValueError as error:
        raise PageFileError("l'en-tête n'est pas fermé par une ligne « --- »") from error
    header: dict[str, object] = {}
    current_list: list[str] | None = None
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip():
            continue
        if line.lstrip().startswith("- ") and current_list is not None:
            current_list.append(line.lstrip()[2:].strip())
            continue
        key, separator, value = line.partition(":")
        if not separator:
            raise PageFileError(f"ligne {number} : « clé: valeur » attendu")
        key, value = key.strip(), value.strip()
        if key in LIST_KEYS:
            current_list = [value] if value else []
            header[key] = current_list
        else:
            current_list = None
            header[key] = value
    missing = [key for key in REQUIRED if not header.get(key)]
    if missing:
        raise PageFileError(f"en-tête incomplet, il manque : {', '.join(missing)}")
    body = "\n".join(lines[end + 1 :]).strip() + "\n"
    audiences = [item.strip() for item in str(header["audiences"]).split(",") if item.strip()]
    unknown = [item for item in audiences if item not in Audience.values]
    if unknown:
        raise PageFileError(f"public inconnu : {', '.join(unknown)} (attendu : {', '.join(Audience.values)})")
    topics = [item.strip() for item in str(header.get("topics", "")).split(",") if item.strip()]
    unknown = [item for item in topics if item not in Topic.values]
    if unknown:
        raise PageFileError(f"thème inconnu : {', '.join(unknown)} (attendu : {', '.join(Topic.values)})")
    try:
        last_reviewed, next_review = (
            date.fromisoformat(str(header["last_reviewed"])),
            date.fromisoformat(str(header["next_review"])),
        )
    except ValueError as error:
        raise PageFileError("dates de vérification au format AAAA-MM-JJ attendues") from error
    if next_review < last_reviewed:
        raise PageFileError("la prochaine vérification précède la dernière")
    company_size = str(header.get("company_size", ""))
    if company_size and company_size not in CompanySize.values:
        raise PageFileError(f"taille d'entreprise inconnue : {company_size}")

    def optional_int(key: str) -> int | None:
        value = str(header.get(key, "")).strip()
        if not value:
            return None
        if not value.isdigit():
            raise PageFileError(f"{key} doit être un nombre entier")
        return int(value)

    return {
        "slug": str(header["slug"]),
        "title": str(header["title"]),
        "summary": str(header["summary"]),
        "body": body,
        "sources": "\n".join(header["sources"]),  # type: ignore[arg-type]
        "audiences": audiences,
        "topics": topics,
        "owner_label": str(header["owner"]),
        "last_reviewed_on": last_reviewed,
        "next_review_on": next_review,
        "min_age": optional_int("min_age"),
        "max_age": optional_int("max_age"),
        "company_size": company_size,
        "disability_only": str(header.get("disability_only", "")).lower() in {"oui", "true", "1"},
    }


def load_knowledge(directory: Path | None = None) -> list[ImportReport]:
    """Load every page file; the reference registry wraps all loaders in one transaction."""
    from guichet.support.models import KnowledgePage
    from guichet.support.services import page_save

    directory = directory or reference_file("knowledge")
    report = ImportReport(source="knowledge (pages d'information)")
    parsed: list[tuple[str, dict[str, object]]] = []
    for line, path in enumerate(sorted(directory.glob("*.md")), start=1):
        report.read += 1
        try:
            parsed.append((path.name, parse_page_file(path.read_text(encoding="utf-8"))))
        except PageFileError as error:
            report.reject(line, f"{path.name} : {error}")
    slugs = [values["slug"] for _, values in parsed]
    for slug in {slug for slug in slugs if slugs.count(slug) > 1}:
        report.reject(0, f"adresse (slug) en double : {slug}")
    if report.rejected:
        return [report]
    for name, values in parsed:
        page = KnowledgePage.objects.filter(slug=values["slug"]).first()
        if page is not None and all(getattr(page, key) == values[key] for key in FIELDS):
            report.unchanged += 1
            continue
        if page is None:
            page = KnowledgePage(slug=str(values["slug"]))
            report.created += 1
        else:
            report.updated += 1
        for key in FIELDS:
            setattr(page, key, values[key])
        page.review_flagged_at = None
        page_save(page=page, changed_by=None, changed_by_label="Données de référence", note=f"Chargement de {name}")
    return [report]
