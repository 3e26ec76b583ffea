"""HTTP tests of the young person's space (profile, applications) and of the applications side of the employer
space (offers with counts, board, answers): permissions, bad input, and the status seen by both sides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.tests.factories import UserFactory
from guichet.candidates.enums import ApplicationStatus
from guichet.candidates.models import Application, CandidateProfile
from guichet.candidates.services import application_create
from guichet.candidates.tests.factories import CandidateProfileFactory
from guichet.employers.tests.factories import EstablishmentMembershipFactory
from guichet.matching.tests.test_views import build_market

pytestmark = pytest.mark.django_db
PROFILE_URL = reverse("candidates:profile")


def profile_data(**overrides):
    data = {
        "birth_date": "2007-05-12",
        "insee": "",
        "commune": "",
        "commune_label": "Amiens",
        "mobility_radius_km": "25",
        "wished_job_1": "",
        "wished_job_1_label": "aide-soignant",
        "wished_level": "4",
        "available_from": "",
        "visible_to_employers": "on",
    }
    data.update(overrides)
    return data


def test_anonymous_people_are_sent_to_the_login_page(client):
    for url in (reverse("candidates:space"), PROFILE_URL, reverse("employers:space")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_young_person_completes_the_profile_and_consents_to_be_visible(client):
    young = UserFactory()
    client.force_login(young)
    response = client.post(PROFILE_URL, profile_data())
    assert response.status_code == 302
    profile = CandidateProfile.objects.get(user=young)
    assert profile.commune.insee == "80021"
    assert profile.mobility_radius_km == 25
    assert list(profile.wished_jobs.values_list("code", flat=True)) == ["J1501"]
    assert profile.visible_to_employers and profile.visibility_consent_at is not None
    html = client.get(reverse("candidates:space")).content.decode()
    assert "25&nbsp;km autour de chez vous" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"mobility_radius_km": "0"}, "mobility_radius_km", "Le rayon de mobilité va de 1 à 200 km."),
        ({"mobility_radius_km": "250"}, "mobility_radius_km", "Le rayon de mobilité va de 1 à 200 km."),
        ({"birth_date": "2024-01-01"}, "birth_date", "L'apprentissage commence à 15 ans"),
        ({"birth_date": "pas une date"}, "birth_date", "Saisissez une date valide"),
        ({"wished_job_1": "Z9999", "wished_job_1_label": ""}, "wished_job_1", "Le code ROME"),
        ({"commune_label": ""}, "commune", "Saisissez le nom ou le code postal de la commune"),
    ],
)
def test_a_bad_profile_gets_a_message_next_to_the_field_and_nothing_is_saved(client, overrides, field, message):
    young = UserFactory()
    client.force_login(young)
    response = client.post(PROFILE_URL, profile_data(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not CandidateProfile.objects.filter(user=young).exists()


def test_applying_needs_a_young_persons_account(client):
    market = build_market()
    url = reverse("candidates:apply", args=[market.offer.pk])
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(market.employer)
    assert client.get(url).status_code == 403


def test_a_young_person_without_a_profile_is_asked_to_complete_it_first(client):
    market = build_market()
    client.force_login(UserFactory())
    response = client.get(reverse("candidates:apply", args=[market.offer.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(PROFILE_URL + "?suite=")


def test_a_young_person_applies_with_a_message_and_sees_the_confirmation(client):
    market = build_market()
    client.force_login(market.young)
    response = client.post(
        reverse("candidates:apply", args=[market.offer.pk]), {"message": "Je suis motivée."}, follow=True
    )
    application = Application.objects.get(candidate=market.profile, offer=market.offer)
    assert application.status == ApplicationStatus.SENT
    assert application.message == "Je suis motivée."
    html = response.content.decode()
    assert "Votre candidature est envoyée" in html
    assert "Envoyée" in html


def test_applying_twice_is_refused_with_a_clear_message(client):
    market = build_market()
    application_create(candidate=market.profile, offer=market.offer)
    client.force_login(market.young)
    response = client.post(reverse("candidates:apply", args=[market.offer.pk]), {"message": "Encore"})
    assert response.status_code == 200
    assert "déjà une candidature en cours" in response.content.decode()
    assert Application.objects.filter(offer=market.offer).count() == 1


def test_a_too_long_message_is_refused(client):
    market = build_market()
    client.force_login(market.young)
    response = client.post(reverse("candidates:apply", args=[market.offer.pk]), {"message": "x" * 5001})
    assert "5 000 caractères au plus" in response.content.decode()
    assert not Application.objects.exists() or not Application.objects.filter(offer=market.offer).exists()


def test_a_young_person_cannot_see_another_young_persons_application(client):
    market = build_market()
    application = application_create(candidate=market.profile, offer=market.offer)
    other = CandidateProfileFactory().user
    client.force_login(other)
    assert client.get(reverse("candidates:application", args=[application.pk])).status_code == 404
    assert client.post(reverse("candidates:application_withdraw", args=[application.pk])).status_code == 404
    assert "Aide-soignant" not in client.get(reverse("candidates:space")).content.decode()


def test_the_employer_sees_the_application_changes_its_status_and_the_young_person_sees_it(client):
    market = build_market()
    application = application_create(candidate=market.profile, offer=market.offer, message="Bonjour")
    client.force_login(market.employer)
    space = client.get(reverse("employers:space")).content.decode()
    assert "1 candidature" in space and "1 sans réponse" in space
    board = client.get(reverse("employers:offer_board", args=[market.offer.pk]))
    assert board.status_code == 200
    assert reverse("employers:application", args=[application.pk]) in board.content.decode()
    response = client.post(
        reverse("employers:application", args=[application.pk]),
        {"to_status": "interview", "note": "Entretien mardi à 10 h"},
        follow=True,
    )
    assert "Entretien proposé" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTERVIEW
    client.force_login(market.young)
    html = client.get(reverse("candidates:application", args=[application.pk])).content.decode()
    assert "Entretien proposé" in html and "Entretien mardi à 10 h" in html


def test_a_refusal_needs_a_reason_and_saves_nothing_without_one(client):
    market = build_market()
    application = application_create(candidate=market.profile, offer=market.offer)
    client.force_login(market.employer)
    response = client.post(reverse("employers:application", args=[application.pk]), {"to_status": "refused"})
    assert response.status_code == 200
    assert "Choisissez le motif du refus" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SENT
    client.post(reverse("employers:application", args=[application.pk]), {"to_status": "refused", "reason": "dates"})
    application.refresh_from_db()
    assert (application.status, application.reason) == (ApplicationStatus.REFUSED, "dates")


def test_an_impossible_status_is_refused(client):
    market = build_market()
    application = application_create(candidate=market.profile, offer=market.offer)
    client.force_login(market.employer)
    response = client.post(reverse("employers:application", args=[application.pk]), {"to_status": "contract_signed"})
    assert "Ce statut n&#x27;est pas possible" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SENT


def test_another_employer_cannot_open_the_board_or_the_applications(client):
    market = build_market()
    application = application_create(candidate=market.profile, offer=market.offer)
    client.force_login(EstablishmentMembershipFactory().user)
    assert client.get(reverse("employers:offer_board", args=[market.offer.pk])).status_code == 404
    assert client.get(reverse("employers:application", args=[application.pk])).status_code == 404
    response = client.post(reverse("employers:application", args=[application.pk]), {"to_status": "seen"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SENT


def test_a_young_person_can_withdraw_an_application(client):
    market = build_market()
    application = application_create(candidate=market.profile, offer=market.offer)
    client.force_login(market.young)
    client.post(reverse("candidates:application_withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert timezone.localdate() - application.closed_on < timedelta(days=1)
