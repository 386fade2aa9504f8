"""One built object per database (engine URL) and process, rebuilt after a content load.

The search index and the question index are built from the loaded content once; both keep them
here so that a load can forget them in one place.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy.engine import Engine

T = TypeVar("T")


class PerEngine(Generic[T]):
    """A thread-safe cache of ``build(engine)`` keyed by the engine's URL."""

    def __init__(self, build: Callable[[Engine], T]):
        self._build = build
        self._items: dict[str, T] = {}
        self._lock = threading.Lock()

    def get(self, engine: Engine) -> T:
        key = str(engine.url)
        with self._lock:
            if key not in self._items:
                self._items[key] = self._build(engine)
            return self._items[key]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
