"""HTTP tests of enrolments: the young person declares one and changes their situation; the centre declares
one (confirmed by the young person) and reports a broken contract; nobody else reaches them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.candidates.enums import EnrolmentStatus
from guichet.candidates.models import Enrolment
from guichet.candidates.tests.factories import CandidateProfileFactory, EnrolmentFactory
from guichet.employers.tests.factories import EmployerFactory
from guichet.trainings.tests.factories import CentreMembershipFactory, TrainingFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db
CREATE_URL = reverse("candidates:enrolment_create")


@pytest.fixture
def staff():
    return CentreMembershipFactory()


@pytest.fixture
def training(staff):
    training = TrainingFactory(centre=staff.centre, title="CAP Boulanger par l'apprentissage")
    today = timezone.localdate()
    TrainingSessionFactory(
        training=training, starts_on=today + timedelta(days=30), ends_on=today + timedelta(days=700)
    )
    return training


@pytest.fixture
def young():
    return CandidateProfileFactory(user=UserFactory(role=Role.YOUNG, first_name="Léa", last_name="Petit"))


def test_a_young_person_finds_the_training_and_declares_the_enrolment_without_javascript(client, young, training):
    client.force_login(young.user)
    page = client.get(CREATE_URL, {"q": "boulanger"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "CAP Boulanger par l&#x27;apprentissage" in html
    assert "Je suis inscrit(e) dans cette formation, je cherche un employeur" in html
    session = training.sessions.get()
    response = client.post(
        f"{CREATE_URL}?q=boulanger", {"training": training.pk, "session": session.pk, "consent": "on"}
    )
    enrolment = Enrolment.objects.get(candidate=young)
    assert response.status_code == 302 and response["Location"] == reverse("candidates:enrolment", args=[enrolment.pk])
    assert enrolment.session == session and enrolment.status == EnrolmentStatus.LOOKING
    detail = client.get(response["Location"]).content.decode()
    assert "Cherche un employeur" in detail and "Léa P." in detail
    assert "CAP Boulanger" in client.get(reverse("candidates:space")).content.decode()


def test_declaring_without_consent_or_with_a_foreign_session_says_what_to_do_and_saves_nothing(
    client, young, training
):
    client.force_login(young.user)
    response = client.post(f"{CREATE_URL}?q=boulanger", {"training": training.pk})
    assert response.status_code == 400
    assert "Cochez la case pour que le centre de formation puisse vous aider." in response.content.decode()
    foreign = TrainingSessionFactory()
    response = client.post(
        f"{CREATE_URL}?q=boulanger", {"training": training.pk, "session": foreign.pk, "consent": "on"}
    )
    assert response.status_code == 400
    assert "Choisissez une rentrée de cette formation dans la liste." in response.content.decode()
    response = client.get(CREATE_URL, {"q": "x"})
    assert "Saisissez au moins un mot de deux lettres" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_young_person_without_a_profile_is_asked_to_complete_it(client):
    client.force_login(UserFactory(role=Role.YOUNG))
    response = client.get(CREATE_URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("candidates:profile"))


def test_the_young_person_reports_a_signed_then_broken_contract_and_the_centre_sees_it(client, young, training, staff):
    enrolment = EnrolmentFactory(
        candidate=young, training=training, status_on=timezone.localdate() - timedelta(days=60)
    )
    url = reverse("candidates:enrolment", args=[enrolment.pk])
    client.force_login(young.user)
    signed_on = timezone.localdate() - timedelta(days=40)
    response = client.post(url, {"action": "status", "to_status": "contract_signed", "on": signed_on.isoformat()})
    assert response.status_code == 302
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(url, {"action": "status", "to_status": "contract_broken", "on": future})
    assert response.status_code == 400
    assert "La date ne peut pas être dans le futur." in response.content.decode()
    response = client.post(url, {"action": "status", "to_status": "contract_broken", "on": ""})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CONTRACT_BROKEN
    client.force_login(staff.user)
    html = client.get(reverse("trainings:young_without_employer")).content.decode()
    assert "Léa P." in html and "Contrat rompu, cherche un employeur" in html


def test_the_centre_declares_a_young_person_who_confirms_then_the_centre_reports_a_break(
    client, young, training, staff
):
    client.force_login(staff.user)
    invite = reverse("trainings:enrolment_invite")
    response = client.post(invite, {"email": young.user.email, "training": training.pk})
    assert response.status_code == 302
    unknown = client.post(invite, {"email": "inconnu@exemple.fr", "training": training.pk}, follow=True)
    known_message = "compte jeune avec un profil, le jeune reçoit une demande"
    assert known_message in unknown.content.decode()  # the same answer: nobody learns who has an account
    enrolment = Enrolment.objects.get(candidate=young)
    centre_url = reverse("trainings:enrolment", args=[enrolment.pk])
    assert client.get(centre_url).status_code == 404  # not confirmed yet: the centre sees nothing
    assert "Léa" not in client.get(reverse("trainings:young_without_employer")).content.decode()

    client.force_login(young.user)
    young_url = reverse("candidates:enrolment", args=[enrolment.pk])
    assert "Le centre de formation vous déclare inscrit(e)" in client.get(young_url).content.decode()
    assert client.post(young_url, {"action": "confirm"}).status_code == 302

    client.force_login(staff.user)
    assert client.get(centre_url).status_code == 200
    assert client.post(centre_url, {"to_status": "contract_signed"}).status_code == 302
    response = client.post(centre_url, {"to_status": "contract_broken", "on": "pas une date"})
    assert response.status_code == 400
    assert "Saisissez une date valide" in response.content.decode()
    assert client.post(centre_url, {"to_status": "contract_broken"}).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CONTRACT_BROKEN


def test_the_centre_can_only_declare_in_its_own_trainings(client, young, staff):
    client.force_login(staff.user)
    response = client.post(
        reverse("trainings:enrolment_invite"), {"email": young.user.email, "training": TrainingFactory().pk}
    )
    assert response.status_code == 400
    assert "Choisissez une formation de vos centres dans la liste." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_young_person_declines_a_centre_declaration(client, young, training):
    enrolment = EnrolmentFactory(candidate=young, training=training, consent_at=None, source="centre")
    client.force_login(young.user)
    response = client.post(reverse("candidates:enrolment", args=[enrolment.pk]), {"action": "decline"})
    assert response.status_code == 302
    assert not Enrolment.objects.exists()


def test_another_centre_an_employer_and_another_young_person_cannot_reach_an_enrolment(client, young, training):
    enrolment = EnrolmentFactory(candidate=young, training=training)
    centre_url = reverse("trainings:enrolment", args=[enrolment.pk])
    young_url = reverse("candidates:enrolment", args=[enrolment.pk])
    outsiders = {
        "another centre": CentreMembershipFactory().user,
        "an employer": EmployerFactory(),
        "another young person": CandidateProfileFactory().user,
        "an advisor": UserFactory(role=Role.ADVISOR),
    }
    for who, user in outsiders.items():
        client.force_login(user)
        for url in (centre_url, young_url):
            assert client.get(url).status_code in (403, 404), f"{who} reaches {url}"
            response = client.post(url, {"action": "status", "to_status": "withdrawn"})
            assert response.status_code in (403, 404), f"{who} changes {url}"
        html = client.get(reverse("trainings:young_without_employer")).content.decode()
        assert "Léa" not in html
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.LOOKING
