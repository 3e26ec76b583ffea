import io
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from guichet.api.keys import partner_key_authenticate
from guichet.api.models import PartnerKey
from guichet.api.tests.factories import partner_key
from guichet.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_command_prints_the_key_once_lists_it_and_revokes_it():
    out = io.StringIO()
    expires = (timezone.localdate() + timedelta(days=60)).isoformat()
    call_command("partner_key", "create", "--name", "Flux", "--organisation", "Mission locale d'Amiens",
                 "--email", "si@ml.example", "--scope", "public.read", "--expires", expires, stdout=out)  # fmt: skip
    raw = re.search(r"ga_[a-z0-9]{10}_\S+", out.getvalue()).group(0)
    key = partner_key_authenticate(raw)
    assert key.organisation == "Mission locale d'Amiens" and key.scopes == ["public.read"]

    listing = io.StringIO()
    call_command("partner_key", "list", stdout=listing)
    assert f"ga_{key.prefix}_…" in listing.getvalue() and "active" in listing.getvalue()
    assert raw not in listing.getvalue()

    call_command("partner_key", "revoke", f"ga_{key.prefix}", stdout=io.StringIO())
    assert PartnerKey.objects.get(pk=key.pk).is_revoked
    assert AuditEvent.objects.filter(action__in=["api.key_created", "api.key_revoked"]).count() == 2
    with pytest.raises(CommandError, match="déjà révoquée"):
        call_command("partner_key", "revoke", key.prefix, stdout=io.StringIO())


def test_the_command_refuses_a_past_expiry_in_french():
    with pytest.raises(CommandError, match="postérieure à aujourd'hui"):
        call_command("partner_key", "create", "--name", "x", "--organisation", "y", "--email", "a@b.fr",
                     "--scope", "public.read", "--expires", "2020-01-01", stdout=io.StringIO())  # fmt: skip


def test_the_admin_creates_a_key_shows_it_once_and_revokes_it(admin_client, admin_user):
    response = admin_client.post(
        "/admin/api/partnerkey/add/",
        {
            "name": "Tableau de bord", "organisation": "OPCO EP", "contact_email": "api@opco.example",
            "scopes": ["observatory.read"], "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
        },
    )  # fmt: skip
    assert response.status_code == 200
    raw = re.search(r'value="(ga_[a-z0-9]{10}_[^"]+)"', response.content.decode()).group(1)
    key = partner_key_authenticate(raw)
    assert key.created_by == admin_user
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]

    detail = admin_client.get(f"/admin/api/partnerkey/{key.pk}/change/").content.decode()
    assert raw not in detail and key.key_hash not in detail

    admin_client.post("/admin/api/partnerkey/", {"action": "revoke", "_selected_action": [key.pk]})
    assert PartnerKey.objects.get(pk=key.pk).revoked_by == admin_user
    assert AuditEvent.objects.get(action="api.key_revoked").actor_id == admin_user.pk


def test_the_admin_form_refuses_a_too_long_validity_with_the_field_named(admin_client):
    response = admin_client.post(
        "/admin/api/partnerkey/add/",
        {
            "name": "x", "organisation": "y", "contact_email": "a@b.fr", "scopes": ["public.read"],
            "expires_on": (timezone.localdate() + timedelta(days=900)).isoformat(),
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "deux ans au plus" in response.content.decode()
    assert not PartnerKey.objects.exists()


def test_an_existing_key_cannot_be_edited_or_deleted_in_the_admin(admin_client):
    key, _ = partner_key()
    response = admin_client.post(f"/admin/api/partnerkey/{key.pk}/change/", {"name": "changé"})
    assert PartnerKey.objects.get(pk=key.pk).name == "Tableau de bord"
    assert response.status_code in (302, 403)
    assert admin_client.post(f"/admin/api/partnerkey/{key.pk}/delete/", {"post": "yes"}).status_code == 403
