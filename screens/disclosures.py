"""Public disclosures (公开公示): a menu of what the center must disclose."""

from __future__ import annotations

from screens.common import KioskScreen


class DisclosuresScreen(KioskScreen):
    pass
