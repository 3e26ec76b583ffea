from datetime import date, timedelta

from django.utils import timezone

from guichet.api.keys import partner_key_create
from guichet.api.models import PartnerKey, PartnerScope


def partner_key(
    *, scopes: tuple[str, ...] = (PartnerScope.PUBLIC_READ,), expires_on: date | None = None, **fields: str
) -> tuple[PartnerKey, str]:
    """A key through the real service (hash, prefix, audit), with its secret."""
    return partner_key_create(
        name=fields.get("name", "Tableau de bord"),
        organisation=fields.get("organisation", "OPCO EP"),
        contact_email=fields.get("contact_email", "api@opco.example"),
        scopes=list(scopes),
        expires_on=expires_on or timezone.localdate() + timedelta(days=90),
    )
