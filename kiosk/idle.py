"""Idle timeout and the hidden staff gesture, both driven by an injected clock so tests never sleep."""

from __future__ import annotations

from collections.abc import Callable

Clock = Callable[[], float]


class IdleTimer:
    """Tells when nobody has touched the screen for ``timeout`` seconds."""

    def __init__(self, clock: Clock, timeout: float) -> None:
        self.clock = clock
        self.timeout = timeout
        self.last_touch = clock()

    def touched(self) -> None:
        self.last_touch = self.clock()

    def is_idle(self) -> bool:
        return self.clock() - self.last_touch >= self.timeout


class TapSequence:
    """The hidden staff gesture: ``taps`` taps on one spot within ``within`` seconds."""

    def __init__(self, clock: Clock, taps: int = 5, within: float = 4.0) -> None:
        self.clock = clock
        self.taps = taps
        self.within = within
        self.times: list[float] = []

    def tap(self) -> bool:
        """Record a tap; True when it completes the gesture (which then starts over)."""
        now = self.clock()
        self.times = [t for t in self.times if now - t <= self.within] + [now]
        if len(self.times) >= self.taps:
            self.times = []
            return True
        return False


class PinGate:
    """Checks staff PINs and locks the pad for a while after repeated wrong ones."""

    def __init__(self, clock: Clock, check: Callable[[str], bool], attempts: int = 3, lockout: float = 60.0) -> None:
        self.clock = clock
        self.check = check
        self.attempts = attempts
        self.lockout = lockout
        self.failures = 0
        self.locked_until = 0.0

    def seconds_locked(self) -> int:
        """Seconds until the pad takes PINs again (0 when it does now)."""
        return max(0, int(self.locked_until - self.clock() + 0.999))

    def try_pin(self, pin: str) -> bool:
        if self.seconds_locked():
            return False
        if self.check(pin):
            self.failures = 0
            return True
        self.failures += 1
        if self.failures >= self.attempts:
            self.failures = 0
            self.locked_until = self.clock() + self.lockout
        return False
