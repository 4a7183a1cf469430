"""Home: large tiles to take a queue number, check in an appointment, the disclosures, the
service guide, the checklists to print, the "not sure what you need" guide, rating the service
(服务评价) and complaints and suggestions (投诉建议)."""

from __future__ import annotations

from screens.common import KioskScreen


class HomeScreen(KioskScreen):
    keeps_text_pictures = True
