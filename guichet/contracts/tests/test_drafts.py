"""Contract drafts: pre-filling from an accepted application, each side's part, validations, the PDF, and the
declaration of the signed contract (application "contrat signé", other applications closed, register row)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.candidates.enums import ApplicationStatus
from guichet.candidates.services import application_accept, application_create
from guichet.contracts.drafts import APPRENTICE, EMPLOYER, missing_fields, pay_table
from guichet.contracts.models import Contract, ContractDraft
from guichet.contracts.services import (
    ContractDraftError,
    contract_draft_create,
    contract_draft_sign,
    contract_draft_update,
    contract_draft_validate,
)
from guichet.employers.tests.factories import EstablishmentMembershipFactory
from guichet.matching.tests.test_views import build_market
from guichet.offers.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

EMPLOYER_PART = {
    "employer_address": "1 rue des Essais",
    "master_last_name": "Durand",
    "master_first_name": "Alex",
    "master_job_title": "Infirmier coordinateur",
    "cfa_uai": "0801234A",
}
APPRENTICE_PART = {"apprentice_sex": "F", "apprentice_address": "2 place Gambetta"}


def accepted(market):
    application = application_create(candidate=market.profile, offer=market.offer)
    return application_accept(application=application, by=market.employer)


def filled_draft(market):
    application = accepted(market)
    draft = contract_draft_create(application=application, by=market.employer, training=market.training)
    today = timezone.localdate()
    values = {**EMPLOYER_PART, "master_birth_date": today.replace(year=today.year - 40), "concluded_on": today}
    draft = contract_draft_update(draft=draft, side=EMPLOYER, values=values, by=market.employer)
    return contract_draft_update(draft=draft, side=APPRENTICE, values=APPRENTICE_PART, by=market.young)


def test_a_draft_is_prefilled_from_the_application_the_offer_and_the_training():
    market = build_market()
    draft = contract_draft_create(application=accepted(market), by=market.employer, training=market.training)
    assert draft.employer_siret == market.establishment.siret
    assert draft.apprentice_first_name == market.young.first_name
    assert draft.apprentice_birth_date == market.profile.birth_date
    assert draft.starts_on == market.offer.starts_on
    assert draft.ends_on == market.offer.starts_on.replace(year=market.offer.starts_on.year + 2) - timedelta(days=1)
    assert (draft.cfa_uai, draft.cfa_name) == (market.training.centre.uai, market.training.centre.name)
    assert draft.training_starts_on == market.training.sessions.get().starts_on


def test_a_draft_needs_an_accepted_application():
    market = build_market()
    application = application_create(candidate=market.profile, offer=market.offer)
    with pytest.raises(ContractDraftError, match="une fois la candidature acceptée"):
        contract_draft_create(application=application, by=market.employer)
    assert not ContractDraft.objects.exists()


def test_each_side_changes_only_its_own_part_and_a_change_clears_both_validations():
    market = build_market()
    draft = filled_draft(market)
    with pytest.raises(ContractDraftError, match="votre partie"):
        contract_draft_update(draft=draft, side=APPRENTICE, values={"master_last_name": "X"}, by=market.young)
    with pytest.raises(ContractDraftError, match="Seul l'employeur"):
        contract_draft_update(draft=draft, side=EMPLOYER, values={"master_last_name": "X"}, by=market.young)
    draft = contract_draft_validate(draft=draft, side=EMPLOYER, by=market.employer)
    draft = contract_draft_validate(draft=draft, side=APPRENTICE, by=market.young)
    assert draft.both_validated
    draft = contract_draft_update(
        draft=draft, side=APPRENTICE, values={"apprentice_phone": "0600000000"}, by=market.young
    )
    assert draft.employer_validated_at is None and draft.apprentice_validated_at is None


def test_validation_lists_what_is_missing():
    market = build_market()
    draft = contract_draft_create(application=accepted(market), by=market.employer)
    assert "Nom du maître d'apprentissage" in " ".join(
        label.capitalize() for label in missing_fields(draft=draft, side=EMPLOYER)
    )
    with pytest.raises(ContractDraftError, match="Complétez d'abord"):
        contract_draft_validate(draft=draft, side=APPRENTICE, by=market.young)
    draft.refresh_from_db()
    assert draft.apprentice_validated_at is None


def test_signing_needs_both_validations_then_closes_the_other_applications_and_adds_a_register_row():
    market = build_market()
    other_offer = OfferFactory(establishment=EstablishmentMembershipFactory().establishment, published=True)
    other = application_create(candidate=market.profile, offer=other_offer)
    draft = filled_draft(market)
    with pytest.raises(ContractDraftError, match="deux parties"):
        contract_draft_sign(draft=draft, by=market.employer)
    contract_draft_validate(draft=draft, side=EMPLOYER, by=market.employer)
    contract_draft_validate(draft=draft, side=APPRENTICE, by=market.young)
    with pytest.raises(ContractDraftError, match="Seul l'employeur"):
        contract_draft_sign(draft=draft, by=market.young)
    places_before = market.training.remaining_places
    draft = contract_draft_sign(draft=draft, by=market.employer)
    draft.application.refresh_from_db()
    other.refresh_from_db()
    market.training.refresh_from_db()
    assert draft.application.status == ApplicationStatus.CONTRACT_SIGNED
    assert other.status == ApplicationStatus.WITHDRAWN
    contract = Contract.objects.get(pk=draft.contract_id)
    assert contract.birth_year == market.profile.birth_date.year
    assert contract.birth_date == market.profile.birth_date
    assert contract.training_centre_uai == draft.cfa_uai != ""
    assert contract.contract_kind == "CDD"
    assert contract.rqth is market.profile.rqth
    assert contract.rome_job == market.offer.rome_job
    assert contract.training_centre == market.training.centre
    assert market.training.remaining_places == places_before - 1
    # No name in the register: only the draft, kept for the two sides, holds them.
    assert not any(
        market.young.last_name in str(value)
        for value in Contract.objects.filter(pk=contract.pk).values().get().values()
    )
    with pytest.raises(ContractDraftError, match="déjà déclaré signé"):
        contract_draft_update(draft=draft, side=APPRENTICE, values={"apprentice_phone": "1"}, by=market.young)


def test_the_pay_rows_come_from_the_salary_rules_once_the_dates_are_known():
    market = build_market()
    draft = filled_draft(market)
    table = pay_table(draft=draft)
    assert table.rows and table.rows[0].contract_year == 1
    assert table.rows[0].monthly_gross > 0
    assert "simulateur de rémunération" in table.note
    draft.apprentice_birth_date = None
    empty = pay_table(draft=draft)
    assert empty.rows == [] and "Calculé par le simulateur de rémunération" in empty.note


def test_the_pages_let_each_side_fill_in_validate_and_download_the_pdf(client):
    market = build_market()
    application = accepted(market)
    client.force_login(market.employer)
    response = client.post(
        reverse("contracts:for_application", args=[application.pk]), {"training": str(market.training.pk)}
    )
    draft = ContractDraft.objects.get(application=application)
    assert response["Location"] == reverse("contracts:draft", args=[draft.pk])
    html = client.get(reverse("contracts:draft", args=[draft.pk])).content.decode()
    assert "Brouillon, à reporter sur le CERFA FA13 officiel" in html
    assert 'name="master_last_name"' in html and 'name="apprentice_sex"' not in html
    form = client.get(reverse("contracts:draft", args=[draft.pk])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"side": "employer", "action": "save", "master_last_name": "Durand"})
    response = client.post(reverse("contracts:draft", args=[draft.pk]), data)
    assert "Renseignez ce champ : prénom du maître d&#x27;apprentissage." in response.content.decode()
    draft.refresh_from_db()
    assert draft.master_last_name == ""  # nothing saved while a field is missing
    data.update({**EMPLOYER_PART, "master_birth_date": "1980-03-04", "concluded_on": timezone.localdate().isoformat()})
    client.post(reverse("contracts:draft", args=[draft.pk]), data)
    draft.refresh_from_db()
    assert draft.master_last_name == "Durand"
    assert draft.employer_siret == market.establishment.siret  # the other fields kept their values
    pdf = client.get(reverse("contracts:draft_pdf", args=[draft.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.force_login(market.young)
    html = client.get(reverse("contracts:draft", args=[draft.pk])).content.decode()
    assert 'name="apprentice_sex"' in html and 'name="master_last_name"' not in html
    assert "numéro de sécurité sociale" in html
    # The young person cannot write the employer's part by posting its fields.
    client.post(
        reverse("contracts:draft", args=[draft.pk]),
        {"side": "employer", "action": "save", "master_last_name": "Pirate"},
    )
    draft.refresh_from_db()
    assert draft.master_last_name == "Durand"


def test_nobody_else_opens_a_draft(client):
    market = build_market()
    draft = contract_draft_create(application=accepted(market), by=market.employer)
    client.force_login(EstablishmentMembershipFactory().user)
    assert client.get(reverse("contracts:draft", args=[draft.pk])).status_code == 404
    assert client.get(reverse("contracts:draft_pdf", args=[draft.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("contracts:draft", args=[draft.pk]))["Location"].startswith(reverse("accounts:login"))
