"""The names the dashboard and its CSV exports show for stored codes, in the page's language:
services, windows, levels, reasons, categories, presets, follow-up states, printer states, times."""

from __future__ import annotations

import datetime as dt

from kiosk.content import Text
from kiosk.feedback import CATEGORY_NAMES, KIND_NAMES, LEVEL_NAMES, PRESETS, REASON_NAMES
from kiosk.queue_rules import QueueRules
from server.times import instant
from server.web.words import WORDS


class Names:
    def __init__(self, lang: str, services: dict[str, Text], rules: QueueRules) -> None:
        self.lang, self.services, self.rules = lang, services, rules
        self.separator = ", " if lang == "en" else "、"

    def word(self, key: str, **values: object) -> str:
        text = WORDS[key].get(self.lang)
        return text.format(**values) if values else text

    def _of(self, names: dict[str, Text], code: str) -> str:
        text = names.get(code)
        return code if text is None else text.get(self.lang)

    def service(self, service_id: str | None) -> str:
        return self.word("no_service") if service_id is None else self._of(self.services, service_id)

    def window(self, window_id: str | None) -> str:
        if window_id is None:
            return self.word("no_window")
        window = self.rules.windows.get(window_id)
        if window is None:
            return window_id
        return window.name_en if self.lang == "en" and window.name_en else window.name_zh

    def level(self, level: str) -> str:
        return self._of(LEVEL_NAMES, level)

    def reasons(self, codes: str) -> str:
        return self.separator.join(self._of(REASON_NAMES, code) for code in codes.split(",") if code)

    def kind(self, kind: str) -> str:
        return self._of(KIND_NAMES, kind)

    def category(self, category: str) -> str:
        return self._of(CATEGORY_NAMES, category)

    def presets(self, codes: str) -> list[str]:
        return [self._of(PRESETS, code) for code in codes.split(",") if code]

    def follow_state(self, state: str | None) -> str:
        """The follow-up state's name; empty for a record without a follow-up (a repeated rating)."""
        return "" if state is None else self.word(f"follow_{state}")

    def printer(self, state: str | None) -> str:
        if state is None:
            return "—"
        return self.word(f"printer_{state}") if f"printer_{state}" in WORDS else state

    def source(self, source: str, kiosk_id: str | None) -> str:
        return self.word("source_phone") if source == "phone" else self.word("source_kiosk", kiosk=kiosk_id or "")

    def time(self, stamp: str | None) -> str:
        """A stored instant as the center's local time, to the minute."""
        return "—" if stamp is None else self.moment(instant(stamp))

    def moment(self, moment: dt.datetime) -> str:
        return self.rules.local(moment).strftime("%Y-%m-%d %H:%M")

    def ago(self, span: dt.timedelta) -> str:
        minutes = int(span.total_seconds() // 60)
        if minutes < 1:
            return self.word("just_now")
        if minutes < 60:
            return self.word("minutes_ago", n=minutes)
        if minutes < 48 * 60:
            return self.word("hours_ago", n=minutes // 60)
        return self.word("days_ago", n=minutes // (24 * 60))
