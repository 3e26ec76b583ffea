from django.db import models


class OfferStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    PUBLISHED = "published", "Publiée"
    FILLED = "filled", "Pourvue"
    EXPIRED = "expired", "Expirée"
    WITHDRAWN = "withdrawn", "Retirée"


# Statuses an offer may never leave.
FINAL_STATUSES = frozenset({OfferStatus.FILLED, OfferStatus.EXPIRED, OfferStatus.WITHDRAWN})
