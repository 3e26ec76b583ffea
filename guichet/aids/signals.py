"""Clear the cached RuleSet as soon as a parameter row is added or an open period is closed."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from guichet.aids.models import (
    AidProgramme,
    AidRule,
    ContributionRate,
    ExemptionRegime,
    IncomeTaxCeiling,
    PayGridRate,
    PaymentRule,
    SmicRate,
)
from guichet.aids.selectors import CACHE_KEY

PARAMETER_MODELS = (
    AidProgramme,
    AidRule,
    ContributionRate,
    ExemptionRegime,
    IncomeTaxCeiling,
    PayGridRate,
    PaymentRule,
    SmicRate,
)


def _clear(**kwargs: object) -> None:
    cache.delete(CACHE_KEY)


for _model in PARAMETER_MODELS:
    post_save.connect(_clear, sender=_model, dispatch_uid=f"aids-ruleset-{_model.__name__}-save")
    post_delete.connect(_clear, sender=_model, dispatch_uid=f"aids-ruleset-{_model.__name__}-delete")
