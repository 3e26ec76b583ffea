from django.db import models


class OfferStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    PUBLISHED = "published", "Publiée"
    FILLED = "filled", "Pourvue"
    EXPIRED = "expired", "Expirée"
    WITHDRAWN = "withdrawn", "Retirée"
