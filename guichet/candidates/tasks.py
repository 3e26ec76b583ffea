"""Periodic jobs of the candidates app (registered in CandidatesConfig.ready, run by django-q)."""

from __future__ import annotations

from guichet.candidates.services import application_process_silence


def process_employer_silence() -> str:
    return application_process_silence().as_text()
