"""Sends one job to the configured printer and says truthfully whether it printed.

Before a job: open the connection and ask the status; a printer without paper, with its cover
open, offline or silent gets nothing. After the job: ask again, which also notices a network
printer that hung up (its writes "succeed" and are lost). Only a job the printer confirmed (or
a file fully written) counts as printed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from printers.connections import Connection, PrinterFault, make_connection
from printers.settings import PrinterSettings
from printers.status import PrinterState, PrinterStatus, read_status

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobOutcome:
    printed: bool
    status: PrinterStatus  # the printer's state after the job (or the reason it was not sent)
    reason: str = ""


class Printer:
    """The configured printer: its status, and jobs sent to it."""

    def __init__(self, settings: PrinterSettings, connect: Callable[[PrinterSettings], Connection] = make_connection) -> None:
        self.settings = settings
        self.connect = connect

    @property
    def configured(self) -> bool:
        return self.settings.type != "none"

    def status(self) -> PrinterStatus:
        if not self.configured:
            return PrinterStatus(PrinterState.NOT_CONFIGURED, "no printer is configured")
        try:
            with self.connect(self.settings) as connection:
                return self._status(connection)
        except PrinterFault as fault:
            return PrinterStatus(PrinterState(fault.state), fault.detail)
        except Exception as error:  # noqa: BLE001 - a driver's surprise must not stop the kiosk
            return _unexpected(error)

    def send(self, data: bytes) -> JobOutcome:
        if not self.configured:
            status = PrinterStatus(PrinterState.NOT_CONFIGURED, "no printer is configured")
            return JobOutcome(False, status, "no printer is configured")
        try:
            with self.connect(self.settings) as connection:
                before = self._status(connection)
                if not before.can_print:
                    return JobOutcome(False, before, f"not sent: {before}")
                connection.write(data)
                after = self._status(connection)
        except PrinterFault as fault:
            status = PrinterStatus(PrinterState(fault.state), fault.detail)
            return JobOutcome(False, status, f"not printed: {status}")
        except Exception as error:  # noqa: BLE001 - the job fails and says why, the caller goes on
            status = _unexpected(error)
            return JobOutcome(False, status, f"not printed: {status}")
        if not after.can_print:
            return JobOutcome(False, after, f"not confirmed after sending: {after}")
        return JobOutcome(True, after)

    def _status(self, connection: Connection) -> PrinterStatus:
        if not connection.has_status:
            return PrinterStatus(PrinterState.NO_STATUS, "output to a file has no status")
        return read_status(connection, self.settings.status_timeout)


def _unexpected(error: Exception) -> PrinterStatus:
    """What a connection raised that it does not translate (for example termios.error when a
    USB-serial adapter is pulled, or a host name the socket library refuses): the printer is unusable."""
    log.warning("printer connection failed unexpectedly", exc_info=error)
    return PrinterStatus(PrinterState.DISCONNECTED, f"unexpected error: {type(error).__name__}: {error}")
