from datetime import date, timedelta

import pytest
from django.utils import timezone

from guichet.api.keys import (
    PartnerKeyError,
    PartnerKeyRefused,
    key_hash,
    partner_key_authenticate,
    partner_key_create,
    partner_key_revoke,
)
from guichet.api.models import PartnerKey, PartnerScope
from guichet.api.tests.factories import partner_key
from guichet.core.models import AuditEvent

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def test_a_new_key_is_returned_once_and_only_its_hash_is_stored():
    key, raw = partner_key()
    assert raw.startswith(f"ga_{key.prefix}_") and len(raw) > 50
    stored = PartnerKey.objects.get(pk=key.pk)
    assert stored.key_hash == key_hash(raw) and len(stored.key_hash) == 64
    assert all(raw not in str(getattr(stored, field.attname)) for field in PartnerKey._meta.fields)
    assert raw.split("_", 2)[2] not in stored.key_hash


def test_two_keys_never_share_a_prefix_or_a_secret():
    (first, raw_first), (second, raw_second) = partner_key(), partner_key()
    assert first.prefix != second.prefix and raw_first != raw_second


def test_the_full_key_authenticates_and_records_its_last_use_at_most_once_a_minute():
    key, raw = partner_key()
    now = timezone.now()
    assert partner_key_authenticate(raw, now=now) == key
    assert PartnerKey.objects.get(pk=key.pk).last_used_at == now
    partner_key_authenticate(raw, now=now + timedelta(seconds=30))
    assert PartnerKey.objects.get(pk=key.pk).last_used_at == now
    partner_key_authenticate(f"  {raw} ", now=now + timedelta(minutes=2))
    assert PartnerKey.objects.get(pk=key.pk).last_used_at == now + timedelta(minutes=2)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),  # right prefix, wrong secret
        lambda raw: raw.split("_", 2)[0] + "_" + raw.split("_", 2)[1],  # prefix only
        lambda raw: "ga_zzzzzzzzzz_" + raw.split("_", 2)[2],  # unknown prefix, right secret
        lambda raw: raw.removeprefix("ga_"),
        lambda raw: "",
    ],
)
def test_a_wrong_or_malformed_key_is_refused_without_saying_why(tamper):
    _, raw = partner_key()
    with pytest.raises(PartnerKeyRefused, match="Clé d'API invalide"):
        partner_key_authenticate(tamper(raw))


def test_a_key_works_on_its_last_day_and_is_refused_the_day_after():
    key, raw = partner_key(expires_on=timezone.localdate() + timedelta(days=1))
    last_day = timezone.now() + timedelta(days=1)
    assert partner_key_authenticate(raw, now=last_day) == key
    with pytest.raises(PartnerKeyRefused, match="a expiré le"):
        partner_key_authenticate(raw, now=last_day + timedelta(days=1))


def test_a_revoked_key_is_refused_and_cannot_be_revoked_twice():
    key, raw = partner_key()
    partner_key_revoke(key=key)
    with pytest.raises(PartnerKeyRefused, match="révoquée"):
        partner_key_authenticate(raw)
    with pytest.raises(PartnerKeyError, match="déjà révoquée"):
        partner_key_revoke(key=key)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"organisation": ""}, "organisation"),
        ({"contact_email": "pas-une-adresse"}, "contact_email"),
        ({"scopes": []}, "scopes"),
        ({"scopes": ["applications.write"]}, "scopes"),
        ({"expires_on": TODAY}, "expires_on"),
        ({"expires_on": TODAY + timedelta(days=800)}, "expires_on"),
    ],
)
def test_each_invalid_field_is_refused_in_french_and_nothing_is_created(changes, field):
    values = {
        "name": "Tableau", "organisation": "France Travail", "contact_email": "api@ft.example",
        "scopes": [PartnerScope.OBSERVATORY_READ], "expires_on": TODAY + timedelta(days=365),
    }  # fmt: skip
    with pytest.raises(PartnerKeyError) as error:
        partner_key_create(**{**values, **changes}, today=TODAY)
    assert error.value.field == field
    assert not PartnerKey.objects.exists()
    assert not AuditEvent.objects.filter(action="api.key_created").exists()


def test_creation_and_revocation_are_audited_with_their_author_and_without_the_secret(django_user_model):
    admin = django_user_model.objects.create_user(email="admin@example.org", password="x" * 12, role="admin")
    key, raw = partner_key_create(
        name="Export", organisation="Réseau des CFA", contact_email="si@cfa.example",
        scopes=[PartnerScope.OBSERVATORY_EXPORT, PartnerScope.PUBLIC_READ], expires_on=TODAY + timedelta(days=30),
        actor=admin, today=TODAY,
    )  # fmt: skip
    partner_key_revoke(key=key, actor=admin)
    created = AuditEvent.objects.get(action="api.key_created")
    revoked = AuditEvent.objects.get(action="api.key_revoked")
    assert created.actor_id == revoked.actor_id == admin.pk
    assert created.object_type == "api.partnerkey" and created.object_id == str(key.pk)
    assert created.details["scopes"] == ["public.read", "observatory.export"]  # the documented order
    assert raw not in str(created.details) and key.key_hash not in str(created.details)
