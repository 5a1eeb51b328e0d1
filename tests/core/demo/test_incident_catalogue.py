"""The demo's incident catalogue: every title in Korean (as the stations write it) and English."""

from __future__ import annotations

from console.demo.incident_catalogue import CATALOGUE, late_box_title
from console.domain.incidents import IncidentCategory


def hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def test_every_title_has_korean_and_english() -> None:
    assert {t.category for t in CATALOGUE} == set(IncidentCategory)
    for template in CATALOGUE:
        assert template.title_texts
        for title in template.title_texts:
            assert hangul(title.ko) and " / " not in title.ko, title
            assert title.en.isascii() and title.en.strip(), title
        assert template.titles == tuple(t.ko for t in template.title_texts)


def test_the_late_box_title_names_the_place_in_each_language() -> None:
    title = late_box_title("청운효자동제1투표소", "청운효자동")
    assert title.payload() == {"title": "청운효자동제1투표소 투표함 회송 지연",
                               "title_en": "Ballot box from Cheongunhyojadong overdue"}


def test_the_early_voting_days_have_their_own_cases_in_korean_and_english() -> None:
    from console.demo.incident_catalogue import EARLY_VOTING_CATALOGUE, catalogue_for

    assert catalogue_for(True) is EARLY_VOTING_CATALOGUE and catalogue_for(False) is CATALOGUE
    categories = [t.category for t in EARLY_VOTING_CATALOGUE]
    assert len(categories) == len(set(categories))
    # No ballot boxes travel in the demo on an early-voting day.
    assert set(categories) == set(IncidentCategory) - {IncidentCategory.BALLOT_TRANSPORT}
    english = {t.en for tpl in EARLY_VOTING_CATALOGUE for t in tpl.title_texts}
    for wanted in ("Attempted proxy voting at an early-voting station",
                   "Dispute over identification at an early-voting station",
                   "Dispute over photographing a ballot", "Rally near an early-voting station"):
        assert wanted in english
    for template in EARLY_VOTING_CATALOGUE:
        for title in template.title_texts:
            assert hangul(title.ko) and " / " not in title.ko, title
            assert title.en.isascii() and title.en.strip(), title
