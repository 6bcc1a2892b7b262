"""What a screen reader says for a row: one sentence per record, in the current language.

The sentences themselves live in ``sentences.py`` (``row_sentence``, ``row_description``,
``flag_phrase``, re-exported here); the item models in ``models.py`` give them as
AccessibleTextRole/AccessibleDescriptionRole from their own ``data()``.  The ``Accessible*Model`` names
below are kept for the views that were written against them: they are the models themselves now.
"""

from __future__ import annotations

from .models import EncounterModel, SearchModel, TimelineModel
from .sentences import flag_phrase, row_description, row_sentence

__all__ = [
    "AccessibleEncounterModel",
    "AccessibleSearchModel",
    "AccessibleTimelineModel",
    "flag_phrase",
    "row_description",
    "row_sentence",
]

AccessibleTimelineModel = TimelineModel
AccessibleEncounterModel = EncounterModel
AccessibleSearchModel = SearchModel
