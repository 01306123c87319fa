"""The sandbox every template runs in, and the work one render may do.

Jinja2's ``ImmutableSandboxedEnvironment`` keeps a template away from Python's
internals; it does not bound the work a template asks for. A theme is
untrusted, so here every render gets a ``Budget`` and the environment spends it:

- ``range()`` gives at most ``MAX_RANGE`` numbers;
- the ``{% for %}`` loops of one render take at most ``MAX_ITERATIONS`` steps
  in all (nested loops multiply, the budget does not);
- calls (macros, ``caller()``, a recursive loop's ``loop()``) nest at most
  ``MAX_DEPTH`` deep;
- no value a template makes (a joined string, a filter's or macro's result, a
  repeated string or list, a namespace attribute) holds more than
  ``MAX_VALUE`` characters or items, and operators and filters that could make
  a larger one from small operands (``*``, ``**``, ``%``, ``center``,
  ``indent``, ``format``, ``replace``, ``wordwrap``) are checked before they run;
- a render writes at most ``MAX_OUTPUT`` characters and runs at most
  ``MAX_SECONDS`` of wall time (checked at every loop step, call and value).

Going past a limit raises ``LimitExceeded`` (a Jinja2 ``SecurityError``), which
``templating`` reports as a located template error like any other.
"""

from __future__ import annotations

import contextvars
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import dataclass, field
from pathlib import PurePath
from string import Formatter
from types import ModuleType
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace
from jinja2.visitor import NodeTransformer

from reportgen.core.private_apis import (
    check_sandbox_hooks,
    pass_first_argument_as,
    passes_first_argument,
)

MAX_RANGE = 10_000
MAX_ITERATIONS = 1_000_000
MAX_DEPTH = 50
MAX_VALUE = 2_000_000  # characters of one value (the sample's largest page is ~1.5 MB of HTML)
MAX_OUTPUT = 20_000_000  # characters one render writes
MAX_SECONDS = 20.0
MAX_WIDTH = 1_000  # a width or precision in a format (%10s, center(10))
MAX_POWER_BITS = 10_000  # the size of a ** result, in bits

_COUNTED = "_reportgen_counted"  # filters the parser puts around loops and values
_BOUNDED = "_reportgen_bounded"
_WIDTHS = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


class LimitExceeded(SecurityError):
    """A template asked for more work than a render may do."""


@dataclass
class Budget:
    """What one render may still spend."""

    deadline: float = field(default_factory=lambda: time.monotonic() + MAX_SECONDS)
    iterations: int = 0
    depth: int = 0
    written: int = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitExceeded(f"the template ran longer than {MAX_SECONDS:g} seconds")


_budget: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)


def _current() -> Budget:
    found = _budget.get()
    # Outside ``bounded`` (a trusted caller using a template's module): values
    # and ranges are still bounded, steps and time are not counted.
    return Budget(deadline=float("inf")) if found is None else found


def bounded(chunks: Iterable[str]) -> str:
    """The text of a render (``Template.generate``), within the budget of a
    fresh render: at most ``MAX_OUTPUT`` characters and ``MAX_SECONDS``."""
    token = _budget.set(Budget())
    try:
        out = []
        budget = _current()
        for chunk in chunks:
            budget.written += len(chunk)
            if budget.written > MAX_OUTPUT:
                raise LimitExceeded(f"the template wrote more than {MAX_OUTPUT:,} characters")
            budget.tick()
            out.append(chunk)
        return "".join(out)
    finally:
        _budget.reset(token)


def _size(value: object) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple | dict | Sized) else 0


def checked(value: Any) -> Any:
    """``value``, if it is not too large a value to make."""
    if isinstance(value, str | bytes | list | tuple | dict) and len(value) > MAX_VALUE:
        raise LimitExceeded(f"the template made a value of more than {MAX_VALUE:,} characters")
    _current().tick()
    return value


def _counted(iterable: Iterable[Any]) -> Iterator[Any]:
    budget = _current()
    for item in iterable:
        budget.iterations += 1
        if budget.iterations > MAX_ITERATIONS:
            raise LimitExceeded(f"the template's loops took more than {MAX_ITERATIONS:,} steps")
        budget.tick()
        yield item


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise LimitExceeded(f"range() of {len(numbers):,} numbers: at most {MAX_RANGE:,}")
    return numbers


def _width(value: object) -> None:
    if isinstance(value, int) and abs(value) > MAX_WIDTH:
        raise LimitExceeded(f"a width of {value:,}: at most {MAX_WIDTH:,}")


def _percent(text: str) -> None:
    for match in _WIDTHS.finditer(text):
        for number in match.groups():
            if number == "*":
                raise LimitExceeded("a '*' width in a % format is refused")
            if number:
                _width(int(number))


def _format_widths(text: str) -> None:
    """A ``str.format`` string asks for no width or precision past ``MAX_WIDTH``
    (and takes none from its arguments)."""
    try:
        fields = [spec for _, name, spec, _ in Formatter().parse(text) if name is not None]
    except ValueError:
        return  # str.format itself says what is wrong
    for spec in fields:
        if spec and "{" in spec:
            raise LimitExceeded("a format spec may not take its width from an argument")
        for number in re.findall(r"\d+", spec or ""):
            _width(int(number))


class _Namespace(Namespace):
    """``namespace()``, each attribute a value within ``MAX_VALUE``."""

    def __setitem__(self, name: str, value: Any) -> None:
        super().__setitem__(name, checked(value))


def _guarded_filters(filters: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """Every filter's result within ``MAX_VALUE``; the ones that could make a
    large value from a small one check their arguments first."""

    def guard(name: str, run: Callable[..., Any]) -> Callable[..., Any]:
        passes = passes_first_argument(run)  # the environment or context comes first

        def filtered(*args: Any, **kwargs: Any) -> Any:
            values = list(args[1:] if passes else args) + list(kwargs.values())
            if name in ("center", "indent", "wordwrap", "truncate"):
                for value in values[1:]:
                    _width(value)
            elif name == "format" and values and isinstance(values[0], str):
                _percent(values[0])
            elif name == "replace" and len(values) >= 3:
                growth = _size(values[2]) - _size(values[1])
                if growth > 0 and _size(values[0]) * growth > MAX_VALUE:
                    raise LimitExceeded("replace() would make too large a value")
            return checked(run(*args, **kwargs))

        if passes:
            pass_first_argument_as(filtered, run)
        return filtered

    return {name: guard(name, run) for name, run in filters.items()}


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's sandbox with no path, module or class reachable (a template
    sees values, never a way to the files behind them), and the limits above."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        check_sandbox_hooks()  # the Jinja2 whose hooks (call, ...) these override
        super().__init__(*args, **kwargs)
        self.globals["range"] = _range
        self.globals["namespace"] = _Namespace
        self.filters = _guarded_filters(dict(self.filters))
        self.filters[_COUNTED] = _counted
        self.filters[_BOUNDED] = checked

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath | ModuleType | type) or isinstance(value, ModuleType | type):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` and ``format_map`` as Jinja2's sandbox gives them, once
        the string is found to ask for no width past ``MAX_WIDTH``."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        _format_widths(value.__self__)
        return wrapped

    def is_safe_callable(self, obj: Any) -> bool:
        if obj is _Namespace:
            return True
        owner = getattr(obj, "__self__", None)
        if isinstance(obj, type) or isinstance(owner, PurePath | ModuleType | type):
            return False
        return bool(super().is_safe_callable(obj))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = _current()
        budget.depth += 1
        try:
            if budget.depth > MAX_DEPTH:
                raise LimitExceeded(f"calls nested more than {MAX_DEPTH} deep")
            for value in (*args, *kwargs.values()):
                checked(value)
            return checked(super().call(__context, __obj, *args, **kwargs))
        finally:
            budget.depth -= 1

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(times, int) and _size(seq) * times > MAX_VALUE:
                    raise LimitExceeded(f"a repetition of more than {MAX_VALUE:,} items")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and max(abs(left), 2).bit_length() * right > MAX_POWER_BITS:
                raise LimitExceeded(f"{left} ** {right} is too large a number")
        elif operator == "%" and isinstance(left, str):
            _percent(left)
        return checked(super().call_binop(context, operator, left, right))

    def compile(
        self,
        source: str | nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        """Jinja2's compile, of the template's tree with every loop's iterable
        counted and every joined string (``~``) bounded."""
        if isinstance(source, str):
            source = _Metered().visit(self.parse(source, name, filename))
        return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]


class _Metered(NodeTransformer):
    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _filter(node.iter, _COUNTED)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _filter(node, _BOUNDED)


def _filter(node: nodes.Node, name: str) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)
