"""The combobox widget and the commune field (needs the territory reference data)."""

from collections import Counter

import pytest
from django import forms

from guichet.accounts.fields import ComboboxWidget, CommuneField, commune_resolve
from guichet.territory.models import Commune


class CommuneForm(forms.Form):
    commune = CommuneField(label="Votre commune")


@pytest.mark.django_db
def test_an_initial_commune_shows_its_label_and_code():
    html = str(CommuneForm(initial={"commune": Commune.objects.get(insee="80021")})["commune"])

    assert 'name="commune_label" value="Amiens (80000)"' in html
    assert 'name="commune" value="80021"' in html
    assert 'data-suggestions-url="/territoire/communes/suggestions"' in html
    assert 'aria-describedby="id_commune_helptext"' in html


@pytest.mark.django_db
def test_an_invalid_commune_is_marked_and_described_by_its_error():
    form = CommuneForm(data={"commune": "", "commune_label": "Atlantide"})

    assert not form.is_valid()
    html = str(form["commune"])
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_commune_helptext id_commune_error"' in html
    assert 'value="Atlantide"' in html


@pytest.mark.django_db
def test_an_unknown_code_with_no_text_is_required_again():
    form = CommuneForm(data={"commune": "99999", "commune_label": ""})
    assert form.errors["commune"] == [
        "Saisissez le nom ou le code postal de la commune, puis choisissez-la dans la liste."
    ]


@pytest.mark.django_db
def test_a_postcode_shared_by_several_communes_is_ambiguous():
    communes_by_postcode = Counter(
        postcode
        for postcodes in Commune.objects.filter(insee__startswith="80").values_list("postcodes", flat=True)
        for postcode in postcodes.split()
    )
    shared = next(postcode for postcode, count in communes_by_postcode.most_common() if count > 1)

    assert len(commune_resolve(shared)) == communes_by_postcode[shared]
    form = CommuneForm(data={"commune": "", "commune_label": shared})
    assert form.errors["commune"][0].startswith(f"Plusieurs communes correspondent à «\u00a0{shared}\u00a0»")


def test_the_job_combobox_uses_the_job_suggestions_and_codes():
    widget = ComboboxWidget(template_name="components/job_combobox.html")

    html = widget.render("job", ("M1805", "Études et développement informatique (M1805)"), attrs={"id": "id_job"})

    assert 'data-suggestions-url="/metiers/suggestions"' in html
    assert 'data-code-attribute="code"' in html
    assert 'aria-label="Métiers proposés"' in html
    assert 'name="job" value="M1805"' in html
    assert 'id="id_job_listbox"' in html
