"""A serial printer (RS-232 or USB-serial) through python-escpos's ``Serial`` class.

python-escpos never sets pyserial's ``write_timeout``, so a printer that stops taking data
(paper out with hardware flow control, a cable pulled) blocks the writer forever. Here writes
wait at most the configured timeout and RTS/CTS or XON/XOFF is set as kiosk.ini says.

python-escpos's ``close()`` also waits (``tcdrain``) until every byte has gone out, which for a
stalled printer is forever; and bytes of a failed job left in the port's buffer would print
later, when the printer takes data again, after the job was reported failed. So closing here
discards what is still waiting in the buffer (a confirmed job has none left) and closes the port.
"""

from __future__ import annotations

import contextlib

import serial
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Serial

from printers.connections.base import Connection, PrinterFault

PARITY = {"none": serial.PARITY_NONE, "even": serial.PARITY_EVEN, "odd": serial.PARITY_ODD}


class SerialConnection(Connection):
    def open(self) -> None:
        settings = self.settings
        self.printer = Serial(
            devfile=settings.device,
            baudrate=settings.baudrate,
            bytesize=settings.bytesize,
            parity=PARITY[settings.parity],
            stopbits=settings.stopbits,
            timeout=settings.status_timeout,
            xonxoff=settings.flow_control == "xonxoff",
            dsrdtr=False,
        )
        try:
            self.printer.open()
        except DeviceNotFoundError as error:
            reason = str(error).splitlines()[-1]
            raise PrinterFault("disconnected", f"cannot open {settings.device}: {reason}") from None
        self.port.write_timeout = settings.timeout
        self.port.rtscts = settings.flow_control == "rtscts"

    @property
    def port(self) -> serial.Serial:
        device = self.printer.device
        assert isinstance(device, serial.Serial)
        return device

    def write_chunk(self, data: bytes) -> None:
        try:
            self.port.write(data)
        except serial.SerialTimeoutException:
            raise PrinterFault("no_answer", f"the printer took no data for {self.settings.timeout:g} s") from None
        except (serial.SerialException, OSError) as error:
            raise PrinterFault("disconnected", f"{self.settings.device} stopped working: {error}") from None

    def ask(self, query: bytes, timeout: float) -> bytes | None:
        try:
            self.port.reset_input_buffer()
            self.write_chunk(query)
            self.port.timeout = timeout
            reply = self.port.read(1)
        except (serial.SerialException, OSError) as error:
            raise PrinterFault("disconnected", f"{self.settings.device} stopped working: {error}") from None
        return reply or None

    def close(self) -> None:
        printer = getattr(self, "printer", None)
        if printer is None or not printer._device:
            return
        port = self.port
        try:
            if port.is_open:
                port.reset_output_buffer()
        except (serial.SerialException, OSError):
            pass
        finally:
            with contextlib.suppress(serial.SerialException, OSError):
                port.close()
            printer._device = False
