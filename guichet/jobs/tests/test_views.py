import re

import pytest
from django.urls import reverse


def options(html: str) -> list[str]:
    return re.findall(r"<li [^>]*>.*?</li>", html)


@pytest.mark.django_db
def test_suggestions_follow_the_combobox_contract(client):
    response = client.get(reverse("jobs:job_suggestions"), {"q": "boulanger"})
    assert response.status_code == 200
    first = options(response.content.decode())[0]
    assert first == (
        '<li role="option" id="job-option-D1102" data-code="D1102" data-label="Boulanger / Boulangère (D1102)">'
        'Boulanger / Boulangère <span class="hint">D1102 · Boulanger / Boulangère</span></li>'
    )


@pytest.mark.django_db
def test_suggestions_show_the_matching_appellation(client):
    html = client.get(reverse("jobs:job_suggestions"), {"q": "vendeuse en boulangerie"}).content.decode()
    assert 'id="job-option-D1106"' in html
    assert "Vendeur / Vendeuse en boulangerie-pâtisserie" in html


@pytest.mark.django_db
def test_suggestions_are_capped_at_ten(client):
    html = client.get(reverse("jobs:job_suggestions"), {"q": "vendeur"}).content.decode()
    assert len(options(html)) == 10


@pytest.mark.django_db
def test_no_match_gives_one_disabled_option(client):
    html = client.get(reverse("jobs:job_suggestions"), {"q": "zzzzqqq"}).content.decode()
    assert options(html) == ['<li role="option" aria-disabled="true">Aucun métier ne correspond.</li>']


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["", "b", " b "])
def test_short_query_gives_an_empty_body(client, q):
    response = client.get(reverse("jobs:job_suggestions"), {"q": q})
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.django_db
def test_suggestions_escape_what_was_typed(client):
    response = client.get(reverse("jobs:job_suggestions"), {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert b"<script>" not in response.content
