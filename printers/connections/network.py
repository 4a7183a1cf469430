"""A network printer (raw TCP, usually port 9100) through python-escpos's ``Network`` class.

python-escpos waits 60 s by default and, after the printer hangs up, the next write still
"succeeds" and the job is lost. Here every wait is the configured timeout, a closed connection
is noticed when reading, and each job is confirmed by a status query afterwards (see
:mod:`printers.printer`).
"""

from __future__ import annotations

import contextlib
import socket

from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Network

from printers.connections.base import Connection, PrinterFault


class NetworkConnection(Connection):
    def open(self) -> None:
        settings = self.settings
        self.printer = Network(settings.host, settings.port, timeout=settings.timeout)
        try:
            self.printer.open()
        except (DeviceNotFoundError, OSError) as error:
            reason = str(error).splitlines()[-1] if str(error) else type(error).__name__
            raise PrinterFault("disconnected", f"cannot connect to {settings.host}:{settings.port}: {reason}") from None
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    @property
    def sock(self) -> socket.socket:
        device = self.printer.device
        assert isinstance(device, socket.socket)
        return device

    def write_chunk(self, data: bytes) -> None:
        self.sock.settimeout(self.settings.timeout)
        try:
            self.sock.sendall(data)
        except TimeoutError:
            raise PrinterFault("no_answer", f"the printer took no data for {self.settings.timeout:g} s") from None
        except OSError as error:
            raise self._lost(error) from None

    def ask(self, query: bytes, timeout: float) -> bytes | None:
        self._discard_input()
        self.write_chunk(query)
        self.sock.settimeout(timeout)
        try:
            reply = self.sock.recv(1)
        except TimeoutError:
            return None
        except OSError as error:
            raise self._lost(error) from None
        if not reply:
            raise PrinterFault("disconnected", f"{self._where()} closed the connection")
        return reply

    def _discard_input(self) -> None:
        """Drop replies that came late; notice a printer that hung up."""
        self.sock.setblocking(False)
        try:
            while True:
                if not self.sock.recv(256):
                    raise PrinterFault("disconnected", f"{self._where()} closed the connection")
        except BlockingIOError:
            pass
        except OSError as error:
            raise self._lost(error) from None

    def close(self) -> None:
        printer = getattr(self, "printer", None)
        if printer is not None and printer._device:
            with contextlib.suppress(OSError):
                printer.close()

    def _lost(self, error: OSError) -> PrinterFault:
        return PrinterFault("disconnected", f"connection to {self._where()} lost: {error.strerror or error}")

    def _where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"
