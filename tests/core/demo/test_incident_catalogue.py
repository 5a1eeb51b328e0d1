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
