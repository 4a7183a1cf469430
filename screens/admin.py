"""The staff admin screen: this kiosk's health at a glance (:mod:`kiosk.health`: printer, outbox and
last sync, content in use, app version, uptime, free disk, with a red warning when the disk is
nearly full); this kiosk's configuration, the content in use, reload and quit; the printer's
status, a test print and reprints of jobs that did not print; the outbox of ratings and complaints
and its sync to the central server, with 立即同步 to send now."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from kivy.clock import Clock
from kivy.factory import Factory

from kiosk.cli import summary
from kiosk.health import MEGABYTE, HealthFacts, disk_text, uptime_parts
from printers.journal import FAILED
from printers.spooler import JobResult
from printers.status import PrinterStatus
from screens.common import KioskScreen

FAILED_JOBS_SHOWN = 5
SYNC_LOOK_AGAIN_S = 2.0  # after 立即同步, the lines are read again once the worker had time for a round
RED, INK = (0.70, 0.15, 0.10, 1), (0.13, 0.13, 0.15, 1)


class AdminScreen(KioskScreen):
    facts: HealthFacts | None = None  # what the health lines show

    def refresh(self, result: str = "") -> None:
        app = self.app
        language = app.language
        services = app.services
        store = services.content
        in_use = store.in_use if store.status.source == "server" else ""
        config_lines = summary(services.config, app.content, services.now().date(), in_use) + services.tickets.status_lines()
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
        self.ids.content.color = RED if status.problems else INK
        self.show_health()
        self.show_sync()
        self.show_printer(None)
        app.services.printing.spooler.ask_status(app.on_main_thread(self.show_printer))

    def show_health(self, printer: PrinterStatus | None = None) -> None:
        """The kiosk's facts, as its heartbeat tells the server, and the red line when the disk is nearly
        full. ``printer``: the state just read, put into the facts gathered before, so that the lines
        keep their place under a finger (the others are read again at refresh and after 立即同步)."""
        app, tr = self.app, self._tr
        if printer is None or self.facts is None:
            self.facts = app.services.health.facts()
        else:
            self.facts = dataclasses.replace(self.facts, printer=printer)
        facts = self.facts
        lines = [tr("admin_health_printer", state=self._printer_words(facts))]
        last_sync = tr("admin_health_never") if facts.last_sync is None else self._local(facts.last_sync)
        lines.append(tr("admin_health_outbox", depth=facts.outbox_depth, last_sync=last_sync))
        if facts.last_problem:
            lines.append(tr("admin_health_problem", problem=facts.last_problem))
        if facts.content is not None:
            lines.append(tr("admin_health_content", content=facts.content.label))
        refused = app.services.content.refused
        if refused:
            lines.append(tr("admin_health_refused", refused=refused))
        lines.append(tr("admin_health_version", version=facts.app_version))
        days, hours, minutes = uptime_parts(facts.uptime_s)
        uptime = tr("admin_uptime_days", d=days, h=hours) if days else tr("admin_uptime_hours", h=hours, m=minutes)
        lines.append(tr("admin_health_uptime", uptime=uptime))
        minimum = disk_text(app.services.config.min_free_disk_mb * MEGABYTE)
        if facts.free_disk_bytes is None:
            lines.append(tr("admin_health_disk_unknown", reason=facts.disk_problem))
        else:
            lines.append(tr("admin_health_disk", free=disk_text(facts.free_disk_bytes), minimum=minimum))
        self.ids.health.text = "\n".join(lines)
        warning = self.ids.disk_warning
        warning.text = tr("admin_disk_low", free=disk_text(facts.free_disk_bytes or 0), minimum=minimum) if facts.disk_low else ""

    def _tr(self, key: str, **values: Any) -> str:
        return str(self.app.tr(self.app.language, key, **values))

    def _printer_words(self, facts: HealthFacts) -> str:
        return self._tr("printer_state_not_configured" if facts.printer is None else f"printer_state_{facts.printer.state.value}")

    def _local(self, moment: float) -> str:
        return f"{dt.datetime.fromtimestamp(moment, self.app.content.queues.zone):%Y-%m-%d %H:%M:%S}"

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
            self.show_health()
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
            self.show_health(status)
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
