"""Rendered calendar feeds, kept per published revision.

A feed's bytes change only when its programme publishes (a new schedule id) or when a
cancelled session leaves the grace period; so each (published schedule, kind, entity) is
rendered once per process and served from memory after: a conditional GET whose ETag
matches is answered 304 without rendering, any other GET from the stored bytes. Least
recently used feeds leave first when the cache passes its size.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RenderedFeed:
    body: bytes
    etag: str
    last_modified: datetime
    valid_until: datetime | None  # when a cancelled session in it leaves the grace period


class FeedCache:
    def __init__(self, max_bytes: int = 100_000_000):
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, RenderedFeed] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple, now: datetime) -> RenderedFeed | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            if hit.valid_until is not None and now >= hit.valid_until:
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return hit

    def put(self, key: tuple, body: bytes, last_modified: datetime, valid_until: datetime | None) -> RenderedFeed:
        feed = RenderedFeed(body, hashlib.sha256(body).hexdigest()[:32], last_modified, valid_until)
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = feed
            self._bytes += len(body)
            while self._bytes > self.max_bytes and len(self._items) > 1:
                self._drop(next(iter(self._items)))
        return feed

    def _drop(self, key: tuple) -> None:
        self._bytes -= len(self._items.pop(key).body)
