"""The attract screen: shown when nobody is using the kiosk; any touch starts a visit."""

from __future__ import annotations

from typing import Any

from screens.common import KioskScreen


class AttractScreen(KioskScreen):
    keeps_text_pictures = True

    def on_touch_down(self, touch: Any) -> bool:
        self.app.start_visit()
        return True
