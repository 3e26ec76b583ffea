import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/territoire/communes/suggestions"


def test_suggestions_url_name_is_stable():
    assert reverse("territory:commune_suggestions") == URL


def test_suggestions_list_matching_communes_as_options(client):
    response = client.get(URL, {"q": "amiens"})
    assert response.status_code == 200
    html = response.content.decode()
    first = re.search(r"<li [^>]*>.*?</li>", html).group(0)
    assert first == (
        '<li role="option" id="commune-option-80021" data-insee="80021" data-label="Amiens (80000)">'
        'Amiens <span class="hint">80000, 80080, 80090 · Somme</span></li>'
    )


def test_suggestions_show_at_most_ten_options(client):
    html = client.get(URL, {"q": "saint"}).content.decode()
    assert html.count('role="option"') == 10
    assert "aria-disabled" not in html


def test_suggestions_say_when_nothing_matches(client):
    html = client.get(URL, {"q": "zzqqzz"}).content.decode()
    assert html.strip() == '<li role="option" aria-disabled="true">Aucune commune ne correspond.</li>'


@pytest.mark.parametrize("query", ["", "a", " b "])
def test_suggestions_are_empty_under_two_characters(client, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert response.content == b""


def test_suggestions_escape_the_page(client):
    html = client.get(URL, {"q": "<script>"}).content.decode()
    assert "<script>" not in html


def test_suggestions_refuse_post(client):
    assert client.post(URL, {"q": "amiens"}).status_code == 405
