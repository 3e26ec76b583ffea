import pytest

from guichet.core.text import search_key


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Amiens", "amiens"),
        ("Saint-Étienne-du-Rouvray", "saint etienne du rouvray"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Œuvres  sociales", "oeuvres sociales"),
        ("  Péronne ", "peronne"),
        ("Boulanger / Boulangère", "boulanger boulangere"),
    ],
)
def test_search_key_ignores_case_accents_and_punctuation(label, expected):
    assert search_key(label) == expected
