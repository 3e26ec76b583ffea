"""The authorisation matrix: every URL pattern and every API operation has a declared access rule, and the
rule holds from the outside for anonymous visitors and for each role.

A new view without a rule fails `test_every_view_and_api_operation_has_a_declared_access_rule` with the
place to declare it (guichet/core/access.py explains the rules; docs/security.md, "Access rules").
Views of issues still in progress may sit in PENDING meanwhile: the test prints them, and fails when a
pending view gets a rule (so that it leaves the list).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, converters, get_resolver, path, reverse
from django.utils.module_loading import import_string

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory
from guichet.api.auth import PARTNER_SCHEMES
from guichet.api.models import PartnerScope
from guichet.api.v1 import api
from guichet.core.access import AccessRule, Audience, OwnerSample, access_rules

LOGIN_PATH = "/compte/connexion/"
ADMIN_PROBES = ("admin:index", "admin:accounts_user_changelist", "admin:core_auditevent_changelist")

# Views of issues 3-6, being written while this matrix landed. Their authors declare each rule with
# register_access() in their app's ready(), then remove the name from here.
PENDING: frozenset[str] = frozenset()

SAMPLE_VALUES = {
    converters.IntConverter: 999999999,
    converters.StringConverter: "inconnu",
    converters.SlugConverter: "inconnu",
    converters.PathConverter: "inconnu",
    converters.UUIDConverter: uuid.UUID(int=0),
}


@dataclass(frozen=True)
class Endpoint:
    key: str  # "namespace:name" for a view, "GET /api/v1/path" for an API operation
    route: str
    kwargs: dict[str, object]
    api: bool = False
    secured: bool = False  # API: the OpenAPI schema asks for authentication
    key_scope: str = ""  # API: the scope a partner key needs (security requirement of the PartnerKey schemes)

    def url(self, kwargs: dict[str, object] | None = None) -> str:
        if self.api:
            path = self.route
            for name, value in (kwargs or self.kwargs).items():
                path = path.replace("{" + name + "}", str(value))
            return path
        return reverse(self.key, kwargs=kwargs if kwargs is not None else self.kwargs)


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part) if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), prefix + str(entry.pattern), entry


def view_endpoints() -> list[Endpoint]:
    endpoints = []
    for key, route, pattern in _walk(get_resolver().url_patterns):
        if key.startswith("admin:"):
            continue  # one rule for the whole admin site, probed below
        if key.startswith("api-v1:") and pattern.callback.__module__.startswith("ninja."):
            continue  # API operations come from the OpenAPI schema
        sample = {
            name: SAMPLE_VALUES.get(type(converter), "inconnu")
            for name, converter in getattr(pattern.pattern, "converters", {}).items()
        }
        endpoints.append(Endpoint(key=key, route=route, kwargs=sample))
    return endpoints


def api_endpoints() -> list[Endpoint]:
    endpoints = []
    for api_path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            sample = {
                parameter["name"]: 999999999 if parameter.get("schema", {}).get("type") == "integer" else "inconnu"
                for parameter in operation.get("parameters", [])
                if parameter["in"] == "path"
            }
            security = operation.get("security", [])
            key_scopes = {scope for requirement in security for name in PARTNER_SCHEMES for scope in
                          requirement.get(name, [])}  # fmt: skip
            endpoints.append(
                Endpoint(
                    key=f"{method.upper()} {api_path}",
                    route=api_path,
                    kwargs=sample,
                    api=True,
                    # `{}` among the requirements: authentication is optional (a partner key on public data)
                    secured=bool(security) and {} not in security,
                    key_scope=",".join(sorted(key_scopes)),
                )
            )
    return endpoints


ENDPOINTS = view_endpoints() + api_endpoints()
RULES = access_rules()
DECLARED = [endpoint for endpoint in ENDPOINTS if endpoint.key in RULES]
ROLES = list(Role.values)


def test_every_view_and_api_operation_has_a_declared_access_rule(capsys):
    keys = {endpoint.key for endpoint in ENDPOINTS}
    missing = sorted(keys - set(RULES) - PENDING)
    stale = sorted(set(RULES) - keys - {"admin:*"})
    declared_but_pending = sorted(PENDING & set(RULES))
    checks = sum(_checks_for(RULES[endpoint.key]) for endpoint in DECLARED) + len(ADMIN_PROBES) * 3
    # Partner keys, per API operation: revoked, expired, a valid key (and one without the scope where one is needed)
    key_checks = sum(4 if endpoint.key_scope else 3 for endpoint in DECLARED if endpoint.api)
    with capsys.disabled():
        print(
            f"\nAccess matrix: {len(ENDPOINTS)} endpoints, {len(DECLARED)} with a rule + the admin site, "
            f"{checks} checks (identity x method), {key_checks} partner-key checks; {len(PENDING & keys)} pending:"
        )
        for key in sorted(PENDING & keys):
            print(f"  pending: {key}")
    assert not missing, (
        "No access rule for: "
        + ", ".join(missing)
        + ". Declare one with guichet.core.access.register_access(<key>, AccessRule(...)) in your app's "
        "AppConfig.ready() (key: 'namespace:name' for a view, 'GET /api/v1/path' for an API operation as in "
        "the OpenAPI schema); see docs/security.md, 'Access rules'."
    )
    assert not stale, f"Access rules declared for URLs that no longer exist: {stale}. Remove them."
    assert not declared_but_pending, f"These now have a rule: remove them from PENDING: {declared_but_pending}"


def test_api_rules_agree_with_the_authentication_the_schema_documents():
    disagreeing = [
        endpoint.key for endpoint in DECLARED if endpoint.api and RULES[endpoint.key].is_public == endpoint.secured
    ]
    assert not disagreeing, f"Public in the rules but secured in the schema, or the reverse: {disagreeing}"


def _checks_for(rule: AccessRule) -> int:
    if rule.is_public:
        return len(rule.methods)
    count = len(rule.methods)  # anonymous
    if rule.audience == Audience.ROLES:
        count += len(ROLES)
    else:
        count += 1
    return count + (2 if rule.owner_only and rule.owner_sample else 0)


def _user(role: str):
    extra = {"is_staff": True, "is_superuser": True} if role == Role.ADMIN else {}
    return UserFactory(role=role, **extra)


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PATH)


def _request(client, method: str, url: str, endpoint: Endpoint):
    if endpoint.api and method != "GET":
        return client.generic(method, url, data="{}", content_type="application/json")
    return client.generic(method, url)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", DECLARED, ids=[endpoint.key for endpoint in DECLARED])
def test_the_declared_rule_holds_for_anonymous_visitors_and_each_role(client, endpoint):
    rule = RULES[endpoint.key]
    url = endpoint.url()
    for method in rule.methods:
        response = _request(client, method, url, endpoint)
        assert response.status_code < 500, f"{method} {url} anonymous: {response.status_code}"
        if rule.is_public:
            assert not _is_login_redirect(response), f"{method} {url} is declared public but asks to log in"
            assert response.status_code not in (401, 403), f"{method} {url} is declared public"
        elif endpoint.api:
            assert response.status_code in (401, 403), f"{method} {url} anonymous got {response.status_code}"
        else:
            assert _is_login_redirect(response), f"{method} {url} anonymous got {response.status_code}"
    if rule.is_public:
        return

    roles = ROLES if rule.audience == Audience.ROLES else [Role.YOUNG]
    for role in roles:
        client.force_login(_user(role))
        response = _request(client, "GET", url, endpoint) if "GET" in rule.methods else None
        client.logout()
        if response is None:
            continue
        assert response.status_code < 500, f"GET {url} as {role}: {response.status_code}"
        allowed = rule.audience != Audience.ROLES or role in rule.roles
        if allowed:
            assert not _is_login_redirect(response), f"GET {url} as {role} (allowed) was sent to log in"
            assert response.status_code != 403, f"GET {url} as {role} (allowed) got 403"
        else:
            assert response.status_code in (302, 403, 404), f"GET {url} as {role} (not allowed) got 200"
            if response.status_code == 302:
                assert response["Location"] != url

    if rule.owner_only and rule.owner_sample:
        sample: OwnerSample = import_string(rule.owner_sample)()
        owner_url = endpoint.url(sample.kwargs)
        client.force_login(sample.owner)
        assert client.get(owner_url).status_code == 200, f"the owner cannot reach {owner_url}"
        client.logout()
        client.force_login(sample.other)
        assert client.get(owner_url).status_code in (403, 404), f"another account reaches {owner_url}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ADMIN_PROBES)
def test_the_admin_site_is_for_staff_with_a_second_factor_only(client, name, two_factor_enforced):
    url = reverse(name)
    anonymous = client.get(url, follow=True)
    assert anonymous.redirect_chain[-1][0].startswith(LOGIN_PATH)

    client.force_login(_user(Role.YOUNG))
    assert client.get(url, follow=True).status_code == 403
    client.logout()

    admin = _user(Role.ADMIN)
    client.force_login(admin)
    assert client.get(url)["Location"].startswith("/compte/double-authentification/")
    client.logout()

    from guichet.accounts.testing import login_with_second_factor

    login_with_second_factor(client, admin)
    assert client.get(url).status_code == 200


def _undeclared_view(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


urlpatterns = [*get_resolver().url_patterns, path("nouvelle-vue/", _undeclared_view, name="undeclared_view")]


def test_a_new_view_without_a_rule_is_detected(settings):
    settings.ROOT_URLCONF = __name__
    keys = {endpoint.key for endpoint in view_endpoints()}
    assert "undeclared_view" in keys
    assert "undeclared_view" not in RULES


# --- Partner API keys -------------------------------------------------------------------------------------------
API_DECLARED = [endpoint for endpoint in DECLARED if endpoint.api]


def _key(scopes: list[str], **extra: object) -> str:
    from datetime import timedelta

    from django.utils import timezone

    from guichet.api.keys import partner_key_create, partner_key_revoke

    key, raw = partner_key_create(
        name="Matrice", organisation="Tests", contact_email="api@example.org", scopes=scopes,
        expires_on=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    if extra.get("revoked"):
        partner_key_revoke(key=key)
    if extra.get("expired"):
        type(key).objects.filter(pk=key.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    return raw


def test_every_operation_opened_to_partner_keys_names_a_known_scope_and_is_not_public():
    scoped = [endpoint for endpoint in API_DECLARED if endpoint.key_scope]
    assert scoped, "no API operation is opened to partner keys any more: update docs/api.md"
    for endpoint in scoped:
        assert endpoint.key_scope in PartnerScope.values, f"{endpoint.key}: unknown scope {endpoint.key_scope}"
        assert not RULES[endpoint.key].is_public, f"{endpoint.key} needs a scope but its access rule is public"


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", API_DECLARED, ids=[endpoint.key for endpoint in API_DECLARED])
def test_partner_keys_open_public_data_and_their_scope_only(client, endpoint):
    """The rule kind of partner keys: refused (401) when revoked or expired, anywhere; on public operations a
    valid key changes nothing but the rate limit; on operations needing a scope, 403 without it and open with
    it; on other private operations (a person's own data), never open (401/403)."""
    method = endpoint.key.split(" ")[0]
    url = endpoint.url()

    def call(raw_key: str):
        response = client.generic(method, url, data="{}" if method != "GET" else "",
                                  content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw_key}")  # fmt: skip
        assert response.status_code < 500, f"{endpoint.key} with a key: {response.status_code}"
        return response.status_code

    all_scopes = _key(list(PartnerScope.values))
    assert call(_key(list(PartnerScope.values), revoked=True)) == 401
    assert call(_key(list(PartnerScope.values), expired=True)) == 401
    if not endpoint.secured:
        assert call(all_scopes) not in (401, 403), f"{endpoint.key} is public but refuses a valid key"
    elif endpoint.key_scope:
        others = [scope for scope in PartnerScope.values if scope != endpoint.key_scope]
        assert call(_key(others)) == 403, f"{endpoint.key}: a key without {endpoint.key_scope} is not refused"
        assert call(all_scopes) not in (401, 403), f"{endpoint.key}: a key with {endpoint.key_scope} is refused"
    else:
        assert call(all_scopes) in (401, 403), f"{endpoint.key} (a person's own data) opens to a partner key"
