"""The web texts: one catalogue mechanism with one rule for gaps, and every catalogue complete in
German and English with the same placeholders."""

import logging
from string import Formatter

import pytest

from gateway.web import care_texts, i18n
from gateway.web.backoffice import history, texts
from gateway.web.catalogue import Catalogue

CATALOGUES = {
    "pages": i18n.CATALOGUE,
    "back office": texts.CATALOGUE,
    "care": care_texts.CATALOGUE,
    "history": history.CATALOGUE,
    "history events": history.EVENTS,
}


def test_english_falls_back_to_german_and_values_are_filled_in():
    catalogue = Catalogue({"hello": "Hallo {name}", "only_de": "Nur Deutsch"}, {"hello": "Hello {name}"})
    assert catalogue.text("de", "hello", name="Ada") == "Hallo Ada"
    assert catalogue.text("en", "hello", name="Ada") == "Hello Ada"
    assert catalogue.text("en", "only_de") == "Nur Deutsch"
    assert catalogue.text("fr", "hello", name="Ada") == "Hallo Ada"


def test_a_missing_key_is_shown_as_itself_and_logged_once(caplog):
    catalogue = Catalogue({}, {})
    with caplog.at_level(logging.WARNING, logger="gateway.web.catalogue"):
        assert catalogue.text("de", "enrollment_status_new") == "enrollment_status_new"
        assert catalogue.text("en", "enrollment_status_new") == "enrollment_status_new"
    assert [r.getMessage() for r in caplog.records] == ["no text for 'enrollment_status_new'"]


def test_a_catalogue_falls_back_to_another():
    office = Catalogue({"save": "Speichern"}, {"save": "Save"})
    care = Catalogue({"care": "Betreuung"}, {"care": "Care"}, fallback=office)
    assert care.text("en", "save") == "Save" and care.text("de", "care") == "Betreuung"
    assert "save" in care and "nothing" not in care


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_text_exists_in_german_and_english_with_the_same_placeholders(name):
    catalogue = CATALOGUES[name]
    assert set(catalogue.de) == set(catalogue.en)
    different = [key for key in catalogue.de if _fields(catalogue.de[key]) != _fields(catalogue.en[key])]
    assert different == []
