"""A USB printer through python-escpos's ``Usb`` class (pyusb and libusb).

Each missing piece gets its own plain message: pyusb not installed, libusb not installed, the
printer not found (unplugged, switched off, or not allowed by the udev rule in deploy/), no
permission. python-escpos's USB timeout 0 means "wait forever"; here it is the configured
timeout in milliseconds.
"""

from __future__ import annotations

import contextlib
from types import ModuleType

from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Usb

from printers.connections.base import Connection, PrinterFault

UDEV_HINT = "see deploy/udev/60-kiosk-printer.rules"


class UsbConnection(Connection):
    def open(self) -> None:
        settings = self.settings
        if not Usb.is_usable():
            raise PrinterFault("disconnected", "USB printing needs pyusb, which is not installed (pip install pyusb)")
        import usb.core

        self.printer = Usb(
            settings.vendor_id,
            settings.product_id,
            timeout=self._milliseconds(settings.timeout),
            in_ep=settings.in_endpoint,
            out_ep=settings.out_endpoint,
        )
        try:
            self.printer.open()
        except usb.core.NoBackendError:
            raise PrinterFault("disconnected", "USB printing needs libusb, which is not installed (apt install libusb-1.0-0)") from None
        except DeviceNotFoundError as error:
            reason = str(error).splitlines()[-1]
            if "Access denied" in reason or "Errno 13" in reason:
                raise PrinterFault("disconnected", f"no permission to use USB printer {self._ids()} ({UDEV_HINT})") from None
            raise PrinterFault("disconnected", f"USB printer {self._ids()} not found: is it plugged in and on? ({UDEV_HINT})") from None
        self._claim_interface(usb.core)

    def _claim_interface(self, core: ModuleType) -> None:
        """python-escpos frees interface 0 from the kernel's printer driver; do the same for another."""
        interface = self.settings.interface
        if interface == 0:
            return
        device = self.printer.device
        try:
            if device.is_kernel_driver_active(interface):
                device.detach_kernel_driver(interface)
        except (NotImplementedError, core.USBError):
            pass

    def write_chunk(self, data: bytes) -> None:
        import usb.core

        try:
            self.printer.device.write(self.settings.out_endpoint, data, self._milliseconds(self.settings.timeout))
        except usb.core.USBTimeoutError:
            raise PrinterFault("no_answer", f"the printer took no data for {self.settings.timeout:g} s") from None
        except usb.core.USBError as error:
            raise PrinterFault("disconnected", f"USB printer {self._ids()} stopped working: {error}") from None

    def ask(self, query: bytes, timeout: float) -> bytes | None:
        import usb.core

        self.write_chunk(query)
        try:
            reply = self.printer.device.read(self.settings.in_endpoint, 16, self._milliseconds(timeout))
        except usb.core.USBTimeoutError:
            return None
        except usb.core.USBError as error:
            raise PrinterFault("disconnected", f"USB printer {self._ids()} stopped working: {error}") from None
        return bytes(reply[-1:]) if len(reply) else None

    def close(self) -> None:
        printer = getattr(self, "printer", None)
        if printer is not None and printer._device:
            with contextlib.suppress(Exception):  # a vanished device must not stop the kiosk
                printer.close()

    def _ids(self) -> str:
        return f"{self.settings.vendor_id:04x}:{self.settings.product_id:04x}"

    @staticmethod
    def _milliseconds(seconds: float) -> int:
        return max(1, round(seconds * 1000))
