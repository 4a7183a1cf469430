"""The printer's settings from kiosk.ini ``[printer]``, and what follows from them (dot width,
columns, whether to use the printer's own QR command, the addresses in the QR codes)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from escpos.capabilities import get_profile

CONNECTION_TYPES = ("file", "network", "serial", "usb", "none")
PAPER_DOTS = {80: 576, 58: 384}
COLUMN_DOTS = 12


@dataclass(frozen=True)
class PrinterSettings:
    type: str = "none"
    profile: str = "default"
    paper_width: int = 80
    text_mode: str = "native"
    qr_mode: str = "auto"
    cut: bool = True
    preview: bool = True
    timeout: float = 3.0
    status_timeout: float = 0.3
    path: Path | None = None
    host: str = ""
    port: int = 9100
    device: str = ""
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "none"
    stopbits: float = 1
    flow_control: str = "none"
    vendor_id: int = 0
    product_id: int = 0
    interface: int = 0
    in_endpoint: int = 0x82
    out_endpoint: int = 0x01
    ticket_url: str = ""  # empty: the central server's ticket page (see with_server), or no QR code without a server
    checklist_url: str = "https://kiosk.example.org/checklist/{service_id}"

    @property
    def dots(self) -> int:
        """Printable width in dots: the paper's, or less when the profile says the printer is narrower."""
        dots = PAPER_DOTS[self.paper_width]
        pixels = get_profile(self.profile).profile_data["media"]["width"]["pixels"]
        if isinstance(pixels, int) and 0 < pixels < dots:
            return pixels
        return dots

    @property
    def columns(self) -> int:
        return self.dots // COLUMN_DOTS

    @property
    def native_qr(self) -> bool:
        if self.qr_mode == "auto":
            return bool(get_profile(self.profile).supports("qrCode"))
        return self.qr_mode == "native"

    @property
    def can_cut(self) -> bool:
        profile = get_profile(self.profile)
        return self.cut and bool(profile.supports("paperFullCut") or profile.supports("paperPartCut"))

    def describe(self) -> str:
        """Where jobs go, in a few words (for messages and the admin screen)."""
        if self.type == "file":
            return f"file {self.path}"
        if self.type == "network":
            return f"network printer {self.host}:{self.port}"
        if self.type == "serial":
            return f"serial printer {self.device} at {self.baudrate} baud"
        if self.type == "usb":
            return f"USB printer {self.vendor_id:04x}:{self.product_id:04x}"
        return "no printer"

    def with_server(self, public_url: str) -> PrinterSettings:
        """These settings with an empty ``ticket_url`` pointing at the central server's ticket page
        (``public_url``: the server as phones reach it; empty for a kiosk without a server)."""
        if self.ticket_url or not public_url:
            return self
        return dataclasses.replace(self, ticket_url=f"{public_url.rstrip('/')}/t/{{ticket_id}}")

    def ticket_qr(self, ticket_id: str) -> str:
        """The address in a ticket's QR code; "" when there is none (no ticket_url and no server)."""
        return self.ticket_url.replace("{ticket_id}", ticket_id)

    def checklist_qr(self, service_id: str) -> str:
        return self.checklist_url.replace("{service_id}", service_id)
