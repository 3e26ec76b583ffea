from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "guichet.offers"
    label = "offers"
    verbose_name = "Offres"

    def ready(self) -> None:
        from django_q.models import Schedule

        from guichet.core.scheduling import register_periodic
        from guichet.offers.access import register_offers_access

        register_periodic(
            name="offers.expiry_notices",
            func="guichet.offers.tasks.send_offer_expiry_notices",
            schedule_type=Schedule.DAILY,
            description="Prévenir les employeurs des offres qui vont expirer faute de mise à jour.",
        )
        register_periodic(
            name="offers.expire_stale",
            func="guichet.offers.tasks.expire_stale_offers",
            schedule_type=Schedule.DAILY,
            description="Faire expirer les offres publiées non mises à jour depuis OFFER_EXPIRY_DAYS jours.",
        )
        register_offers_access()
