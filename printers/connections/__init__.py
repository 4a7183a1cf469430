"""Ways to reach a printer, one module per kind (as python-escpos has one per connection type):
file, network, serial and USB. :func:`make_connection` picks the one kiosk.ini asks for."""

from __future__ import annotations

from printers.connections.base import Connection, PrinterFault
from printers.settings import PrinterSettings


def make_connection(settings: PrinterSettings) -> Connection:
    """The (not yet opened) connection for ``settings``; raises PrinterFault for type none."""
    if settings.type == "file":
        from printers.connections.file import FileConnection

        return FileConnection(settings)
    if settings.type == "network":
        from printers.connections.network import NetworkConnection

        return NetworkConnection(settings)
    if settings.type == "serial":
        from printers.connections.serial_port import SerialConnection

        return SerialConnection(settings)
    if settings.type == "usb":
        from printers.connections.usb import UsbConnection

        return UsbConnection(settings)
    raise PrinterFault("not_configured", "no printer is configured (kiosk.ini [printer] type = none)")


__all__ = ["Connection", "PrinterFault", "make_connection"]
