"""Every service as a large button: in the service guide (办事指南) each leads to its full detail;
chosen from the checklist tile (``purpose = checklist``) each leads to its printable checklist."""

from __future__ import annotations

from kivy.factory import Factory

from screens.common import KioskScreen


class ServicesScreen(KioskScreen):
    def refresh(self) -> None:
        app = self.app
        self.ids.scroll.scroll_y = 1
        purpose = self.params.get("purpose", "guide")
        if self.unchanged(app.content.version, app.language, purpose):
            return
        checklist = purpose == "checklist"
        self.ids.title.text = app.tr(app.language, "checklist_pick_title" if checklist else "services_title")
        self.ids.hint.text = app.tr(app.language, "checklist_pick_hint" if checklist else "services_hint")
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
        if self.params.get("purpose") == "checklist":
            self.app.show("checklist", service_id=service_id)
        else:
            self.app.show("document", kind="service", service_id=service_id)
