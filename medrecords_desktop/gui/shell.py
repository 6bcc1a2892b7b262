"""The shell: the small protocol the main window offers the features built on it.

A feature (sharing, the family's own records, immunizations, claims, the People menu, and those to come)
is a module with ``install(shell: Shell, ...) -> Controller``. Through the shell it

- adds views: ``shell.add_view(name, view, icon=...)`` (sidebar row, the stack, the view's context and
  its subscription to ``changed``);
- adds actions to a menu named by a stable id (``MENU_FILE``...), placed after or before another action's
  id (``"file.import"``...), never found by the text shown, which is translated;
- decorates record rows (``decorate_rows``) and adds entries to the rows' context menu (``add_row_menu``);
- gets services from ``shell.session`` (a ``services.session.Session``, made at unlock) and writes
  through ``ops.write``, whose ``Changed`` comes back to every view through the ``changed`` signal;
- listens to ``locked`` and ``unlocked``;
- registers what it built (``shell.register(name, controller)``), which is how others find it.

A self-contained view (a Devices page) is a few lines::

    def install(shell: Shell) -> DevicesView:
        view = DevicesView()
        shell.add_view("devices", view, icon="devices")
        return shell.register("devices", view)

``ShellMixin`` implements the protocol for ``MainWindow`` (which owns the menus, toolbar, sidebar and
stack it works on); this module never imports the main window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt
from PySide6.QtGui import QAction, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStackedWidget,
    QStatusBar,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolBar,
    QWidget,
)

from ..services.records import Entry
from . import icons, theme
from .models import PERSON_ROLE, PersonInfo, Roles
from .views import View, ViewContext

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from ..services.session import Session

# Menus by stable id (their text is translated).
MENU_FILE, MENU_EDIT, MENU_ADD, MENU_VIEW, MENU_PEOPLE, MENU_HELP = "file", "edit", "add", "view", "people", "help"
# Anchors features place their actions by (QAction.objectName() of the window's own actions).
ACTION_IMPORT, ACTION_SETTINGS, ACTION_LOCK, ACTION_JUMP = "file.import", "file.settings", "file.lock", "view.jump"
ACTION_VIEWS_END = "view.views-end"  # the separator after the View menu's list of views (features' views go before)
# Where rows are decorated: record lists (timeline, documents) and the visit column of the encounter browser.
ROWS_RECORDS, ROWS_VISITS = "records", "visits"

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")


def view_title(title: str) -> str:
    """A view's title in the language in use (every view marks its ``title`` in the "Views" context)."""
    return QCoreApplication.translate("Views", title)


class RowDecorator(Protocol):
    """Paints on top of a row the view drew itself (a badge, a mark). ``rows_reloaded`` is called when
    the rows it decorates were read again (a cheap place to recompute what it paints)."""

    extra_width: int

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, entry: Entry, show_person: bool) -> None: ...

    def rows_reloaded(self) -> None: ...


RowMenu = Callable[[Entry, QMenu], None]


class Strip(Protocol):
    """A line a feature shows on another feature's view (above its content), kept up to date by the shell."""

    def update_for(self, session: Session, person: str | None) -> None: ...

    def clear(self) -> None: ...

    def hide(self) -> None: ...


class Shell(Protocol):
    """What a feature may use of the main window."""

    locked: SignalInstance  # the vault was closed: drop everything readable
    unlocked: SignalInstance  # a session is open
    changed: SignalInstance  # a write finished: carries an ops.Changed
    row_activated: SignalInstance  # Enter / double-click on a record row: carries the Entry
    person_changed: SignalInstance  # another person (an id, or None for everyone) chosen in the sidebar
    people: dict[str, PersonInfo]
    clipboard: Any
    toolbar: QToolBar

    session: Session | None

    def widget(self) -> QWidget: ...

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name

    def register(self, name: str, feature: T) -> T: ...

    def feature(self, name: str) -> Any: ...

    def add_view(
        self, name: str, view: View, *, icon: str | None = None, before: str | None = None, sidebar: bool = True
    ) -> View: ...

    def show_view(self, name: str) -> View: ...

    def menu(self, menu_id: str) -> QMenu: ...

    def add_menu(self, menu_id: str, menu: QMenu, *, before: str) -> QMenu: ...

    def add_action(
        self,
        action: QAction,
        menu: str | None = None,
        *,
        after: str | None = None,
        before: str | None = None,
        separator: bool = False,
        toolbar_before: str | None = None,
        needs_vault: bool = True,
    ) -> QAction: ...

    def action(self, action_id: str) -> QAction: ...

    def decorate_rows(self, decorator: RowDecorator, where: str = ROWS_RECORDS) -> None: ...

    def add_row_menu(self, provider: RowMenu, order: int = 50) -> None: ...

    def add_row_action(self, action: QAction) -> None: ...

    def row_menu(self, entry: Entry, parent: QWidget) -> QMenu: ...

    def current_entry(self) -> Entry | None: ...

    def current_person(self) -> str | None: ...

    def choose_person(self, person_id: str | None) -> None: ...

    def add_strip(self, view_name: str, strip: Strip, index: int = 1) -> None: ...

    def set_person_menu(self, factory: Callable[[QWidget], QMenu]) -> None: ...

    def context(self) -> ViewContext: ...


class DecoratedDelegate(QStyledItemDelegate):
    """A view's own delegate, then every decorator registered for those rows."""

    def __init__(
        self, inner: QStyledItemDelegate | None, decorators: list[RowDecorator], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.inner = inner
        self.decorators = decorators

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt's name
        s = self.inner.sizeHint(option, index) if self.inner is not None else super().sizeHint(option, index)
        extra = sum(getattr(d, "extra_width", 0) for d in self.decorators)
        return QSize(s.width() + extra, s.height())

    def paint(self, p: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if self.inner is not None:
            self.inner.paint(p, option, index)
        else:
            super().paint(p, option, index)
        e = index.data(Roles.Entry)
        if not isinstance(e, Entry):
            return
        show_person = bool(getattr(self.inner, "show_person", False))
        for d in self.decorators:
            d.paint(p, option, e, show_person)


class ShellMixin:
    """The shell's parts of ``MainWindow`` (which provides the widgets named below and the signals)."""

    views: dict[str, View]
    stack: QStackedWidget
    view_list: QListWidget
    people_list: QListWidget
    toolbar: QToolBar
    menus: dict[str, QMenu]
    vault_actions: list[QAction]
    features: dict[str, Any]
    _decorators: dict[str, list[RowDecorator]]
    _row_menus: list[tuple[int, RowMenu]]
    _row_actions: list[QAction]
    _hooked_lists: set[int]
    _person_menu: Callable[[QWidget], QMenu]
    _strips: list[tuple[str, Strip, int]]
    changed: SignalInstance
    row_activated: SignalInstance
    person_changed: SignalInstance
    session: Session | None
    context: Callable[[], ViewContext]

    def _init_shell(self) -> None:
        self.features = {}
        self._decorators = {ROWS_RECORDS: [], ROWS_VISITS: []}
        self._row_menus = []
        self._row_actions = []
        self._hooked_lists = set()
        self._strips = []

    # ------------------------------------------------------------------ features
    def widget(self) -> QWidget:
        return self  # type: ignore[return-value]

    def register(self, name: str, feature: T) -> T:
        self.features[name] = feature
        return feature

    def feature(self, name: str) -> Any:
        return self.features.get(name)

    # ------------------------------------------------------------------ views
    def add_view(
        self, name: str, view: View, *, icon: str | None = None, before: str | None = None, sidebar: bool = True
    ) -> View:
        view.setObjectName(f"{name}View")
        self.views[name] = view
        self.stack.addWidget(view)
        self.changed.connect(view.on_changed)
        if sidebar:
            it = QListWidgetItem(icons.icon(icon or name, theme.colors().muted), view_title(view.title))
            it.setData(PERSON_ROLE, name)
            rows = [self.view_list.item(r).data(PERSON_ROLE) for r in range(self.view_list.count())]
            if before is not None and before in rows:
                self.view_list.insertItem(rows.index(before), it)
            else:
                self.view_list.addItem(it)
            lst = self.view_list
            lst.setFixedHeight(sum(lst.sizeHintForRow(r) for r in range(lst.count())) + 12)
        if self.session is not None:
            view.set_context(self.context(), visible=False)
        self._place_strips()
        return view

    def add_strip(self, view_name: str, strip: Strip, index: int = 1) -> None:
        """Show ``strip`` (a QWidget) on the view ``view_name`` at ``index`` in its layout, now or once the
        view is added; the shell calls ``strip.update_for(session, person)`` whenever the context or the
        records change, and clears it on lock."""
        self._strips.append((view_name, strip, index))
        self._place_strips()
        self._update_strips()

    def _place_strips(self) -> None:
        for name, strip, index in self._strips:
            view = self.views.get(name)
            lay = view.layout() if view is not None else None
            if lay is not None and isinstance(strip, QWidget) and strip.parent() is not view:
                lay.insertWidget(index, strip)  # type: ignore[attr-defined]

    def _update_strips(self) -> None:
        for _name, strip, _index in self._strips:
            if self.session is None:
                strip.clear()
                strip.hide()
            else:
                strip.update_for(self.session, self.current_person())

    # ------------------------------------------------------------------ menus and actions
    def menu(self, menu_id: str) -> QMenu:
        return self.menus[menu_id]

    def add_menu(self, menu_id: str, menu: QMenu, *, before: str) -> QMenu:
        """A new menu in the menu bar, before the menu ``before`` (an id)."""
        self.menuBar().insertMenu(self.menus[before].menuAction(), menu)  # type: ignore[attr-defined]
        self.menus[menu_id] = menu
        return menu

    def action(self, action_id: str) -> QAction:
        for a in self.vault_actions + list(self.findChildren(QAction)):  # type: ignore[attr-defined]
            if a.objectName() == action_id:
                return a
        raise KeyError(action_id)

    def add_action(
        self,
        action: QAction,
        menu: str | None = None,
        *,
        after: str | None = None,
        before: str | None = None,
        separator: bool = False,
        toolbar_before: str | None = None,
        needs_vault: bool = True,
    ) -> QAction:
        """Put ``action`` in the menu ``menu`` (an id): after or before the action with that id, else at the
        end (after a separator if asked); in the toolbar before ``toolbar_before``; enabled only while a
        vault is open unless ``needs_vault`` is false."""
        if menu is not None:
            m = self.menus[menu]
            acts = m.actions()
            anchor: QAction | None = None
            if after is not None:
                a = self.action(after)
                anchor = acts[acts.index(a) + 1] if a in acts and acts.index(a) + 1 < len(acts) else None
            elif before is not None:
                a = self.action(before)
                anchor = a if a in acts else None
            if anchor is not None:
                m.insertAction(anchor, action)
            else:
                if separator:
                    m.addSeparator()
                m.addAction(action)
        if toolbar_before is not None:
            self.toolbar.insertAction(self.action(toolbar_before), action)
        if needs_vault:
            self.vault_actions.append(action)
            action.setEnabled(self.session is not None)
        return action

    # ------------------------------------------------------------------ record rows
    def decorate_rows(self, decorator: RowDecorator, where: str = ROWS_RECORDS) -> None:
        self._decorators[where].append(decorator)
        self._hook_rows()

    def add_row_menu(self, provider: RowMenu, order: int = 50) -> None:
        """``provider(entry, menu)`` adds its entries to a record row's context menu (lower orders first)."""
        self._row_menus.append((order, provider))
        self._row_menus.sort(key=lambda t: t[0])

    def add_row_action(self, action: QAction) -> None:
        """An action whose shortcut works while a record list has focus (Del: move to Trash)."""
        self._row_actions.append(action)
        for lst in self.record_lists():
            lst.addAction(action)

    def row_menu(self, entry: Entry, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        for _order, provider in self._row_menus:
            provider(entry, menu)
        return menu

    def record_lists(self) -> list[QAbstractItemView]:
        out = []
        for name in ("timeline", "documents"):
            lst = getattr(self.views.get(name), "list", None)
            if isinstance(lst, QAbstractItemView):
                out.append(lst)
        return out

    def current_entry(self) -> Entry | None:
        view = self.stack.currentWidget()
        lst = getattr(view, "list", None)
        if isinstance(lst, QAbstractItemView) and lst.currentIndex().isValid():
            e = lst.currentIndex().data(Roles.Entry)
            return e if isinstance(e, Entry) else None
        tree = getattr(view, "tree", None)
        if tree is not None and hasattr(tree, "currentItem") and tree.currentItem() is not None:
            e = tree.currentItem().data(0, Qt.ItemDataRole.UserRole + 1)
            return e if isinstance(e, Entry) else None
        return None

    def current_person(self) -> str | None:
        row = self.people_list.currentRow()
        return self.people_list.item(row).data(PERSON_ROLE) if row >= 0 else None  # type: ignore[no-any-return]

    def choose_person(self, person_id: str | None) -> None:
        """Choose ``person_id`` in the sidebar (None: everyone)."""
        for r in range(self.people_list.count()):
            if self.people_list.item(r).data(PERSON_ROLE) == person_id:
                self.people_list.setCurrentRow(r)
                return

    def set_person_menu(self, factory: Callable[[QWidget], QMenu]) -> None:
        """The sidebar's context menu on a person: ``factory(parent)`` makes it (the person is chosen first)."""
        self._person_menu = factory
        lst = self.people_list
        if lst.contextMenuPolicy() != Qt.ContextMenuPolicy.CustomContextMenu:
            lst.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            lst.customContextMenuRequested.connect(self._person_context_menu)

    def _person_context_menu(self, pos: QPoint) -> None:
        lst = self.people_list
        it = lst.itemAt(pos)
        if it is None or not it.data(PERSON_ROLE):
            return
        lst.setCurrentItem(it)
        self._person_menu(lst).exec(lst.viewport().mapToGlobal(pos))

    def _hook_rows(self) -> None:
        """Wrap the window's record lists and visit column once they exist (built at the first unlock)."""
        for lst in self.record_lists():
            if id(lst) in self._hooked_lists:
                continue
            self._hooked_lists.add(id(lst))
            inner = lst.itemDelegate()
            lst.setItemDelegate(
                DecoratedDelegate(
                    inner if isinstance(inner, QStyledItemDelegate) else None, self._decorators[ROWS_RECORDS], lst
                )
            )
            lst.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            lst.customContextMenuRequested.connect(lambda pos, v=lst: self._row_context_menu(v, pos))
            lst.activated.connect(self._row_activated)
            for a in self._row_actions:
                lst.addAction(a)
            lst.model().modelReset.connect(self._rows_reloaded(ROWS_RECORDS))
        enc = self.views.get("encounters")
        table, model = getattr(enc, "table", None), getattr(enc, "model", None)
        if table is not None and model is not None and id(table) not in self._hooked_lists:
            from .models import COL_VISIT

            self._hooked_lists.add(id(table))
            table.setItemDelegateForColumn(COL_VISIT, DecoratedDelegate(None, self._decorators[ROWS_VISITS], table))
            model.modelReset.connect(self._rows_reloaded(ROWS_VISITS))

    def _rows_reloaded(self, where: str) -> Callable[[], None]:
        def reloaded() -> None:
            for d in self._decorators[where]:
                d.rows_reloaded()

        return reloaded

    def _row_activated(self, index: QModelIndex) -> None:
        e = index.data(Roles.Entry)
        if isinstance(e, Entry):
            self.row_activated.emit(e)

    def _row_context_menu(self, lst: QAbstractItemView, pos: QPoint) -> None:
        idx = lst.indexAt(pos)
        e = idx.data(Roles.Entry) if idx.isValid() else None
        if not isinstance(e, Entry) or not self._row_menus:
            return
        lst.setCurrentIndex(idx)
        self.row_menu(e, lst).exec(lst.viewport().mapToGlobal(pos))


__all__ = [
    "ACTION_IMPORT",
    "ACTION_JUMP",
    "ACTION_LOCK",
    "ACTION_SETTINGS",
    "ACTION_VIEWS_END",
    "MENU_ADD",
    "MENU_EDIT",
    "MENU_FILE",
    "MENU_HELP",
    "MENU_PEOPLE",
    "MENU_VIEW",
    "ROWS_RECORDS",
    "ROWS_VISITS",
    "DecoratedDelegate",
    "RowDecorator",
    "RowMenu",
    "Shell",
    "ShellMixin",
    "Strip",
    "view_title",
]
