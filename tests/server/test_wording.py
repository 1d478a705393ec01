"""Every code the server's documents can name has its Vietnamese word: a kind added to the
vocabulary without one would print its code in a report or a handover note."""

from __future__ import annotations

from enum import StrEnum

import pytest

from common.vocabulary import (
    CaseKind,
    CaseState,
    IncidentCategory,
    IncidentKind,
    IncidentState,
    ReportKind,
)
from server import wording


@pytest.mark.parametrize(("vocabulary", "words"), [
    (CaseKind, wording.KIND_VI),
    (CaseState, wording.CASE_STATE_VI),
    (IncidentKind, wording.INCIDENT_KIND_VI),
    (IncidentCategory, wording.INCIDENT_CATEGORY_VI),
    (IncidentState, wording.INCIDENT_STATE_VI),
    (ReportKind, wording.PERIOD_VI),
])
def test_every_code_has_a_vietnamese_word(vocabulary: type[StrEnum], words: dict[str, str]) -> None:
    missing = sorted(code.value for code in vocabulary if code.value not in words)
    assert not missing, f"{vocabulary.__name__} without a Vietnamese word: {missing}"
    assert all(word and word not in {c.value for c in vocabulary} for word in words.values())
