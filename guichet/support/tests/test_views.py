from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.accounts.models import AdvisorAssignment
from guichet.accounts.testing import login_with_second_factor
from guichet.support import clock, spam
from guichet.support.enums import RequestStatus
from guichet.support.models import KnowledgePage, SupportRequest
from guichet.support.services import page_save
from guichet.support.tests.factories import AdvisorFactory, team_with_advisors, zone

FIXED_NOW = datetime(2026, 12, 23, 10, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW)
    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)


def form_data(**overrides):
    data = {
        "profile": "parent",
        "topic": "remuneration",
        "commune": "",
        "commune_label": "Saint-Quentin (02100)",
        "message": "Combien sera payé mon fils de 17 ans en première année ?",
        "name": "Claire Parent",
        "email": "claire.parent@exemple.fr",
        "contact_preference": "email",
        "phone": "",
        "site_web": "",
        "started": spam.form_token(),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_parent_asks_without_account_and_gets_reference_deadline_and_follow_link(
    client, fixed_clock, django_capture_on_commit_callbacks
):
    _, (advisor, _) = team_with_advisors(zone_code="3220")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("support:ask"), form_data())
    assert response.status_code == 302
    support_request = SupportRequest.objects.get()
    assert support_request.advisor == advisor
    page = client.get(response["Location"])
    content = page.content.decode()
    assert support_request.reference in content
    assert "mardi 29 décembre 2026" in content  # 3 working days, Christmas skipped
    assert "/accompagnement/suivi/" in content
    ack = next(message for message in mail.outbox if message.to == ["claire.parent@exemple.fr"])
    assert support_request.reference in ack.subject


@pytest.mark.django_db
def test_bad_input_keeps_what_was_typed_with_french_messages(client, fixed_clock):
    response = client.post(
        reverse("support:ask"),
        form_data(message="  ", commune_label="Ville-Qui-N-Existe-Pas", name="Ma <b>famille</b>"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Écrivez votre message" in content
    assert "Aucune commune ne correspond" in content
    assert 'value="Ma &lt;b&gt;famille&lt;/b&gt;"' in content
    assert 'value="claire.parent@exemple.fr"' in content
    assert not SupportRequest.objects.exists()


@pytest.mark.django_db
def test_oversized_and_executable_attachments_are_refused_by_content(client, fixed_clock):
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 10))
    exe = SimpleUploadedFile("facture.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(reverse("support:ask"), {**form_data(), "attachments": [big, exe]})
    content = response.content.decode()
    assert "5 Mo au maximum" in content
    assert "programme" in content
    assert "Combien sera payé mon fils" in content
    assert not SupportRequest.objects.exists()


@pytest.mark.django_db
def test_script_in_the_message_is_shown_as_text_never_executed(client, fixed_clock):
    _, (advisor, _) = team_with_advisors(zone_code="3220")
    client.post(reverse("support:ask"), form_data(message="<script>alert('x')</script> Bonjour"))
    support_request = SupportRequest.objects.get()
    login_with_second_factor(client, advisor)
    content = client.get(reverse("support:advisor_detail", args=[support_request.reference])).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert" in content


@pytest.mark.django_db
def test_honeypot_and_too_fast_submissions_are_refused_and_the_form_is_kept(client, monkeypatch):
    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 60)
    response = client.post(reverse("support:ask"), form_data())
    assert "trop vite" in response.content.decode()
    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)
    response = client.post(reverse("support:ask"), form_data(site_web="http://spam.example"))
    assert "Ne pas remplir" in response.content.decode()
    assert "Combien sera payé mon fils" in response.content.decode()
    assert not SupportRequest.objects.exists()


@pytest.mark.django_db
def test_too_many_requests_from_one_address_are_refused(client, fixed_clock, monkeypatch):
    monkeypatch.setattr(spam, "PER_IP_PER_HOUR", 1)
    from django.core.cache import cache

    cache.clear()
    assert client.post(reverse("support:ask"), form_data()).status_code == 302
    response = client.post(reverse("support:ask"), form_data())
    assert "réessayez plus tard" in response.content.decode()
    assert SupportRequest.objects.count() == 1
    cache.clear()


@pytest.mark.django_db
def test_anonymous_requester_sees_only_their_request_through_the_secret_link(client, fixed_clock):
    from django.core.cache import cache

    cache.clear()
    team_with_advisors(zone_code="3220")
    client.post(reverse("support:ask"), form_data())
    client.post(reverse("support:ask"), form_data(email="autre@exemple.fr", message="Une autre question"))
    first, second = SupportRequest.objects.order_by("created_at", "pk")
    token = client.session["support_tokens"][first.reference]
    other = client.__class__()
    assert other.get(reverse("support:follow", args=[first.reference, token])).status_code == 200
    assert other.get(reverse("support:follow", args=[second.reference, token])).status_code == 404
    assert other.get(reverse("support:follow", args=[first.reference, "faux"])).status_code == 404
    reply = other.post(reverse("support:follow_reply", args=[first.reference, token]), {"message": "Merci !"})
    assert reply.status_code == 302
    assert first.messages.count() == 2
    cache.clear()


@pytest.mark.django_db
def test_advisor_of_another_zone_gets_404_and_the_right_one_answers_by_web_and_email(
    client, fixed_clock, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    cache.clear()
    _, (advisor, _) = team_with_advisors(zone_code="3220")
    client.post(reverse("support:ask"), form_data())
    support_request = SupportRequest.objects.get()
    token = client.session["support_tokens"][support_request.reference]
    outsider = AdvisorFactory()
    AdvisorAssignment.objects.create(advisor=outsider, basin=zone("3202"))
    advisor_client = client.__class__()
    login_with_second_factor(advisor_client, outsider)
    assert advisor_client.get(reverse("support:advisor_detail", args=[support_request.reference])).status_code == 404
    login_with_second_factor(advisor_client, advisor)
    dashboard = advisor_client.get(reverse("support:advisor_dashboard"))
    assert support_request.reference in dashboard.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = advisor_client.post(
            reverse("support:advisor_detail", args=[support_request.reference]),
            {"action": "reply", "message": "En 1re année, 27 % du SMIC."},
        )
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.ANSWERED
    assert mail.outbox[-1].to == ["claire.parent@exemple.fr"]
    assert "27 % du SMIC" in mail.outbox[-1].body
    follow = client.get(reverse("support:follow", args=[support_request.reference, token])).content.decode()
    assert "27 % du SMIC" in follow
    dashboard = advisor_client.get(reverse("support:advisor_dashboard")).content.decode()
    assert 'data-total-answered="1"' in dashboard
    cache.clear()


@pytest.mark.django_db
def test_non_advisors_cannot_open_the_dashboard(client):
    response = client.get(reverse("support:advisor_dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    login_with_second_factor(client, AdvisorFactory(role="jeune"))
    assert client.get(reverse("support:advisor_dashboard")).status_code == 403


@pytest.mark.django_db
def test_attachment_is_served_only_to_the_requester_and_advisors_of_the_zone(client, fixed_clock):
    from django.core.cache import cache

    cache.clear()
    _, (advisor, _) = team_with_advisors(zone_code="3220")
    pdf = SimpleUploadedFile("fiche.pdf", b"%PDF-1.4\n%%EOF\n")
    client.post(reverse("support:ask"), {**form_data(), "attachments": [pdf]})
    support_request = SupportRequest.objects.get()
    attachment = support_request.messages.get().attachments.get()
    url = reverse("support:attachment", args=[attachment.pk])
    own = client.get(url)  # the session that sent it
    assert own.status_code == 200
    b"".join(own.streaming_content)
    stranger = client.__class__()
    assert stranger.get(url).status_code == 404
    outsider = AdvisorFactory()
    login_with_second_factor(stranger, outsider)
    assert stranger.get(url).status_code == 404
    login_with_second_factor(stranger, advisor)
    response = stranger.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    attachment.file.delete(save=False)
    cache.clear()


@pytest.mark.django_db
def test_knowledge_page_renders_markdown_with_sources_and_without_scripts(client):
    page = KnowledgePage.objects.get(slug="remuneration-de-l-apprenti")
    page.body += "\n<script>alert(1)</script>\n\n[piège](javascript:alert(1)) <a href='#' onclick='x()'>lien</a>\n"
    page_save(page=page, changed_by=None, note="Essai d'injection")
    content = client.get(reverse("support:page", args=[page.slug])).content.decode()
    assert "D6222-26" in content
    assert "<script>alert(1)" not in content
    assert "javascript:" not in content
    assert "onclick" not in content


@pytest.mark.django_db
def test_page_past_review_shows_its_notice_and_is_listed_for_editors(client, admin_user):
    page = KnowledgePage.objects.get(slug="rupture-du-contrat")
    KnowledgePage.objects.filter(pk=page.pk).update(last_reviewed_on=date(2020, 1, 1), next_review_on=date(2021, 1, 1))
    content = client.get(reverse("support:page", args=[page.slug])).content.decode()
    assert "En cours de vérification" in content
    login_with_second_factor(client, admin_user)
    dashboard = client.get(reverse("support:editor_dashboard")).content.decode()
    assert f'data-past-review="{page.slug}"' in dashboard
    response = client.post(reverse("support:page_review", args=[page.slug]), {"next_review_on": "2030-01-01"})
    assert response.status_code == 302
    assert "En cours de vérification" not in client.get(reverse("support:page", args=[page.slug])).content.decode()


@pytest.mark.django_db
def test_page_edit_records_a_version_and_the_history_shows_the_difference(client, admin_user):
    login_with_second_factor(client, admin_user)
    page = KnowledgePage.objects.get(slug="trouver-un-employeur")
    response = client.post(
        reverse("support:page_edit", args=[page.slug]),
        {
            "title": page.title,
            "summary": page.summary,
            "body": page.body + "\nNouveau conseil : relancez les entreprises après une semaine.\n",
            "sources": page.sources,
            "audiences": page.audiences,
            "note": "Ajout d'un conseil",
        },
    )
    assert response.status_code == 302
    history = client.get(reverse("support:page_history", args=[page.slug])).content.decode()
    assert "Ajout d&#x27;un conseil" in history or "Ajout d'un conseil" in history
    assert "<ins>+ Nouveau conseil : relancez les entreprises après une semaine.</ins>" in history


@pytest.mark.django_db
def test_edit_page_is_forbidden_to_the_public_and_to_advisors_who_do_not_own_it(client):
    url = reverse("support:page_edit", args=["trouver-un-employeur"])
    assert client.get(url)["Location"].startswith("/compte/connexion/")
    login_with_second_factor(client, AdvisorFactory())
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_knowledge_search_understands_synonyms(client):
    content = client.get(reverse("support:knowledge"), {"q": "salaire"}).content.decode()
    assert "Combien est payé un apprenti" in content
    content = client.get(reverse("support:knowledge"), {"q": "patron"}).content.decode()
    assert "Trouver un employeur" in content


@pytest.mark.django_db
def test_guide_gives_dated_steps_the_team_of_the_zone_and_a_printable_version(client):
    team, _ = team_with_advisors(zone_code="3220")
    params = {
        "situation": "a-tout",
        "age": "17",
        "contract_start": "2026-05-11",
        "training_start": "2026-09-01",
        "commune_label": "Saint-Quentin (02100)",
    }
    content = client.get(reverse("support:guide"), params).content.decode()
    assert "18 mai 2026" in content  # 5 jours ouvrables, Ascension skipped (D6224-1)
    assert "du 1er juin 2026 au 1er décembre 2026" in content
    assert team.name in content
    assert "/aides/" in content
    assert "/accompagnement/infos/le-contrat-d-apprentissage/" in content
    printable = client.get(reverse("support:guide"), {**params, "imprimer": "1"})
    assert printable.status_code == 200


@pytest.mark.django_db
def test_guide_for_someone_looking_for_an_employer_links_to_the_search(client):
    content = client.get(reverse("support:guide"), {"situation": "cherche-employeur", "age": "19"}).content.decode()
    assert 'href="/recherche/"' in content
    assert "Trouver un employeur" in content


@pytest.mark.django_db
def test_guide_with_bad_date_says_what_to_do(client):
    content = client.get(reverse("support:guide"), {"situation": "a-tout", "contract_start": "31/02/2026"}).content
    assert "Saisissez une date au format JJ/MM/AAAA" in content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["training_start", "contract_start"])
def test_guide_refuses_a_date_its_deadlines_cannot_be_computed_from(client, field):
    # Year 1 made the deadlines fall before year 1 (500), as the API's property-based tests found.
    response = client.get(reverse("support:guide"), {"situation": "a-tout", field: "0001-01-01"})
    assert response.status_code == 200
    assert "Saisissez une date entre le 1er janvier 1900 et le 31 décembre 2199." in response.content.decode()


@pytest.mark.django_db
def test_home_and_index_pages_answer(client):
    for name in ("support:home", "support:knowledge", "support:ask", "support:guide"):
        assert client.get(reverse(name)).status_code == 200
