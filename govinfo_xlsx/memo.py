"""One cache for values computed once per object (a form, a layout, a value kind, an index dict).

The objects are not hashable (frozen dataclasses holding dicts, plain dicts), so the cache is keyed
by ``id``; each entry keeps its object alive, and a hit is checked by identity, so an id reused by a
new object after the old one died can never return the old object's value.

``@per_object`` caches ``fn(obj)``; ``@per_object(limit=N)`` caches ``fn(obj, *key)`` for hashable
``key`` values too (a value kind's parse of a typed value), at most ``N`` entries (emptied when full:
the values a batch repeats come back at once).
"""

from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

T = TypeVar("T")


def per_object(fn: Callable[..., T] | None = None, *, limit: int | None = None) -> Any:
    """``fn(obj, *key)`` computed once per object ``obj`` (by identity) and ``key``."""
    if fn is None:
        return functools.partial(per_object, limit=limit)
    cache: dict[tuple[Any, ...], tuple[Any, T]] = {}

    @functools.wraps(fn)
    def cached(obj: Any, *key: Any) -> T:
        hit = cache.get((id(obj), *key))
        if hit is None or hit[0] is not obj:
            if limit is not None and len(cache) >= limit:
                cache.clear()
            hit = cache[(id(obj), *key)] = (obj, fn(obj, *key))
        return hit[1]

    cached.cache = cache  # type: ignore[attr-defined]
    return cached
