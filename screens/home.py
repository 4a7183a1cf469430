"""Home: large tiles to take a queue number, check in an appointment, the disclosures, the
service guide, the checklists to print and the "not sure what you need" guide."""

from __future__ import annotations

from screens.common import KioskScreen


class HomeScreen(KioskScreen):
    pass
