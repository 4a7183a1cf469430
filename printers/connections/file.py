"""Output to a file: raw bytes appended, for a printer's device node (``/dev/usb/lp0``) or to
see what would have printed. Writes wait at most the timeout, even on a stalled device node.
A file has no status to ask, so a job written completely counts as printed."""

from __future__ import annotations

import os
import select
import stat

from printers.connections.base import Connection, PrinterFault
from printers.settings import PrinterSettings


class FileConnection(Connection):
    has_status = False

    def __init__(self, settings: PrinterSettings) -> None:
        super().__init__(settings)
        self.fd: int | None = None

    def open(self) -> None:
        path = self.settings.path
        if path is None:
            raise PrinterFault("not_configured", "no output file is configured ([printer] path)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o644)
        except OSError as error:
            raise PrinterFault("disconnected", f"cannot open {path}: {error.strerror or error}") from None

    def write_chunk(self, data: bytes) -> None:
        assert self.fd is not None
        view = memoryview(data)
        while view:
            _, ready, _ = select.select([], [self.fd], [], self.settings.timeout)
            if not ready:
                raise PrinterFault("no_answer", f"{self.settings.path} took no data for {self.settings.timeout:g} s")
            try:
                view = view[os.write(self.fd, view) :]
            except BlockingIOError:
                continue
            except OSError as error:
                raise PrinterFault("disconnected", f"cannot write {self.settings.path}: {error.strerror}") from None

    def ask(self, query: bytes, timeout: float) -> bytes | None:
        return None

    def close(self) -> None:
        if self.fd is None:
            return
        try:
            if stat.S_ISREG(os.fstat(self.fd).st_mode):
                os.fsync(self.fd)
        finally:
            os.close(self.fd)
            self.fd = None
