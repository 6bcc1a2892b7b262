"""Help > User guide: the Markdown pages of resources/help/ in a QTextBrowser, with a page list and search.

The pages and their order come from ``medrecords_desktop.help`` (no Qt), so the guide the app shows is
the one the tests check.  The dialog is modeless and reused: the main window keeps one and raises it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .. import help as guide
from . import i18n

SLUG_ROLE = Qt.ItemDataRole.UserRole + 1


class HelpDialog(QDialog):
    """A page list (filtered by the search box) beside the selected page, rendered from Markdown."""

    def __init__(self, parent: QWidget | None = None, slug: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HelpDialog")
        self.setWindowTitle(self.tr("MedRecords — User guide"))
        self.resize(900, 640)
        self.search = QLineEdit(placeholderText=self.tr("Search the guide"))
        self.search.setObjectName("HelpSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search the guide"))
        self.search.setAccessibleDescription(self.tr("Shows only the pages that contain all the words"))
        self.pages = QListWidget()
        self.pages.setObjectName("HelpPages")
        self.pages.setMinimumWidth(200)
        self.pages.setWordWrap(True)  # long titles (and large text) wrap instead of being cut
        self.pages.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.pages.setAccessibleName(self.tr("Pages of the guide"))
        self.text = QTextBrowser()
        self.text.setObjectName("HelpText")
        self.text.setAccessibleName(self.tr("Guide page"))
        # Tab moves on (no keyboard trap); the page still scrolls with the arrow keys and Page Up/Down.
        self.text.setTabChangesFocus(True)
        self.text.setOpenExternalLinks(False)  # offline app: no link leaves it without the user knowing
        self.text.setOpenLinks(False)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        find_label = QLabel(self.tr("&Find:"))
        find_label.setBuddy(self.search)
        lv.addWidget(find_label)
        lv.addWidget(self.search)
        lv.addWidget(self.pages)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.text)
        split.setStretchFactor(1, 1)
        split.setSizes([220, 680])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close the guide"))
        buttons.rejected.connect(self.close)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)

        self.pages.currentItemChanged.connect(self._show_current)
        self.search.textChanged.connect(self._filter)
        self.lang = i18n.current()  # pages translated into the language in use, English otherwise
        self._fill(guide.pages(lang=self.lang))
        self.show_page(slug or guide.pages()[0].slug)
        QWidget.setTabOrder(self.search, self.pages)
        QWidget.setTabOrder(self.pages, self.text)
        self.search.setFocus()

    def _fill(self, pages: tuple[guide.HelpPage, ...] | list[guide.HelpPage]) -> None:
        current = self.current_slug()
        self.pages.clear()
        for p in pages:
            item = QListWidgetItem(p.title)
            item.setData(SLUG_ROLE, p.slug)
            self.pages.addItem(item)
        if self.pages.count():
            self.show_page(current if current in {p.slug for p in pages} else pages[0].slug)
        else:
            self.text.setPlainText(self.tr("No page of the guide contains all of those words."))

    def _filter(self, words: str) -> None:
        self._fill(guide.find(words, self.lang) if words.strip() else guide.pages(lang=self.lang))
        if words.strip() and self.pages.count():
            self.text.find(words.split()[0])  # scroll to the first hit

    def _show_current(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if item is not None:
            self.text.setMarkdown(guide.page(item.data(SLUG_ROLE), self.lang).text())

    def current_slug(self) -> str | None:
        item = self.pages.currentItem()
        return item.data(SLUG_ROLE) if item is not None else None

    def show_page(self, slug: str) -> None:
        for row in range(self.pages.count()):
            if self.pages.item(row).data(SLUG_ROLE) == slug:
                self.pages.setCurrentRow(row)
                self._show_current(self.pages.item(row))
                return
