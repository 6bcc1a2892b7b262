"""A mypy plugin for one gap in PySide6's type stubs: ``QT_TRANSLATE_NOOP(context, text)`` and
``QT_TR_NOOP(text)`` are typed as returning ``object``, but they return ``text`` unchanged (they only mark
it for pyside6-lupdate).  The plugin gives those calls the type of the text argument (``str``), so the
GUI's translatable constants type-check without a cast at each of them.  Configured in pyproject.toml."""

from __future__ import annotations

from collections.abc import Callable

from mypy.plugin import FunctionContext, Plugin
from mypy.types import Type

NOOPS = {
    "PySide6.QtCore.QT_TRANSLATE_NOOP": 1,  # index of the text argument
    "PySide6.QtCore.QT_TRANSLATE_NOOP3": 1,
    "PySide6.QtCore.QT_TR_NOOP": 0,
    "PySide6.QtCore.QT_TRANSLATE_NOOP_UTF8": 1,
    "PySide6.QtCore.QT_TR_NOOP_UTF8": 0,
}


def _text_type(ctx: FunctionContext, index: int) -> Type:
    if len(ctx.arg_types) > index and ctx.arg_types[index]:
        return ctx.arg_types[index][0]
    return ctx.api.named_generic_type("builtins.str", [])


class QtNoopPlugin(Plugin):
    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        index = NOOPS.get(fullname)
        if index is None:
            return None
        return lambda ctx: _text_type(ctx, index)


def plugin(version: str) -> type[Plugin]:
    return QtNoopPlugin
