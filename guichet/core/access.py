"""Who may reach each view and API operation: one declared rule per URL pattern, checked by a test.

Every named URL pattern of the project (`namespace:name`) and every API operation (`METHOD /api/v1/path`
as in the OpenAPI schema) must have a rule here, or the test tests/security/test_access_matrix.py fails
and says where to declare it. Apps declare the rules of their own views in their AppConfig.ready():

    from guichet.core.access import AccessRule, Audience, register_access

    register_access("offers:detail", AccessRule(Audience.PUBLIC))
    register_access("candidates:application", AccessRule(
        Audience.ROLES, roles=("jeune",), owner_only=True,
        owner_sample="guichet.candidates.tests.access_samples.application",
    ))
    register_access("GET /api/v1/me/applications", AccessRule(Audience.AUTHENTICATED))

The rules are also read at run time: guichet.core.middleware.TwoFactorRequiredMiddleware lets an advisor
or administrator who has not yet confirmed their second factor reach public pages only.
The matrix test then checks, for each rule, what it can check from the outside: an anonymous visitor is
sent to the login page (pages) or gets 401/403 (API) on anything not public; an account of a role not
listed never gets the page; for `owner_only` rules, another account of the same role gets 403 or 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.urls import ResolverMatch


class Audience(StrEnum):
    PUBLIC = "public"  # anyone; no personal data shown
    TOKEN = "token"  # anyone holding a secret link (password reset, follow-up of a request without account)
    AUTHENTICATED = "authenticated"  # any logged-in account, which sees its own data only
    ROLES = "roles"  # logged-in accounts of the listed roles only
    ADMIN_SITE = "admin_site"  # the Django admin: staff accounts, after two-factor verification


@dataclass(frozen=True)
class AccessRule:
    audience: Audience
    roles: tuple[str, ...] = ()
    # Methods the view accepts (the matrix sends anonymous requests with each of them).
    methods: tuple[str, ...] = ("GET",)
    # The view shows or changes one object belonging to someone: another account of the same role must
    # get 403 or 404. `owner_sample` is the dotted path of a callable() -> OwnerSample creating the object.
    owner_only: bool = False
    owner_sample: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if (self.audience == Audience.ROLES) != bool(self.roles):
            raise ValueError("List the roles for Audience.ROLES, and only for it.")
        if self.owner_sample and not self.owner_only:
            raise ValueError("owner_sample only makes sense with owner_only=True.")

    @property
    def is_public(self) -> bool:
        return self.audience in (Audience.PUBLIC, Audience.TOKEN)


@dataclass(frozen=True)
class OwnerSample:
    """An object owned by `owner`, reached with `kwargs`; `other` has the same role and must not reach it."""

    owner: object
    other: object
    kwargs: dict[str, object]


_RULES: dict[str, AccessRule] = {}


def register_access(key: str, rule: AccessRule) -> None:
    """Declare who may reach a view (`namespace:name`) or an API operation (`GET /api/v1/path`)."""
    previous = _RULES.get(key)
    if previous is not None and previous != rule:
        raise ValueError(f"Two different access rules declared for {key!r}.")
    _RULES[key] = rule


def access_rules() -> dict[str, AccessRule]:
    return dict(_RULES)


def access_rule(key: str) -> AccessRule | None:
    return _RULES.get(key)


def match_is_public(match: ResolverMatch | None) -> bool:
    """True when the resolved view is declared public (undeclared views count as private)."""
    if match is None or not match.view_name:
        return False
    rule = _RULES.get(match.view_name)
    return bool(rule and rule.is_public)


PUBLIC = AccessRule(Audience.PUBLIC)
PUBLIC_FORM = AccessRule(Audience.PUBLIC, methods=("GET", "POST"))


def _declare_foundation_rules() -> None:
    """Rules of the foundation views of apps that do not declare their own yet (core, territory, jobs,
    employers' sign-up, the reference API, the admin). Move each into its app's ready() when convenient."""
    for name in ("core:home", "core:accessibility", "core:personal_data", "core:terms", "core:contact", "healthz"):
        register_access(name, PUBLIC)
    register_access("territory:commune_suggestions", PUBLIC)
    register_access("jobs:job_suggestions", PUBLIC)
    register_access("employers:signup", PUBLIC_FORM)
    register_access("employers:establishments", AccessRule(Audience.ROLES, roles=("employeur", "admin")))
    register_access("api-v1:openapi-json", PUBLIC)
    register_access("api-v1:openapi-view", PUBLIC)
    register_access("api-v1:api-root", PUBLIC)
    register_access("admin:*", AccessRule(Audience.ADMIN_SITE, note="Staff only, after two-factor verification."))
    for path in (
        "/api/v1/communes",
        "/api/v1/communes/{insee}",
        "/api/v1/communes/{insee}/nearby",
        "/api/v1/zones-emploi",
        "/api/v1/zones-emploi/{code}",
        "/api/v1/basins",
        "/api/v1/basins/{code}",
        "/api/v1/jobs",
        "/api/v1/jobs/{rome}",
        "/api/v1/diploma-levels",
    ):
        register_access(f"GET {path}", AccessRule(Audience.PUBLIC, note="Reference data (Licence Ouverte)."))


_declare_foundation_rules()
