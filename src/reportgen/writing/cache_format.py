"""The build cache's data format: values written as data, never as code.

``cache`` stores what the pipeline hands it (build manifests, output bytes,
analyses with their figures and charts, rendered files); this module turns
those values into bytes and back. A JSON header describes the value and the
lengths of the raw byte strings that follow it, so a PDF costs its own size,
not a third more in base64. Decoding builds only plain values (None, bool,
int, float, str, bytes, tuple, list, dict, Decimal, date, Path) and the
classes named in ``_CLASSES``, from their declared fields; nothing is
imported or called by a name found in the data. Anything else is a
``CodecError``, so the cache can treat it as a bad entry.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path, PurePath
from typing import Any

from reportgen.core import messages
from reportgen.core.messages import Text

# Our own frozen dataclasses and enums the cache may hold, by class name and
# the module that defines each. An explicit list: a name in a file is looked
# up here, never imported as given.
_CLASSES: dict[str, str] = {
    "BuildManifest": "reportgen.writing.manifest",
    "Diagnostic": "reportgen.core.diagnostics",
    "Location": "reportgen.core.diagnostics",
    "Severity": "reportgen.core.diagnostics",
    "Analysis": "reportgen.typesetting.edition_render",
    "KeyFigures": "reportgen.composing.key_figures",
    "Indicator": "reportgen.reading.model",
    "BalanceLine": "reportgen.reading.model",
    "Fund": "reportgen.reading.model",
    "ChartAsset": "reportgen.composing.charts",
    "Breakdown": "reportgen.composing.charts",
    "KeyEntry": "reportgen.composing.charts",
    "Rendered": "reportgen.commands.build_documents",
    "Finding": "reportgen.typesetting.preflight",
    "LetterRecord": "reportgen.typesetting.letters",
}

_LENGTH = 8  # bytes of the header's length, little-endian
_PLAIN = (type(None), bool, int, float, str)


class CodecError(ValueError):
    """A value the format cannot hold, or bytes that are not a value of it."""


def encode(value: object) -> bytes:
    """``value`` as bytes: header length, JSON header, raw byte strings."""
    segments: list[bytes] = []
    tree = _encode(value, segments)
    header = json.dumps({"value": tree, "segments": [len(s) for s in segments]},
                        separators=(",", ":")).encode("ascii")  # fmt: skip
    return b"".join([len(header).to_bytes(_LENGTH, "little"), header, *segments])


def decode(data: bytes) -> object:
    """The value ``encode`` made ``data`` from; ``CodecError`` for anything else."""
    try:
        size = int.from_bytes(data[:_LENGTH], "little")
        if len(data) < _LENGTH + size:
            raise CodecError("truncated header")
        header = json.loads(data[_LENGTH : _LENGTH + size])
        if not isinstance(header, dict) or set(header) != {"value", "segments"}:
            raise CodecError("not a cache value")
        lengths = header["segments"]
        if not isinstance(lengths, list) or not all(type(n) is int and n >= 0 for n in lengths):
            raise CodecError("bad segment table")
        if _LENGTH + size + sum(lengths) != len(data):
            raise CodecError("byte strings do not add up to the entry's length")
        segments, offset = [], _LENGTH + size
        for length in lengths:
            segments.append(data[offset : offset + length])
            offset += length
        return _decode(header["value"], segments)
    except CodecError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
        raise CodecError(f"undecodable: {exc.__class__.__name__}: {exc}") from None


def _registered(value: object) -> str | None:
    """The registry name of ``value``'s class, if it is exactly a registered one."""
    cls = type(value)
    name = cls.__name__
    if _CLASSES.get(name) == cls.__module__ and cls.__qualname__ == name:
        return name
    return None


def _encode(value: object, segments: list[bytes]) -> Any:
    if type(value) in _PLAIN:
        return value
    if type(value) is Text:  # a message of the catalog: its code and values
        return {"m": value.code, "a": _encode(value.values, segments)}
    if type(value) is bytes:
        segments.append(value)
        return {"b": len(segments) - 1}
    if type(value) is list:
        return [_encode(item, segments) for item in value]
    if type(value) is tuple:
        return {"t": [_encode(item, segments) for item in value]}
    if type(value) is dict:
        return {"d": [[_encode(k, segments), _encode(v, segments)] for k, v in value.items()]}
    if type(value) is Decimal:
        return {"n": str(value)}
    if type(value) is date:
        return {"date": value.isoformat()}
    if isinstance(value, PurePath):
        return {"p": str(value)}
    name = _registered(value)
    if name is not None and isinstance(value, Enum):
        return {"e": name, "v": _encode(value.value, segments)}
    if name is not None and dataclasses.is_dataclass(value):
        fields = dataclasses.fields(value)
        if not all(f.init for f in fields):
            raise CodecError(f"{name} has fields its constructor does not take")
        return {"c": name, "f": {f.name: _encode(getattr(value, f.name), segments)
                                 for f in fields}}  # fmt: skip
    raise CodecError(f"the cache cannot hold a {type(value).__qualname__}")


def _decode(tree: Any, segments: list[bytes]) -> object:
    if tree is None or type(tree) in (bool, int, float, str):
        return tree
    if type(tree) is list:
        return [_decode(item, segments) for item in tree]
    if type(tree) is not dict:
        raise CodecError(f"unexpected {type(tree).__name__}")
    tag = frozenset(tree)
    if tag == {"b"} and type(tree["b"]) is int and 0 <= tree["b"] < len(segments):
        return segments[tree["b"]]
    if tag == {"t"} and type(tree["t"]) is list:
        return tuple(_decode(item, segments) for item in tree["t"])
    if tag == {"d"} and type(tree["d"]) is list:
        return dict(_pair(item, segments) for item in tree["d"])
    if tag == {"n"} and type(tree["n"]) is str:
        try:
            return Decimal(tree["n"])
        except InvalidOperation:
            raise CodecError(f"not a number: {tree['n']!r}") from None
    if tag == {"date"} and type(tree["date"]) is str:
        return date.fromisoformat(tree["date"])
    if tag == {"p"} and type(tree["p"]) is str:
        return Path(tree["p"])
    if tag == {"e", "v"}:
        cls = _class(tree["e"])
        if not (isinstance(cls, type) and issubclass(cls, Enum)):
            raise CodecError(f"{tree['e']} is not an enumeration")
        return cls(_decode(tree["v"], segments))
    if tag == {"m", "a"} and type(tree["m"]) is str and tree["m"] in messages.CATALOG:
        values = _decode(tree["a"], segments)
        if not isinstance(values, dict):
            raise CodecError("a message's values are not a dict")
        return messages.text(tree["m"], values)
    if tag == {"c", "f"} and type(tree["f"]) is dict:
        return _instance(tree["c"], tree["f"], segments)
    raise CodecError(f"unknown form {sorted(tree)[:4]}")


def _pair(item: Any, segments: list[bytes]) -> tuple[Any, Any]:
    if type(item) is not list or len(item) != 2:
        raise CodecError("a dict entry is not a key and a value")
    return _decode(item[0], segments), _decode(item[1], segments)


def _class(name: object) -> object:
    """A registered class; the module comes from the registry, never the data."""
    if type(name) is not str or name not in _CLASSES:
        raise CodecError(f"unknown class {name!r}")
    return getattr(importlib.import_module(_CLASSES[name]), name)


def _instance(name: object, encoded: dict[str, Any], segments: list[bytes]) -> object:
    cls = _class(name)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise CodecError(f"{name} is not a dataclass")
    declared = {f.name for f in dataclasses.fields(cls) if f.init}
    if set(encoded) != declared:
        raise CodecError(f"{name} with fields {sorted(encoded)}, not {sorted(declared)}")
    return cls(**{field: _decode(value, segments) for field, value in encoded.items()})
