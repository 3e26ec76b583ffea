"""Authentication: login throttling, reset links, session expiry, two-factor authentication."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticToken

from guichet.accounts.models import Role
from guichet.accounts.testing import totp_code, totp_device_confirmed
from guichet.accounts.tests.factories import PASSWORD, UserFactory
from guichet.core.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from guichet.core.models import AuditEvent

LOGIN = "/compte/connexion/"
pytestmark = pytest.mark.django_db


def _login(client, email, password=PASSWORD, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_make_this_account_wait_from_this_address_with_a_clear_message(client):
    user = UserFactory()
    for _ in range(4):
        assert "Adresse e-mail ou mot de passe incorrect" in _login(client, user.email, "mauvais").content.decode()
    fifth = _login(client, user.email, "mauvais").content.decode()
    assert "Trop de tentatives de connexion" in fifth
    assert "attendez 1 minute" in fifth
    # Even the right password is refused while the wait runs: guessing cannot go on.
    refused = _login(client, user.email)
    assert refused.status_code == 200
    assert "Trop de tentatives" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_owner_still_logs_in_from_another_address_while_an_attacker_waits(client):
    user = UserFactory()
    for _ in range(8):
        _login(client, user.email, "mauvais", ip="198.51.100.66")
    response = _login(client, user.email, ip="203.0.113.10")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_wait_doubles_at_each_failure_after_a_wait_up_to_a_ceiling_then_ends(client):
    user = UserFactory()
    now = time.time()
    waits = []
    with mock.patch("guichet.accounts.throttling.time.time") as clock:
        for _ in range(10):
            clock.return_value = now
            page = _login(client, user.email, "mauvais").content.decode()
            match = re.search(r"attendez (\d+ \w+)", page)
            waits.append(match.group(1) if match else None)
            now += 20 * 60  # longer than any wait
        assert waits == [None] * 4 + ["1 minute", "2 minutes", "4 minutes", "8 minutes", "15 minutes", "15 minutes"]
        clock.return_value = now
        assert _login(client, user.email).status_code == 302


def test_a_successful_login_clears_the_failures(client):
    user = UserFactory()
    for _ in range(4):
        _login(client, user.email, "mauvais")
    assert _login(client, user.email).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, user.email, "mauvais")
    assert _login(client, user.email).status_code == 302


def test_logins_failures_and_logouts_are_in_the_audit_log(client):
    # Browser journeys running beside this test commit events of their own: look at ours only.
    baseline = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    user = UserFactory()
    _login(client, user.email, "mauvais")
    _login(client, "inconnu@exemple.fr", "mauvais")
    _login(client, user.email)
    client.post(reverse("accounts:logout"), REMOTE_ADDR="203.0.113.7")
    ours = AuditEvent.objects.filter(id__gt=baseline)
    actions = list(ours.order_by("id").values_list("action", "object_id", "actor_id"))
    assert actions == [
        ("accounts.login_failed", str(user.pk), None),
        ("accounts.login_failed", "", None),
        ("accounts.login", str(user.pk), user.pk),
        ("accounts.logout", str(user.pk), user.pk),
    ]
    unknown = ours.get(action="accounts.login_failed", object_id="")
    assert "email_sha256" in unknown.details
    assert "inconnu" not in str(unknown.details)
    assert ours.filter(ip="203.0.113.7").count() == 4


def _reset_link(client, user) -> str:
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    return re.search(r"https?://[^/]+(/compte/mot-de-passe/nouveau/\S+/)", mail.outbox[-1].body).group(1)


def test_a_password_reset_link_works_once_only(client):
    user = UserFactory()
    link = _reset_link(client, user)
    form_url = client.get(link)["Location"]  # Django moves the token into the session
    new = {"new_password1": "un autre mot de passe solide", "new_password2": "un autre mot de passe solide"}
    assert client.post(form_url, new).status_code == 302
    user.refresh_from_db()
    assert user.check_password("un autre mot de passe solide")
    assert AuditEvent.objects.filter(action="accounts.password_reset", object_id=str(user.pk)).exists()

    second = client.get(link, follow=True)
    assert "Ce lien" in second.content.decode() or "n'est plus valide" in second.content.decode()
    assert not second.context["validlink"]


def test_the_reset_form_sends_at_most_three_mails_an_hour_to_one_address_and_says_the_same_thing(client):
    user = UserFactory()
    pages = [client.post(reverse("accounts:password_reset"), {"email": user.email}) for _ in range(5)]
    assert [page.status_code for page in pages] == [302] * 5
    assert [message.to for message in mail.outbox] == [[user.email]] * 3
    assert AuditEvent.objects.filter(action="accounts.password_reset_requested", object_id=str(user.pk)).count() == 3


def test_a_password_reset_link_expires_after_the_timeout(client, settings):
    user = UserFactory()
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    assert default_token_generator.check_token(user, token)
    too_late = default_token_generator._now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1)
    with mock.patch.object(default_token_generator, "_now", return_value=too_late):
        response = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]), follow=True)
    assert not response.context["validlink"]


def test_an_idle_session_is_closed_with_a_message(client, settings):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:profile")).status_code == 200
    session = client.session
    session[SESSION_SEEN_KEY] = time.time() - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.logout", details__reason="expired").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Votre session a expiré" in page


def test_a_busy_session_still_ends_after_its_absolute_lifetime(client, settings):
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("accounts:profile"))
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.SESSION_COOKIE_AGE - 1
    session[SESSION_SEEN_KEY] = time.time()
    session.save()
    assert client.get(reverse("accounts:profile")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.ADMIN])
def test_advisors_and_administrators_cannot_reach_private_pages_before_enrolling(client, role, two_factor_enforced):
    user = UserFactory(role=role)
    client.force_login(user)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    # Public pages stay open, and the API treats them as anonymous.
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me/applications").status_code in (401, 403)


def test_staff_cannot_reach_the_admin_without_a_second_factor(client, two_factor_enforced):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    totp_device_confirmed(admin)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_the_admin_login_form_is_ours_so_throttling_and_two_factor_apply(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=%2Fadmin%2F"


def test_an_advisor_enrols_with_the_qr_code_then_gets_single_use_recovery_codes(client, two_factor_enforced):
    advisor = UserFactory(role=Role.ADVISOR)
    client.force_login(advisor)
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert "<svg" in page and 'aria-label="QR code' in page
    assert " style=" not in page  # the inline SVG must pass the strict CSP
    device = advisor.totpdevice_set.get(confirmed=False)
    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert "Ce code ne correspond pas" in wrong.content.decode()
    hurried = client.post(reverse("accounts:two_factor_setup"), {"code": totp_code(device)})
    assert "Trop de codes incorrects" in hurried.content.decode()  # django-otp's growing delay
    device.refresh_from_db()
    device.throttle_reset()  # as if the delay had passed
    response = client.post(reverse("accounts:two_factor_setup"), {"code": totp_code(device)})
    assert response["Location"] == reverse("accounts:two_factor_codes")
    codes_page = client.get(response["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    assert client.get(reverse("accounts:profile")).status_code == 200  # verified in this session
    assert AuditEvent.objects.filter(action="accounts.two_factor_enrolled", object_id=str(advisor.pk)).exists()
    # The codes are shown once.
    assert client.get(reverse("accounts:two_factor_codes"))["Location"] == reverse("accounts:two_factor")

    # Next session: the password is not enough, a recovery code works once.
    client.logout()
    client.force_login(advisor)
    assert client.get(reverse("accounts:profile"))["Location"].startswith(reverse("accounts:two_factor_verify"))
    ok = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0], "next": "/compte/profil/"})
    assert ok["Location"] == "/compte/profil/"
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.logout()
    client.force_login(advisor)
    again = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert again.status_code == 200
    assert "Ce code ne correspond pas" in again.content.decode()
    assert StaticToken.objects.filter(device__user=advisor).count() == 9
    # The database keeps a keyed hash of each code, never the code itself.
    stored = set(StaticToken.objects.filter(device__user=advisor).values_list("token", flat=True))
    assert not stored & set(codes)


def test_the_verification_page_refuses_to_redirect_to_another_site(client, two_factor_enforced):
    advisor = UserFactory(role=Role.ADVISOR)
    device = totp_device_confirmed(advisor)
    client.force_login(advisor)
    response = client.post(
        reverse("accounts:two_factor_verify"), {"code": totp_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:profile")


def test_a_young_person_is_not_asked_for_a_second_factor(client, two_factor_enforced):
    client.force_login(UserFactory(role=Role.YOUNG))
    assert client.get(reverse("accounts:profile")).status_code == 200
