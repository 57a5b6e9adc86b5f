"""One cache for values computed once per object (a form, a layout, an index dict).

The objects are not hashable (frozen dataclasses holding dicts, plain dicts), so the cache is keyed
by ``id``; each entry keeps its object alive, and a hit is checked by identity, so an id reused by a
new object after the old one died can never return the old object's value.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

T = TypeVar("T")


def per_object(fn: Callable[[Any], T]) -> Callable[[Any], T]:
    """``fn(obj)`` computed once per object ``obj`` (by identity)."""
    cache: dict[int, tuple[Any, T]] = {}

    @functools.wraps(fn)
    def cached(obj: Any) -> T:
        hit = cache.get(id(obj))
        if hit is None or hit[0] is not obj:
            hit = cache[id(obj)] = (obj, fn(obj))
        return hit[1]

    cached.cache = cache  # type: ignore[attr-defined]
    return cached
