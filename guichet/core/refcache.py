"""Cached look-ups of reference rows (a commune by its INSEE code, a ROME job by its code) for the hot paths of
the API, where each look-up cost a query (about 0.7 ms) on every call.

Values live in the process's memory (the "reference" cache of the settings, local memory whatever CACHE_URL says:
a shared cache would cost the round trip the look-up saves) for REFERENCE_CACHE_SECONDS (5 minutes). Reference rows
change with the yearly imports and the admin: every change bumps a version number that is part of the keys, so the
process that made it sees it at once (the reference importer after its commit, the models' save and delete
signals); the other processes see it when their entries expire. Unknown codes are not cached (an import may add
them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches

T = TypeVar("T")

_VERSION_KEY = "reference:version"
_MISSING = object()


def cached_reference(kind: str, key: str, load: Callable[[], T | None]) -> T | None:
    """The row `load()` returns for (kind, key), from the cache when it holds it."""
    cache = caches["reference"]
    version = cache.get(_VERSION_KEY, 0)
    cache_key = f"reference:{kind}:{version}:{key}"
    value = cache.get(cache_key, _MISSING)
    if value is not _MISSING:
        return value  # type: ignore[return-value]
    value = load()
    if value is not None:
        cache.set(cache_key, value)  # the "reference" cache's TIMEOUT: REFERENCE_CACHE_SECONDS
    return value


def reference_changed(**_: object) -> None:
    """Forget every cached reference row (a new version number: the old keys expire unread)."""
    cache = caches["reference"]
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


def connect_reference_signals() -> None:
    """Any save or delete of a cached kind of row, or of the rows a cached commune carries (department, region)."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for label in ("territory.Commune", "territory.Department", "territory.Region", "jobs.RomeJob"):
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(reference_changed, sender=model, dispatch_uid=f"refcache.{label}.{signal}")
