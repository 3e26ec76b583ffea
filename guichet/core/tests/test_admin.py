import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

FOUNDATION_MODELS = ["accounts.user", "territory.commune", "territory.basin", "jobs.romejob", "jobs.appellation"]


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(email="admin-test@example.org", password="x" * 14)
    client.force_login(user)
    return client


@pytest.mark.parametrize("label", FOUNDATION_MODELS)
def test_every_foundation_model_has_a_working_admin_list_and_search(admin_client, label):
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "amiens"}).status_code == 200


def test_the_admin_can_create_a_user_with_an_email_and_a_role(admin_client, django_user_model):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "conseillere@example.org",
            "role": "conseiller",
            "password1": "Un-mot-de-passe-long-7",
            "password2": "Un-mot-de-passe-long-7",
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert django_user_model.objects.get(email="conseillere@example.org").role == "conseiller"


def test_the_admin_site_is_registered_for_every_foundation_model():
    registered = {f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry}
    assert set(FOUNDATION_MODELS) <= registered
