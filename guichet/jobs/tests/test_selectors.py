import pytest

from guichet.jobs.selectors import CODE, EXACT, diploma_level_list, job_get, job_search


def codes(q: str, limit: int = 10) -> list[str]:
    return [match.code for match in job_search(q=q, limit=limit).items]


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["boulanger", "Boulanger", "BOULANGÈRE", " boulanger "])
def test_boulanger_finds_the_bakery_job_first(q):
    result = job_search(q=q, limit=10)
    first = result.items[0]
    assert (first.code, first.title, first.domain.code) == ("D1102", "Boulanger / Boulangère", "D11")
    assert first.rank == EXACT
    assert first.matched_appellation == "Boulanger / Boulangère"


@pytest.mark.django_db
def test_jobs_whose_appellations_mention_bakery_come_after_the_bakery_job():
    result = job_search(q="boulanger", limit=10)
    assert result.items[0].code == "D1102"
    others = {match.code: match.matched_appellation for match in result.items[1:]}
    assert others["D1106"] == "Vendeur / Vendeuse en boulangerie-pâtisserie"
    assert len(set(codes("boulanger"))) == len(codes("boulanger"))  # one entry per ROME code


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["aide soignant", "Aide-soignante", "aide-soignant"])
def test_aide_soignant_finds_the_health_job_first(q):
    first = job_search(q=q, limit=5).items[0]
    assert first.code == "J1501"
    assert first.is_future and first.future_family == "sante"


@pytest.mark.django_db
def test_accents_do_not_matter():
    assert codes("puericulture") == codes("puériculture") == codes("PUÉRICULTURE")
    assert {"J1304", "J1507"} <= set(codes("puericulture", limit=3))


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["d1102", "D1102", " D 1102"])
def test_a_rome_code_returns_that_job(q):
    result = job_search(q=q, limit=10)
    assert result.items[0].code == "D1102"
    assert result.items[0].rank == CODE


@pytest.mark.django_db
def test_a_domain_code_returns_the_jobs_of_that_domain():
    found = codes("D11", limit=50)
    assert found and all(code.startswith("D11") for code in found[:7])
    assert "D1102" in found


@pytest.mark.django_db
def test_words_in_any_order_still_match():
    assert codes("infirmier bloc")[0] == "J1504"
    assert "J1504" in codes("bloc infirmier")


@pytest.mark.django_db
def test_a_title_match_beats_the_same_match_in_another_job_appellation():
    # "Électricien du bâtiment" (F1602) is a job title; "Électricien spectacle" only an appellation of L1504.
    found = codes("electricien", limit=20)
    assert found.index("F1602") < found.index("L1504")


@pytest.mark.django_db
def test_count_covers_all_matches_and_limit_caps_the_items():
    result = job_search(q="vendeur", limit=3)
    assert len(result.items) == 3
    assert result.count > 3
    assert result.count == len(job_search(q="vendeur", limit=100).items)


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["", "b", "-", "  ", "é"])
def test_too_short_queries_return_nothing(q):
    result = job_search(q=q, limit=10)
    assert (result.items, result.count) == ([], 0)


@pytest.mark.django_db
def test_unknown_text_returns_nothing():
    assert codes("zzzzqqq") == []


@pytest.mark.django_db
def test_job_get_accepts_lower_case_and_returns_appellations_in_order():
    job = job_get(code="d1102")
    titles = [appellation.title for appellation in job.appellations.all()]
    assert job.code == "D1102"
    assert "Boulanger / Boulangère" in titles
    assert titles == sorted(titles)


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["N9999", "zz", "", "D11020"])
def test_job_get_returns_none_for_unknown_or_malformed_codes(code):
    assert job_get(code=code) is None


@pytest.mark.django_db
def test_diploma_levels_run_from_3_to_8():
    levels = list(diploma_level_list())
    assert [level.level for level in levels] == [3, 4, 5, 6, 7, 8]
    assert levels[0].label == "CAP, BEP"
    assert levels[-1].label == "Doctorat"
