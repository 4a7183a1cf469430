"""The staff admin screen: this kiosk's configuration, the content in use, reload and quit."""

from __future__ import annotations

from kiosk.cli import summary
from screens.common import KioskScreen


class AdminScreen(KioskScreen):
    def refresh(self, result: str = "") -> None:
        app = self.app
        language = app.language
        services = app.services
        store = services.content
        config_lines = summary(services.config, app.content, services.now().date())
        self.ids.config.text = "\n".join(config_lines)
        status = store.status
        lines = [app.tr(language, "admin_content_version", version=app.content.version)]
        if status.source == "configured":
            lines.append(app.tr(language, "admin_content_source_configured", folder=str(store.configured)))
        else:
            lines.append(app.tr(language, f"admin_content_source_{status.source}"))
        if status.problems:
            lines.append(app.tr(language, "admin_content_problems"))
            lines += [str(problem) for problem in status.problems[:20]]
        else:
            lines.append(app.tr(language, "admin_content_ok"))
        if result:
            lines.insert(0, result)
        self.ids.content.text = "\n".join(lines)
        self.ids.content.color = (0.70, 0.15, 0.10, 1) if status.problems else (0.13, 0.13, 0.15, 1)

    def reload(self) -> None:
        app = self.app
        ok = app.reload_content()
        self.refresh(app.tr(app.language, "admin_reloaded" if ok else "admin_reload_failed"))
