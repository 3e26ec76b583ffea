"""HTTP tests of the employer's establishments page and of the role guard shared by the spaces."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.accounts.tests.factories import UserFactory
from guichet.employers.tests.factories import EstablishmentFactory, EstablishmentMembershipFactory

pytestmark = pytest.mark.django_db
URL = reverse("employers:establishments")


def test_an_employer_sees_only_its_own_establishments(client):
    membership = EstablishmentMembershipFactory()
    other = EstablishmentFactory()
    client.force_login(membership.user)
    html = client.get(URL).content.decode()
    assert membership.establishment.siret in html
    assert other.siret not in html


def test_a_young_person_gets_a_page_saying_whom_the_space_is_for(client):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 403
    assert "Cette page est réservée aux employeurs" in response.content.decode()


def test_anonymous_people_go_to_the_login_page_and_come_back(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={URL}"


def test_the_signup_page_is_still_served(client):
    assert client.get(reverse("employers:signup")).status_code == 200
