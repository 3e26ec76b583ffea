import re

import pytest
from django.core import mail
from django.urls import reverse
from django_q.models import Task

from guichet.accounts.tests.factories import PASSWORD, UserFactory

RESET_URL = reverse("accounts:password_reset")
NEW_PASSWORD = "une toute nouvelle phrase"


def reset_link(message) -> str:
    match = re.search(r"http://testserver(/compte/mot-de-passe/nouveau/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match[1]


@pytest.mark.django_db
def test_password_reset_email_goes_through_the_task_runner(client):
    UserFactory(email="ines@exemple.fr")
    tasks_before = set(Task.objects.values_list("id", flat=True))

    response = client.post(RESET_URL, {"email": "INES@exemple.fr"})

    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ines@exemple.fr"]
    assert message.subject == "Choisissez un nouveau mot de passe pour le Guichet Apprentissage"
    assert "valable 1 heure" in message.body
    task = Task.objects.exclude(id__in=tasks_before).get()
    assert task.func == "guichet.accounts.tasks.send_email_task"
    assert task.success


@pytest.mark.django_db
def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client):
    response = client.post(RESET_URL, {"email": "personne@exemple.fr"})

    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_reset_link_works_once(client):
    user = UserFactory(email="ines@exemple.fr")
    client.post(RESET_URL, {"email": "ines@exemple.fr"})
    link = reset_link(mail.outbox[0])

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    second = client.get(link, follow=True)
    assert second.context["validlink"] is False
    assert "Lien expiré ou déjà utilisé" in second.content.decode()


@pytest.mark.django_db
def test_password_reset_rejects_a_short_new_password_in_french(client):
    UserFactory(email="ines@exemple.fr")
    client.post(RESET_URL, {"email": "ines@exemple.fr"})
    form_page = client.get(reset_link(mail.outbox[0]), follow=True)

    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "court", "new_password2": "court"})

    assert (
        "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères."
        in (response.context["form"].errors["new_password2"])
    )


@pytest.mark.django_db
def test_password_change_needs_the_current_password(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:password_change")

    wrong = client.post(url, {"old_password": "faux", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert wrong.context["form"].errors["old_password"] == [
        "Le mot de passe actuel est incorrect. Saisissez-le à nouveau."
    ]

    right = client.post(url, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert right.url == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert "_auth_user_id" in client.session
