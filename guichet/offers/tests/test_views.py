"""HTTP tests of the offer pages of the employer and training-centre spaces: create, edit, publish, withdraw;
bad input gets a French message next to the field and saves nothing; nobody edits someone else's offer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.employers.tests.factories import EstablishmentFactory, EstablishmentMembershipFactory
from guichet.offers.enums import OfferStatus
from guichet.offers.models import Offer
from guichet.offers.tests.factories import OfferFactory
from guichet.trainings.tests.factories import CentreMembershipFactory

pytestmark = pytest.mark.django_db
NEW_URL = reverse("employers:offer_new")


def offer_data(establishment, **overrides):
    data = {
        "establishment": str(establishment.pk),
        "rome_job": "",
        "rome_job_label": "aide-soignant",
        "title": "Aide-soignant en apprentissage",
        "commune": "",
        "commune_label": "",
        "target_level": "4",
        "starts_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "duration_months": "18",
        "weekly_hours": "35",
        "positions": "2",
        "description": "Soins aux patients.",
    }
    data.update(overrides)
    return data


def test_an_employer_creates_a_draft_offer_then_publishes_and_withdraws_it(client):
    membership = EstablishmentMembershipFactory()
    client.force_login(membership.user)
    response = client.post(NEW_URL, offer_data(membership.establishment))
    offer = Offer.objects.get(establishment=membership.establishment)
    assert response["Location"] == reverse("employers:offer_edit", args=[offer.pk])
    assert (offer.status, offer.rome_job.code, offer.positions) == (OfferStatus.DRAFT, "J1501", 2)
    assert offer.commune == membership.establishment.commune  # empty commune: the establishment's
    assert offer.created_by == membership.user
    client.post(reverse("employers:offer_publish", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED
    html = client.get(reverse("employers:space")).content.decode()
    assert "Aide-soignant en apprentissage" in html and "Publiée" in html
    client.post(reverse("employers:offer_withdraw", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"starts_on": "2020-09-01"}, "starts_on", "est déjà passée"),
        ({"positions": "0"}, "positions", "au moins un poste"),
        ({"duration_months": "40"}, "duration_months", "de 6 à 36 mois"),
        ({"duration_months": "3"}, "duration_months", "de 6 à 36 mois"),
        ({"rome_job": "Z9999", "rome_job_label": ""}, "rome_job", "Le code ROME «\u00a0Z9999\u00a0» n'existe pas"),
        ({"rome_job_label": "zzzzqqq"}, "rome_job", "Aucun métier ne correspond"),
        ({"title": ""}, "title", "Saisissez l'intitulé du poste."),
        ({"target_level": "9"}, "target_level", "Choisissez un niveau de diplôme dans la liste"),
        ({"starts_on": "31/02/2027"}, "starts_on", "Saisissez une date valide"),
    ],
)
def test_bad_offer_input_gets_a_french_message_next_to_the_field_and_saves_nothing(client, overrides, field, message):
    membership = EstablishmentMembershipFactory()
    client.force_login(membership.user)
    response = client.post(NEW_URL, offer_data(membership.establishment, **overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field]), response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Offer.objects.filter(establishment=membership.establishment).exists()


def test_an_employer_cannot_post_for_an_establishment_it_does_not_act_for(client):
    membership = EstablishmentMembershipFactory()
    other = EstablishmentFactory()
    client.force_login(membership.user)
    response = client.post(NEW_URL, offer_data(other))
    assert "Choisissez un établissement de la liste" in response.content.decode()
    assert not Offer.objects.filter(establishment=other).exists()


def test_an_employer_edits_its_offer_and_past_dates_are_refused(client):
    membership = EstablishmentMembershipFactory()
    offer = OfferFactory(establishment=membership.establishment)
    client.force_login(membership.user)
    url = reverse("employers:offer_edit", args=[offer.pk])
    assert client.get(url).status_code == 200
    client.post(url, offer_data(membership.establishment, title="Nouveau titre"))
    offer.refresh_from_db()
    assert offer.title == "Nouveau titre"
    response = client.post(url, offer_data(membership.establishment, starts_on="2020-01-01", title="Autre"))
    assert "est déjà passée" in response.content.decode()
    offer.refresh_from_db()
    assert offer.title == "Nouveau titre"


def test_another_employer_cannot_open_change_publish_or_withdraw_an_offer(client):
    offer = OfferFactory()
    client.force_login(EstablishmentMembershipFactory().user)
    assert client.get(reverse("employers:offer_edit", args=[offer.pk])).status_code == 404
    assert client.post(reverse("employers:offer_publish", args=[offer.pk])).status_code == 404
    assert client.post(reverse("employers:offer_withdraw", args=[offer.pk])).status_code == 404
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DRAFT


def test_offer_pages_need_an_employer_account(client):
    response = client.get(NEW_URL)
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(CentreMembershipFactory().user)
    assert client.get(NEW_URL).status_code == 403


def test_a_training_centre_posts_an_offer_for_a_registered_partner_company(client):
    staff = CentreMembershipFactory().user
    partner = EstablishmentFactory()
    client.force_login(staff)
    url = reverse("trainings:partner_offer_create")
    centre = staff.centre_memberships.get().centre
    data = offer_data(partner, partner_siret=partner.siret[:3] + " " + partner.siret[3:], centre=str(centre.pk))
    data.pop("establishment")
    response = client.post(url, data)
    offer = Offer.objects.get(establishment=partner)
    assert response["Location"] == reverse("trainings:offer_edit", args=[offer.pk])
    assert offer.posted_by_centre == centre
    client.post(reverse("trainings:offer_publish", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED


def test_a_partner_offer_needs_a_company_registered_on_the_guichet(client):
    membership = CentreMembershipFactory()
    client.force_login(membership.user)
    data = offer_data(EstablishmentFactory.build(), partner_siret="73282932000074", centre=str(membership.centre_id))
    data.pop("establishment")
    response = client.post(reverse("trainings:partner_offer_create"), data)
    assert "Aucune entreprise inscrite sur le guichet n&#x27;a ce SIRET" in response.content.decode()
    assert not Offer.objects.filter(posted_by_centre__isnull=False).exists()
