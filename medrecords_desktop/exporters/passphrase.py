"""Generated passwords for exports: a few random common words, easy to read out over the phone.

The words come from ``wordlist.txt`` beside this module (plain common English words written for this
project, one per line). Each word is drawn with :mod:`secrets`, so the strength is exactly
``words * log2(len(word list))`` bits; with the shipped list of about 2,600 words, six words give
about 68 bits, more than enough for a file that an attacker can only attack offline through the
AES-256/revision 6 key derivation of the PDF or 7z container.
"""

from __future__ import annotations

import math
import secrets
from functools import lru_cache
from importlib import resources

MIN_WORDS = 5
DEFAULT_WORDS = 6
SEPARATOR = "-"


@lru_cache(maxsize=1)
def word_list() -> tuple[str, ...]:
    """The shipped word list, de-duplicated, in file order."""
    text = resources.files(__package__).joinpath("wordlist.txt").read_text(encoding="utf-8")
    seen: dict[str, None] = {}
    for line in text.splitlines():
        word = line.strip().lower()
        if word and not word.startswith("#"):
            seen[word] = None
    words = tuple(seen)
    if len(words) < 2048:  # a packaging mistake, not a user error: fail loudly
        raise RuntimeError(f"word list too short: {len(words)} words")
    return words


def entropy_bits(words: int = DEFAULT_WORDS) -> float:
    """Strength of a generated passphrase of ``words`` words, in bits."""
    return words * math.log2(len(word_list()))


def generate_passphrase(words: int = DEFAULT_WORDS) -> str:
    """``words`` (at least 5) random words joined by hyphens, e.g. ``maple-otter-quiet-...``."""
    if words < MIN_WORDS:
        raise ValueError(f"a generated passphrase needs at least {MIN_WORDS} words, not {words}")
    pool = word_list()
    return SEPARATOR.join(secrets.choice(pool) for _ in range(words))
