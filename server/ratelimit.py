"""Each kiosk's request rate: a token bucket per kiosk id, kept in the server process's memory.

A bucket holds up to ``burst`` requests and refills at ``rate`` per second; a request takes one.
When the bucket is empty the request is refused and told how many seconds to wait. The clock is a
parameter (monotonic seconds) so tests never sleep. Memory stays bounded: past ``max_keys`` keys,
buckets that have refilled (a key not seen for a while) are forgotten, and if that is not enough
(many new addresses at once) the longest-quiet half goes.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    level: float  # requests the kiosk may send now
    at: float  # when ``level`` was counted (monotonic seconds)


class RateLimiter:
    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic, max_keys: int = 10_000) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError(f"rate limit: expected a rate above 0 and a burst of at least 1, got {rate} and {burst}")
        self.rate, self.burst, self.clock, self.max_keys = rate, burst, clock, max_keys
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float | None:
        """Take one request for ``key``: None when allowed, else the seconds until one is allowed."""
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= self.max_keys:
                    self._forget_quiet(now)
                bucket = self._buckets[key] = _Bucket(float(self.burst), now)
            bucket.level = min(float(self.burst), bucket.level + (now - bucket.at) * self.rate)
            bucket.at = now
            if bucket.level >= 1.0:
                bucket.level -= 1.0
                return None
            return (1.0 - bucket.level) / self.rate

    def _forget_quiet(self, now: float) -> None:
        refill_s = self.burst / self.rate
        self._buckets = {key: bucket for key, bucket in self._buckets.items() if now - bucket.at < refill_s}
        if len(self._buckets) >= self.max_keys:
            by_recency = sorted(self._buckets.items(), key=lambda item: item[1].at, reverse=True)
            self._buckets = dict(by_recency[: self.max_keys // 2])

    def __len__(self) -> int:
        return len(self._buckets)


def retry_after(wait_s: float) -> str:
    """The Retry-After header's whole seconds for a wait: rounded up, at least 1."""
    return str(max(1, math.ceil(wait_s)))
