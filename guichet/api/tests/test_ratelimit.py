import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from guichet.api.ratelimit import RateLimited, check_rate_limit, limits_text

NOW = 1_800_000_000.0  # a fixed instant, at the start of a one-minute window


def _request(ip: str = "203.0.113.5", user=None):
    request = RequestFactory().get("/api/v1/x", REMOTE_ADDR=ip)
    request.user = user or AnonymousUser()
    return request


def test_calls_within_the_limit_pass_and_the_next_one_is_refused_with_retry_after():
    for _ in range(3):
        check_rate_limit(_request(), "t", per_client=10, per_ip=3, now=NOW)
    with pytest.raises(RateLimited) as error:
        check_rate_limit(_request(), "t", per_client=10, per_ip=3, now=NOW + 10)
    assert error.value.status == 429
    assert error.value.headers["Retry-After"] == "50"
    assert "Trop de requêtes" in error.value.detail


def test_another_ip_address_and_another_scope_have_their_own_counters():
    for _ in range(3):
        check_rate_limit(_request(), "t", per_client=10, per_ip=3, now=NOW)
    check_rate_limit(_request(ip="198.51.100.7"), "t", per_client=10, per_ip=3, now=NOW)
    check_rate_limit(_request(), "other", per_client=10, per_ip=3, now=NOW)


def test_the_counter_starts_again_in_the_next_window():
    for _ in range(3):
        check_rate_limit(_request(), "t", per_client=10, per_ip=3, now=NOW)
    check_rate_limit(_request(), "t", per_client=10, per_ip=3, now=NOW + 61)


@pytest.mark.django_db
def test_a_signed_in_client_is_limited_even_from_several_addresses(django_user_model):
    user = django_user_model.objects.create_user(email="limite@example.org", password="x" * 12)
    for index in range(2):
        check_rate_limit(_request(ip=f"192.0.2.{index}", user=user), "t", per_client=2, per_ip=100, now=NOW)
    with pytest.raises(RateLimited):
        check_rate_limit(_request(ip="192.0.2.9", user=user), "t", per_client=2, per_ip=100, now=NOW)


def test_limits_text_documents_both_limits():
    assert "10 appels par minute par client" in limits_text(per_client=10, per_ip=30)
    assert "30 par minute par adresse IP" in limits_text(per_client=10, per_ip=30)
