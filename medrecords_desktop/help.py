"""The user guide shipped with the app: Markdown pages in resources/help/, listed in reading order.

No Qt here, so tests, the self-check and any viewer share one loader; the desktop app shows the pages
with QTextBrowser.setMarkdown (gui/help_dialog.py).  A page's file name
starts with a two-digit number that sets its order; its first ``# `` heading is its title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HELP_DIR = Path(__file__).resolve().parent / "resources" / "help"
_NAME = re.compile(r"^(\d{2})-([a-z0-9-]+)\.md$")


@dataclass(frozen=True)
class HelpPage:
    slug: str  # the file name without its order number and extension, e.g. "troubleshooting"
    title: str
    path: Path

    def text(self) -> str:
        return self.path.read_text("utf-8")

    def sections(self) -> list[str]:
        """The page's ``## `` headings, for a table of contents."""
        return [line[3:].strip() for line in self.text().splitlines() if line.startswith("## ")]


def _title(path: Path) -> str:
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise ValueError(f"{path.name}: a help page must start with a '# Title' line")


@cache
def pages(folder: Path = HELP_DIR, lang: str = "en") -> tuple[HelpPage, ...]:
    """Every page, in reading order.  Files that do not follow the NN-name.md pattern are ignored.

    For another language, ``folder/<lang>/NN-name.md`` replaces the English page where it exists
    (same file name, so the order and slugs stay the same); pages not translated yet stay English."""
    found = []
    for path in sorted(folder.glob("*.md")):
        m = _NAME.match(path.name)
        if m:
            local = folder / lang / path.name
            use = local if lang != "en" and local.is_file() else path
            found.append(HelpPage(m.group(2), _title(use), use))
    return tuple(found)


def page(slug: str, lang: str = "en") -> HelpPage:
    for p in pages(lang=lang):
        if p.slug == slug:
            return p
    raise KeyError(f"no help page {slug!r}; pages: {', '.join(p.slug for p in pages())}")


def find(words: str, lang: str = "en") -> list[HelpPage]:
    """Pages containing every word (case-insensitive): the help viewer's search box."""
    terms = [w.lower() for w in words.split() if w]
    return [p for p in pages(lang=lang) if all(t in p.text().lower() for t in terms)]
