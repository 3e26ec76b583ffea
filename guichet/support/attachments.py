"""Attachment checks BY CONTENT: the first bytes say what a file is, whatever its name says.

Accepted: PDF (without embedded JavaScript or launch actions), PNG, JPEG. Everything else is refused,
executables first among them (a program renamed "facture.pdf" starts with "MZ" or "\\x7fELF", not "%PDF-").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SIZE = 5 * 1024 * 1024  # 5 Mo per file
MAX_FILES = 3

_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
)
_EXECUTABLES: tuple[bytes, ...] = (
    b"MZ",  # Windows .exe, .dll
    b"\x7fELF",  # Linux
    b"\xcf\xfa\xed\xfe",  # macOS Mach-O
    b"\xfe\xed\xfa\xce",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # scripts
    b"PK\x03\x04",  # zip, jar, office files with macros
)
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|OpenAction\s*<<[^>]*/S\s*/JavaScript)\b")


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    kind: str


class AttachmentRefused(ValueError):
    pass


def check_attachment(*, name: str, size: int, head: bytes, content: bytes | None = None) -> CheckedFile:
    """Check one file from its size and first bytes (and its whole content for PDFs); raise AttachmentRefused
    with a French sentence naming the file."""
    if size <= 0:
        raise AttachmentRefused(f"Le fichier « {name} » est vide : choisissez un autre fichier.")
    if size > MAX_SIZE:
        megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        raise AttachmentRefused(
            f"Le fichier « {name} » pèse {megabytes} Mo : 5 Mo au maximum. Réduisez-le ou envoyez-en une partie."
        )
    if head.startswith(_EXECUTABLES):
        raise AttachmentRefused(
            f"Le fichier « {name} » est un programme ou une archive, pas un document : il est refusé. "
            "Envoyez un PDF, un PNG ou un JPEG."
        )
    for signature, content_type, kind in _SIGNATURES:
        if head.startswith(signature):
            if content_type == "application/pdf" and content is not None and _PDF_ACTIVE.search(content):
                raise AttachmentRefused(
                    f"Le fichier « {name} » contient du code actif (JavaScript ou lancement de programme) : "
                    "il est refusé. Enregistrez-le à nouveau en PDF simple, ou envoyez une image."
                )
            return CheckedFile(content_type=content_type, kind=kind)
    raise AttachmentRefused(
        f"Le fichier « {name} » n'est ni un PDF, ni une image PNG ou JPEG (d'après son contenu, quel que soit son "
        "nom) : il est refusé. Envoyez un PDF, un PNG ou un JPEG."
    )


def human_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} Ko"
    return f"{size / 1024 / 1024:.1f} Mo".replace(".", ",")
