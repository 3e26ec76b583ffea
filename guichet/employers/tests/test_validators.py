import pytest
from django.core.exceptions import ValidationError

from guichet.employers.validators import (
    is_la_poste_siret,
    luhn_check_digit,
    luhn_is_valid,
    validate_siren,
    validate_siret,
)


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("79927398713", True), ("79927398710", False), ("732829320", True), ("732829321", False)],
)
def test_luhn_recognises_valid_and_invalid_numbers(digits, valid):
    assert luhn_is_valid(digits) is valid


def test_luhn_check_digit_completes_a_valid_number():
    for partial in ("7992739871", "73282932", "1234567890123"):
        assert luhn_is_valid(partial + luhn_check_digit(partial))
        wrong = str((int(luhn_check_digit(partial)) + 1) % 10)
        assert not luhn_is_valid(partial + wrong)


def test_valid_siren_and_siret_pass():
    validate_siren("732829320")
    validate_siret("73282932000074")


@pytest.mark.parametrize(
    ("value", "code"),
    [("73282932", "siren_format"), ("73282932A", "siren_format"), ("732829321", "siren_checksum")],
)
def test_invalid_siren_is_refused_with_a_french_message(value, code):
    with pytest.raises(ValidationError) as error:
        validate_siren(value)
    assert error.value.code == code
    assert "SIREN" in error.value.messages[0]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("7328293200007", "siret_format"),
        ("7328293200007X", "siret_format"),
        ("732 829 320 00074", "siret_format"),
        ("73282932000075", "siret_checksum"),
    ],
)
def test_invalid_siret_is_refused_with_a_french_message(value, code):
    with pytest.raises(ValidationError) as error:
        validate_siret(value)
    assert error.value.code == code
    assert "SIRET" in error.value.messages[0]


def test_la_poste_sirets_are_the_documented_exception_to_luhn():
    # A La Poste establishment: fails Luhn, but its digits add up to a multiple of 5 (INSEE rule).
    siret = "35600000049837"
    assert not luhn_is_valid(siret)
    assert is_la_poste_siret(siret)
    validate_siret(siret)


def test_la_poste_head_office_is_an_ordinary_luhn_number():
    validate_siret("35600000000048")
    assert luhn_is_valid("35600000000048")


def test_a_la_poste_siret_must_still_have_digits_summing_to_a_multiple_of_5():
    siret = "35600000049838"
    assert not luhn_is_valid(siret)
    assert not is_la_poste_siret(siret)
    with pytest.raises(ValidationError):
        validate_siret(siret)


def test_the_la_poste_rule_applies_only_to_la_poste():
    # Digits summing to 45 but another SIREN: Luhn still applies.
    assert not is_la_poste_siret("73282932000072")
    with pytest.raises(ValidationError):
        validate_siret("73282932000072")
