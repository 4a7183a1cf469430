"""The service guide (办事指南): every service, each leading to its full detail."""

from __future__ import annotations

from kivy.factory import Factory

from screens.common import KioskScreen


class ServicesScreen(KioskScreen):
    def refresh(self) -> None:
        app = self.app
        self.ids.scroll.scroll_y = 1
        if self.unchanged(app.content.version, app.language):
            return
        listing = self.ids.listing
        listing.clear_widgets()
        for service in app.content.services:
            button = Factory.ServiceButton()
            button.service_id = service.id
            button.title = app.tc(app.language, service.name)
            button.summary = app.tc(app.language, service.summary)
            listing.add_widget(button)

    def release(self) -> None:
        self.ids.listing.clear_widgets()

    def open_service(self, service_id: str) -> None:
        self.app.show("document", kind="service", service_id=service_id)
