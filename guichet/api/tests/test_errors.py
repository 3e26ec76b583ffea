from guichet.api.errors import validation_errors


def test_body_errors_name_the_field_not_the_parameter():
    raw = [{"type": "date_from_datetime_parsing", "loc": ("body", "payload", "birth_date"), "msg": "x"}]
    assert validation_errors(raw) == [{"field": "birth_date", "message": "Saisissez une date au format AAAA-MM-JJ."}]


def test_nested_body_errors_keep_their_path():
    raw = [{"type": "missing", "loc": ("body", "payload", "employer", "headcount"), "msg": "x"}]
    assert validation_errors(raw) == [{"field": "employer.headcount", "message": "Ce paramètre est obligatoire."}]


def test_query_errors_name_the_parameter_with_a_french_message():
    raw = [{"type": "greater_than_equal", "loc": ("query", "radius_km"), "msg": "x", "ctx": {"ge": 1}}]
    assert validation_errors(raw) == [
        {"field": "radius_km", "message": "La valeur doit être supérieure ou égale à 1."}
    ]


def test_an_empty_text_gets_a_plain_message():
    raw = [{"type": "string_too_short", "loc": ("query", "q"), "msg": "x", "ctx": {"min_length": 1}}]
    assert validation_errors(raw)[0]["message"] == "Ce texte ne doit pas être vide."


def test_a_malformed_json_body_gets_a_french_400(client):
    response = client.post("/api/v1/simulations/salary", data=b"\xff{", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Le corps de la requête n'est pas un JSON valide : vérifiez sa syntaxe.",
        "errors": [],
    }
