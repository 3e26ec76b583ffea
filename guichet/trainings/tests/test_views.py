"""HTTP tests of the training-centre space: centres and trainings, places and sessions through the services."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from guichet.employers.tests.factories import EstablishmentMembershipFactory
from guichet.trainings.models import TrainingSession
from guichet.trainings.tests.factories import CentreMembershipFactory, TrainingFactory

pytestmark = pytest.mark.django_db


def staff_with_training():
    membership = CentreMembershipFactory()
    training = TrainingFactory(centre=membership.centre, total_places=12, remaining_places=5)
    return membership.user, training


def test_the_space_lists_the_centres_and_their_trainings_with_places(client):
    user, training = staff_with_training()
    client.force_login(user)
    response = client.get(reverse("trainings:space"))
    html = response.content.decode()
    assert list(response.context["centres"]) == [training.centre]
    assert [item.pk for item in response.context["trainings"]] == [training.pk]
    assert escape(training.title) in html
    assert "5 sur 12" in html


def test_staff_change_the_places_of_a_training(client):
    user, training = staff_with_training()
    client.force_login(user)
    url = reverse("trainings:places", args=[training.pk])
    response = client.post(url, {"action": "places", "total_places": "20", "remaining_places": "8"})
    assert response.status_code == 302
    training.refresh_from_db()
    assert (training.total_places, training.remaining_places) == (20, 8)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"total_places": "10", "remaining_places": "-1"}, "remaining_places", "ne peut pas être négatif"),
        ({"total_places": "10", "remaining_places": "11"}, "remaining_places", "Les places restantes vont de 0"),
        ({"total_places": "beaucoup", "remaining_places": "1"}, "total_places", "Saisissez un nombre entier"),
    ],
)
def test_bad_places_are_refused_next_to_the_field_and_nothing_changes(client, data, field, message):
    user, training = staff_with_training()
    client.force_login(user)
    response = client.post(reverse("trainings:places", args=[training.pk]), {"action": "places", **data})
    assert response.status_code == 200
    assert any(message in error for error in response.context["places_form"].errors[field])
    training.refresh_from_db()
    assert (training.total_places, training.remaining_places) == (12, 5)


def test_staff_add_a_session_and_an_inverted_one_is_refused(client):
    user, training = staff_with_training()
    client.force_login(user)
    url = reverse("trainings:places", args=[training.pk])
    client.post(url, {"action": "session", "session-starts_on": "2027-09-06", "session-ends_on": "2029-07-02"})
    assert TrainingSession.objects.filter(training=training).count() == 1
    response = client.post(
        url, {"action": "session", "session-starts_on": "2027-09-06", "session-ends_on": "2027-01-01"}
    )
    assert "La fin de la session doit être postérieure à son début." in response.content.decode()
    assert TrainingSession.objects.filter(training=training).count() == 1


def test_staff_of_another_centre_get_a_404_and_employers_a_403(client):
    _, training = staff_with_training()
    client.force_login(CentreMembershipFactory().user)
    url = reverse("trainings:places", args=[training.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "places", "total_places": "1", "remaining_places": "0"}).status_code == 404
    client.force_login(EstablishmentMembershipFactory().user)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
