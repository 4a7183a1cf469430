"""The staff admin screen: this kiosk's configuration, the content in use, reload and quit; the
printer's status, a test print and reprints of jobs that did not print; the outbox of ratings and
complaints and its sync to the central server, with 立即同步 to send now."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.factory import Factory

from kiosk.cli import summary
from printers.journal import FAILED
from printers.spooler import JobResult
from printers.status import PrinterStatus
from screens.common import KioskScreen

FAILED_JOBS_SHOWN = 5
SYNC_LOOK_AGAIN_S = 2.0  # after 立即同步, the lines are read again once the worker had time for a round


class AdminScreen(KioskScreen):
    def refresh(self, result: str = "") -> None:
        app = self.app
        language = app.language
        services = app.services
        store = services.content
        config_lines = summary(services.config, app.content, services.now().date()) + services.tickets.status_lines()
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
        self.show_sync()
        self.show_printer(None)
        app.services.printing.spooler.ask_status(app.on_main_thread(self.show_printer))

    def show_sync(self, result: str = "") -> None:
        """The outbox (waiting, sent, refused), the last sync and its last problem."""
        lines = self.app.services.feedback.status_lines()
        self.ids.sync.text = "\n".join([result, *lines] if result else lines)

    def sync_now(self) -> None:
        app = self.app
        app.services.feedback.sync_now()
        self.show_sync(app.tr(app.language, "admin_sync_started"))
        Clock.schedule_once(self.look_again, SYNC_LOOK_AGAIN_S)

    def look_again(self, *_args: Any) -> None:
        if self.manager is not None and self.manager.current == self.name:
            self.show_sync()

    def show_printer(self, status: PrinterStatus | None, result: str = "") -> None:
        """The printer's state (None while asking), job counts and the jobs that did not print."""
        if self.manager is None or self.manager.current != self.name:
            return
        app = self.app
        language, desk = app.language, app.services.printing
        if status is None:
            state = app.tr(language, "admin_printer_asking")
        else:
            state = app.tr(language, f"printer_state_{status.state.value}") + (f" ({status.detail})" if status.detail else "")
        counts = desk.journal.counts()
        lines = [desk.settings.describe(), app.tr(language, "admin_printer_status", state=state)]
        lines.append(app.tr(language, "admin_printer_jobs", printed=counts["printed"], failed=counts["failed"]))
        if result:
            lines.insert(0, result)
        self.ids.printer.text = "\n".join(lines)
        failed = desk.journal.jobs(FAILED, FAILED_JOBS_SHOWN)
        listing = self.ids.failed_jobs
        listing.clear_widgets()
        if failed:
            listing.add_widget(Factory.KioskLabel(text=app.tr(language, "admin_failed_jobs"), font_size=app.pt * 28, bold=True))
        for job in failed:
            row = Factory.ReprintRow()
            row.job_id = job.id
            row.text = f"{job.created_at:%m-%d %H:%M} {job.title}\n{job.reason}"
            listing.add_widget(row)

    def test_print(self) -> None:
        app = self.app
        desk = app.services.printing
        desk.submit(desk.test_page(app.content, app.language), app.on_main_thread(self.job_done))

    def reprint(self, job_id: int) -> None:
        self.app.services.printing.spooler.reprint(job_id, self.app.on_main_thread(self.job_done))

    def job_done(self, result: JobResult) -> None:
        app = self.app
        title = result.receipt.title
        if result.printed:
            message = app.tr(app.language, "admin_job_sent", title=title)
        else:
            message = app.tr(app.language, "admin_job_failed", title=title, reason=result.outcome.reason)
        self.show_printer(result.outcome.status, message)

    def release(self) -> None:
        self.ids.failed_jobs.clear_widgets()

    def reload(self) -> None:
        app = self.app
        ok = app.reload_content()
        self.refresh(app.tr(app.language, "admin_reloaded" if ok else "admin_reload_failed"))
