"""Periodic jobs of the offers app (registered in OffersConfig.ready, run by django-q)."""

from __future__ import annotations

from guichet.offers.services import offer_expire_stale, offer_send_expiry_notices


def send_offer_expiry_notices() -> str:
    return f"{offer_send_expiry_notices()} avis d'expiration envoyés."


def expire_stale_offers() -> str:
    return f"{offer_expire_stale()} offres expirées."
