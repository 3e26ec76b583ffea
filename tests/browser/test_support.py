"""The issue's journey: a parent in Saint-Quentin asks about pay without an account, gets a reference and a
deadline in working days that skips Christmas, the advisor of the zone answers, the answer reaches the parent
by e-mail and on the web, and the advisors' dashboard counts it."""

import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import session_key_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "une phrase de passe solide"
FIXED_NOW = datetime(2026, 12, 23, 10, tzinfo=ZoneInfo("Europe/Paris"))  # Wednesday before Christmas


def _make_team(suffix: str) -> dict:
    from guichet.accounts.models import AdvisorAssignment, Role, User
    from guichet.support.models import RoutingRule, Team, TeamMember, TopicDeadline
    from guichet.territory.models import Basin, BasinGrid

    basin = Basin.objects.get(grid=BasinGrid.ZONE_EMPLOI, code="3220")
    team = Team.objects.create(name=f"Équipe Saint-Quentin {suffix}")
    RoutingRule.objects.filter(basin=basin, topic="remuneration").delete()
    RoutingRule.objects.create(basin=basin, topic="remuneration", team=team)
    TopicDeadline.objects.update_or_create(topic="remuneration", defaults={"working_days": 3})
    advisor = User.objects.create_user(
        f"conseillere-{suffix}@region.example", PASSWORD, role=Role.ADVISOR, first_name="Inès", last_name="Conseil"
    )
    TeamMember.objects.create(team=team, user=advisor)
    AdvisorAssignment.objects.create(advisor=advisor, basin=basin)
    # A session already verified by the advisor's second factor (required for advisors).
    return {"team": team.pk, "advisor": advisor.email, "session": session_key_for(advisor)}


def _delete_team(made: dict) -> None:
    from django.contrib.sessions.models import Session

    from guichet.accounts.models import User
    from guichet.support.models import SupportRequest, Team

    Session.objects.filter(session_key=made["session"]).delete()
    SupportRequest.objects.filter(team_id=made["team"]).delete()
    Team.objects.filter(pk=made["team"]).delete()
    User.objects.filter(email=made["advisor"]).delete()


def test_parent_asks_about_pay_and_gets_the_answer_by_email_and_on_the_web(
    browser, page, committed, monkeypatch, live_url, screenshot
):
    from django.core.cache import cache

    from guichet.support import clock, spam

    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW)
    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)
    cache.clear()
    suffix = uuid.uuid4().hex[:8]
    made = committed(lambda: _make_team(suffix), _delete_team)
    parent_email = f"parent-{suffix}@exemple.fr"

    page.goto("/accompagnement/question/")
    page.get_by_label("Parent ou proche").check()
    page.get_by_label("Le thème de votre question").select_option("remuneration")
    page.get_by_label("Votre commune").fill("Saint-Quentin (02100)")
    page.get_by_label("Votre message").fill("Combien sera payé mon fils de 17 ans en première année ?")
    page.get_by_label("Votre nom").fill("Claire Parent")
    page.get_by_label("Votre adresse e-mail").fill(parent_email)
    page.get_by_role("button", name="Envoyer ma question").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre question est envoyée")
    expect(page.locator("[data-deadline]")).to_contain_text("mardi 29 décembre 2026")
    reference = page.locator("[data-reference]").inner_text()
    assert re.fullmatch(r"GA-2026-[0-9A-Z]{6}", reference)
    screenshot("support-sent")
    follow_url = page.locator("[data-follow-link]").get_attribute("href")
    ack = [message for message in mail.outbox if message.to == [parent_email]]
    assert ack and reference in ack[0].subject and "29 décembre 2026" in ack[0].body

    from django.conf import settings

    advisor_context = browser.new_context(base_url=live_url, locale="fr-FR")
    advisor_context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": made["session"], "url": live_url}])
    advisor_page = advisor_context.new_page()
    advisor_page.goto("/accompagnement/conseillers/")
    advisor_page.get_by_role("link", name=reference).first.click()
    expect(advisor_page.get_by_role("heading", level=1)).to_have_text(f"Demande {reference}")
    advisor_page.get_by_label("Votre réponse").fill(
        "En 1re année, à 17 ans : 27 % du SMIC, soit 504,10 € brut par mois."
    )
    advisor_page.get_by_role("button", name="Envoyer la réponse").click()
    expect(advisor_page.get_by_role("status")).to_contain_text("Votre réponse a été envoyée")
    advisor_page.goto("/accompagnement/conseillers/")
    expect(advisor_page.locator(f"[data-figures='Équipe Saint-Quentin {suffix}'] td").nth(1)).to_have_text("1")
    advisor_context.close()

    answer = [message for message in mail.outbox if message.to == [parent_email] and "réponse" in message.subject]
    assert answer and "504,10 €" in answer[-1].body
    page.goto(follow_url)
    expect(page.locator("[data-status]")).to_have_text("Répondue")
    expect(page.get_by_text("504,10 € brut par mois")).to_be_visible()
    screenshot("support-answered")
    cache.clear()
