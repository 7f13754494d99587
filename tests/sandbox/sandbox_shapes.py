"""JSON shapes: keys and value types at every path, with the data left out.

`shape_of` maps a JSON document to a hashable shape:
- scalars become "null", "bool", "number" (JSON has one number type) or "str";
- an empty array becomes "empty": PHP prints an empty map as `[]` too, so an empty array is
  compatible with any list or object;
- an object whose keys are all digit strings (`{"3": {...}, "11": {...}}`, keyed by id) is an
  "idmap" of the merged shape of its values; other objects keep their keys;
- a list is the merged shape of its elements.
`differences` compares an expected shape with an actual one and lists every mismatch.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

Shape = Any  # str | tuple[...]: recursive, hashable


def _merge(left: Shape, right: Shape) -> Shape:
    if left == right:
        return left
    if left == "empty":
        return right
    if right == "empty":
        return left
    if isinstance(left, tuple) and isinstance(right, tuple) and left[0] == right[0]:
        if left[0] in ("list", "idmap"):
            return (left[0], _merge(left[1], right[1]))
        if left[0] == "object":
            keys = dict(left[1])
            for key, shape in right[1]:
                keys[key] = _merge(keys[key], shape) if key in keys else shape
            return ("object", tuple(sorted(keys.items())))
    members: set[Shape] = set()
    for side in (left, right):
        members |= side[1] if isinstance(side, tuple) and side[0] == "union" else {side}
    return ("union", frozenset(members))


def _merged(shapes: list[Shape]) -> Shape:
    result: Shape = "empty"
    for shape in shapes:
        result = _merge(result, shape)
    return result


def shape_of(value: Any) -> Shape:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return ("list", _merged([shape_of(v) for v in value])) if value else "empty"
    if isinstance(value, dict):
        if not value:
            return "empty"
        if all(key.isdigit() for key in value):
            return ("idmap", _merged([shape_of(v) for v in value.values()]))
        return ("object", tuple(sorted((k, shape_of(v)) for k, v in value.items())))
    raise TypeError(f"not JSON: {type(value).__name__}")


def _is_container(shape: Shape) -> bool:
    return shape == "empty" or (isinstance(shape, tuple) and shape[0] != "union")


def _members(shape: Shape) -> set[Shape]:
    return set(shape[1]) if isinstance(shape, tuple) and shape[0] == "union" else {shape}


def differences(
    expected: Shape, actual: Shape, *, allowed_extra: tuple[str, ...] = (), path: str = ""
) -> list[str]:
    """Mismatches between the documented shape and the sandbox's, as readable lines.

    `allowed_extra` lists glob patterns of dotted paths the sandbox may add (e.g.
    "time.operating") because the brief says the server adds them.
    """
    where = path or "(top)"
    if expected == "empty" or actual == "empty":
        if _is_container(expected) and _is_container(actual):
            return []
        return [f"{where}: documented {_show(expected)}, sandbox gives {_show(actual)}"]
    if isinstance(expected, tuple) and isinstance(actual, tuple) and expected[0] == actual[0]:
        kind = expected[0]
        if kind in ("list", "idmap"):
            return differences(expected[1], actual[1], allowed_extra=allowed_extra, path=f"{path}#")
        if kind == "object":
            return _object_differences(dict(expected[1]), dict(actual[1]), allowed_extra, path)
    if _members(actual) <= _members(expected):
        return []
    return [f"{where}: documented {_show(expected)}, sandbox gives {_show(actual)}"]


def _object_differences(
    expected: dict[str, Shape], actual: dict[str, Shape], allowed_extra: tuple[str, ...], path: str
) -> list[str]:
    found: list[str] = []
    for key, shape in expected.items():
        child = f"{path}.{key}" if path else key
        if key not in actual:
            found.append(f"{child}: documented key missing in the sandbox's answer")
        else:
            found += differences(shape, actual[key], allowed_extra=allowed_extra, path=child)
    for key in actual.keys() - expected.keys():
        child = f"{path}.{key}" if path else key
        if not any(fnmatchcase(child, pattern) for pattern in allowed_extra):
            found.append(f"{child}: key not in the documentation")
    return found


def _show(shape: Shape) -> str:
    if isinstance(shape, str):
        return shape
    if shape[0] == "union":
        return " | ".join(sorted(_show(s) for s in shape[1]))
    if shape[0] == "object":
        return "object{" + ", ".join(k for k, _ in shape[1]) + "}"
    return f"{shape[0]} of {_show(shape[1])}"
