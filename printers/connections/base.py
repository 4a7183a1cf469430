"""What every printer connection offers: open, write without ever blocking for long, ask a
status question, close. Failures are :class:`PrinterFault` with a state and a plain reason."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType

from printers.settings import PrinterSettings

CHUNK_BYTES = 1024  # each write is bounded by the timeout, so a slow printer still makes progress


class PrinterFault(Exception):
    """The printer cannot be reached or stopped taking data. ``state`` is a PrinterState value."""

    def __init__(self, state: str, detail: str) -> None:
        super().__init__(detail)
        self.state, self.detail = state, detail


class Connection(ABC):
    """One printer link. Use as a context manager: ``with connection: ...``."""

    has_status = True

    def __init__(self, settings: PrinterSettings) -> None:
        self.settings = settings

    @abstractmethod
    def open(self) -> None: ...

    @abstractmethod
    def write_chunk(self, data: bytes) -> None:
        """Send at most CHUNK_BYTES, waiting at most the configured timeout."""

    @abstractmethod
    def ask(self, query: bytes, timeout: float) -> bytes | None:
        """Discard stale input, send ``query`` and return the reply, or None after ``timeout``."""

    @abstractmethod
    def close(self) -> None: ...

    def write(self, data: bytes) -> None:
        for start in range(0, len(data), CHUNK_BYTES):
            self.write_chunk(data[start : start + CHUNK_BYTES])

    def __enter__(self) -> Connection:
        self.open()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()
