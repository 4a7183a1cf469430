"""The Kivy application: wires the core services into the screens (the only Kivy import in kiosk/).

It keeps the visitor's state (language, large text, where they are) in Kivy properties, moves
between screens, returns to the attract screen after the idle timeout, keeps visitors inside the
app in full screen, shows content the server sent when the visitor is home or gone, and opens the
admin screen after the hidden staff gesture and the PIN. Work that may wait on the network (taking
a ticket) runs on a worker thread through ``in_background``.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")

# Kivy reads the environment on import. None of these modules opens the window: that happens on
# the first import of kivy.core.window, inside KioskApp.build, after configure_kivy.
from kivy.app import App  # noqa: E402
from kivy.base import ExceptionHandler, ExceptionManager  # noqa: E402
from kivy.clock import Clock  # noqa: E402
from kivy.config import Config  # noqa: E402
from kivy.core.text import DEFAULT_FONT, LabelBase  # noqa: E402
from kivy.lang import Builder  # noqa: E402
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty  # noqa: E402
from kivy.uix.screenmanager import NoTransition, ScreenManager  # noqa: E402

from kiosk.config import KioskConfig  # noqa: E402
from kiosk.content import Text  # noqa: E402
from kiosk.idle import IdleTimer, PinGate, TapSequence  # noqa: E402
from kiosk.memory import MemoryKeeper  # noqa: E402
from kiosk.paths import BUNDLED_BOLD_FONT, BUNDLED_FONT, SCREENS_DIR  # noqa: E402
from kiosk.pin import pin_matches  # noqa: E402
from kiosk.services import KioskServices, make_services  # noqa: E402
from kiosk.ticket import Ticket, TicketRefused  # noqa: E402

DESIGN_SHORT_SIDE = 1080  # layouts are drawn for a 1080-pixel short side and scaled from there
WINDOW_SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
MAX_FAULTS_KEPT = 20  # app.faults keeps only the last ones; the log keeps them all
AT_REST = ("attract", "home")  # content just applied shows at once here; during a visit, when it returns here
ESCAPE = 27  # Esc on a keyboard, the back key on Android
log = logging.getLogger("kiosk")
T = TypeVar("T")


def configure_kivy(config: KioskConfig) -> None:
    """Kivy settings that must be made before the window exists."""
    width, height = WINDOW_SIZES[config.orientation]
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "fullscreen", "auto" if config.fullscreen else "0")
    Config.set("graphics", "resizable", "0" if config.fullscreen else "1")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "pause_on_minimize", "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    # No multisampling: on a software renderer (Mesa's llvmpipe) it holds about 70 MiB of the
    # kiosk's own memory and doubles the pixels drawn. Shapes with curved edges are drawn with
    # Kivy's Smooth* instructions, which smooth their edges themselves; text is smooth anyway.
    Config.set("graphics", "multisamples", "0")


def mend_scroll_view() -> None:
    """Kivy 2.3.1's ScrollView.update_from_scroll binds ``bar_color`` again at every scroll update
    and unbinds it once half a second later: each update in between leaves a binding behind (about
    20 KiB per visit, found by the soak test, benchmarks/soak.py). Unbind before it binds, so one
    binding is ever there. Installed on ScrollView itself so that every scrolling widget has it; the
    name stays update_from_scroll because Kivy's trigger looks the method up by name."""
    from kivy.uix.scrollview import ScrollView

    original = ScrollView.update_from_scroll
    if getattr(original, "mended", False):
        return

    def update_from_scroll(self: ScrollView, *args: Any) -> None:
        self.funbind("bar_color", self._change_bar_color)
        original(self, *args)

    update_from_scroll.mended = True  # type: ignore[attr-defined]
    ScrollView.update_from_scroll = update_from_scroll


def mend_text_surfaces() -> None:
    """Kivy 2.3.1's SDL2 text provider keeps the picture of every label's text in memory after
    handing it to the label's texture (``_surface``, width x height x 4 bytes, kept until the label
    is drawn again): a second copy of all text on the screens made so far, 35 MiB and more. Let
    it go once the texture has it."""
    from kivy.core.text.text_sdl2 import LabelSDL2

    original = LabelSDL2._render_end
    if getattr(original, "mended", False):
        return

    def _render_end(self: LabelSDL2) -> Any:
        picture = original(self)
        del self._surface
        return picture

    _render_end.mended = True  # type: ignore[attr-defined]
    LabelSDL2._render_end = _render_end


def release_graphics() -> None:
    """Kivy deletes the OpenGL textures and buffers of collected widgets at its next frame: now,
    so that their memory is free when it is handed back."""
    from kivy.graphics.context import get_context

    get_context().gl_dealloc()


def run_app(config: KioskConfig) -> int:
    """Run the kiosk until staff quit it from the admin screen."""
    configure_kivy(config)
    KioskApp(make_services(config)).run()
    return 0


# Screens by name: module screens/<name>.py (+ .kv) and the class in it.
SCREENS = {
    "attract": "AttractScreen",
    "home": "HomeScreen",
    "disclosures": "DisclosuresScreen",
    "document": "DocumentScreen",
    "staff": "StaffScreen",
    "services": "ServicesScreen",
    "guide": "GuideScreen",
    "pin": "PinScreen",
    "admin": "AdminScreen",
    "checklist": "ChecklistScreen",
    "ticket": "TicketScreen",
    "ticket_number": "TicketNumberScreen",
    "appointment": "AppointmentScreen",
    "rating_ticket": "RatingTicketScreen",
    "rating": "RatingScreen",
    "rating_reasons": "RatingReasonsScreen",
    "rating_phone": "RatingPhoneScreen",
    "rating_done": "RatingDoneScreen",
    "complaint": "ComplaintScreen",
    "complaint_ticket": "ComplaintTicketScreen",
    "complaint_details": "ComplaintDetailsScreen",
    "complaint_phone": "ComplaintPhoneScreen",
    "complaint_done": "ComplaintDoneScreen",
}


class KeepRunning(ExceptionHandler):
    """A fault in a screen is logged and the kiosk goes on; the visitor sees a calm message."""

    def __init__(self, app: KioskApp) -> None:
        super().__init__()
        self.app = app

    def handle_exception(self, inst: BaseException) -> int:
        if isinstance(inst, (KeyboardInterrupt, SystemExit)):
            return ExceptionManager.RAISE
        log.error("kiosk fault: %s", "".join(traceback.format_exception(inst)))
        self.app.faults = [*self.app.faults[-(MAX_FAULTS_KEPT - 1) :], f"{type(inst).__name__}: {inst}"]
        self.app.message = self.app.tr(self.app.language, "calm_error")
        return ExceptionManager.PASS


class KioskApp(App):
    """The lobby kiosk. Screens read these properties in their .kv files."""

    language = StringProperty("zh_CN")
    large_text = BooleanProperty(False)
    portrait = BooleanProperty(True)
    px = NumericProperty(1.0)  # one design pixel in window pixels
    pt = NumericProperty(1.0)  # one design text pixel, grown in large-text mode
    clock_text = StringProperty("")
    message = StringProperty("")  # a calm, temporary message shown at the bottom of a screen
    content = ObjectProperty(None, rebind=True)

    def __init__(self, services: KioskServices, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        config = services.config
        self.title = "公共法律服务自助终端"
        self.language = config.language
        self.content = services.content.content
        self.idle = IdleTimer(services.monotonic, config.idle_timeout)
        self.staff_gesture = TapSequence(services.monotonic)
        self.pin_gate = PinGate(services.monotonic, lambda pin: pin_matches(pin, config.admin_pin_hash))
        self.history: list[tuple[str, dict[str, Any]]] = []
        self.quitting = False
        self.faults: list[str] = []  # faults the kiosk survived (logged; the visitor saw a calm message)
        self.manager: ScreenManager | None = None
        self.home_after: float | None = None  # seconds without a touch after which this screen goes home
        self.home_since = 0.0
        self.memory = MemoryKeeper(services.monotonic, release_graphics)

    # -- start-up ------------------------------------------------------------------------------

    def build(self) -> ScreenManager:
        from kivy.core.window import Window

        self._register_fonts()
        mend_scroll_view()
        mend_text_surfaces()
        ExceptionManager.add_handler(KeepRunning(self))
        Builder.load_file(str(SCREENS_DIR / "common.kv"))
        self.manager = ScreenManager(transition=NoTransition())
        Window.clearcolor = (0.96, 0.97, 0.98, 1)
        Window.bind(on_resize=self._on_resize, on_keyboard=self._on_keyboard, on_request_close=self._on_request_close)
        Window.bind(on_touch_down=self._on_any_touch)
        if self.services.config.fullscreen:
            Window.show_cursor = False
        self._on_resize(Window, *Window.size)
        self.bind(large_text=self._update_text_unit)
        self.bind(language=self._refresh_screen, large_text=self._refresh_screen)
        self.services.printing.spooler.start()
        self.services.tickets.start()
        self.services.feedback.start()
        self.tick()
        Clock.schedule_interval(self.tick, 1.0)
        self.show("attract", remember=False)
        return self.manager

    def _register_fonts(self) -> None:
        font = self.services.config.font
        bold = BUNDLED_BOLD_FONT if font == BUNDLED_FONT else font
        LabelBase.register(DEFAULT_FONT, str(font), fn_bold=str(bold))

    def _on_resize(self, _window: Any, width: float, height: float) -> None:
        self.portrait = height >= width
        self.px = min(width, height) / DESIGN_SHORT_SIDE
        self._update_text_unit()

    def _update_text_unit(self, *_args: Any) -> None:
        config = self.services.config
        self.pt = self.px * config.text_scale * (config.large_text_scale if self.large_text else 1.0)

    # -- words ---------------------------------------------------------------------------------

    def tr(self, language: str, key: str, **values: Any) -> str:
        """An interface string; kv passes ``app.language`` so the text follows the toggle."""
        return self.services.strings.get(key, language, **values)

    def tc(self, language: str, text: Text | None) -> str:
        """A piece of content in the visitor's language (Chinese where no English is given)."""
        return text.get(language) if text is not None else ""

    def toggle_language(self) -> None:
        self.language = "en" if self.language == "zh_CN" else "zh_CN"

    def toggle_large_text(self) -> None:
        self.large_text = not self.large_text

    def _refresh_screen(self, *_args: Any) -> None:
        """Screens built in Python follow a change of language or text size at once."""
        self.current_screen().refresh()

    # -- moving between screens ----------------------------------------------------------------

    def current_screen(self) -> Any:
        assert self.manager is not None
        return self.manager.current_screen

    def screen(self, name: str) -> Any:
        """The screen called ``name``, made on first use."""
        assert self.manager is not None
        if not self.manager.has_screen(name):
            module = importlib.import_module(f"screens.{name}")
            Builder.load_file(str(SCREENS_DIR / f"{name}.kv"))
            self.manager.add_widget(getattr(module, SCREENS[name])(name=name))
        return self.manager.get_screen(name)

    def show(self, name: str, remember: bool = True, **params: Any) -> None:
        """Go to a screen with its parameters; ``back`` returns to the one before."""
        assert self.manager is not None
        if remember and self.manager.current_screen is not None:
            current = self.manager.current_screen
            self.history.append((current.name, current.params))
        self.message = ""
        self.home_after = None
        if name in AT_REST:
            self.take_new_content()
        screen = self.screen(name)
        screen.params = params
        screen.refresh()
        self.manager.current = name
        self.memory.screen_changed()

    def back(self) -> None:
        """Step back inside the screen when it has steps (the guide), else to the screen before."""
        if self.current_screen().step_back():
            return
        if self.history:
            name, params = self.history.pop()
            self.show(name, remember=False, **params)

    def home(self) -> None:
        """Home is where every visit starts: nothing lies behind it."""
        self.history = []
        self.show("home", remember=False)

    def rate_service(self, issued: Ticket | None = None) -> None:
        """服务评价: a new rating, of the ticket just issued (its number already filled in), or
        starting with the ticket's number to type."""
        desk = self.services.feedback
        if issued is None:
            self.show("rating_ticket", draft=desk.new_draft())
        else:
            self.show("rating", draft=desk.new_draft(), ticket=desk.ticket_from_issued(issued))

    def make_complaint(self) -> None:
        """投诉建议: a new complaint or suggestion."""
        self.show("complaint", draft=self.services.feedback.new_draft())

    def start_visit(self) -> None:
        """The first touch on the attract screen."""
        self.home()

    def end_visit(self) -> None:
        """Forget the visitor: language, large text, the guide and where they were."""
        self.language = self.services.config.language
        self.large_text = False
        self.history = []
        for name in list(self.manager.screen_names if self.manager else []):
            self.screen(name).reset()
        self.show("attract", remember=False)

    # -- time, idle timeout and staff access ---------------------------------------------------

    def tick(self, *_args: Any) -> None:
        """Once a second: the clock in the top bar, memory the last screens left (at rest),
        content just applied (at rest), the idle timeout and a screen's own way home."""
        self.clock_text = self.services.now().strftime("%H:%M")
        self.memory.tidy_if_resting(self.idle.last_touch)
        if self.manager is None:
            return
        if self.manager.current in AT_REST and self.take_new_content():
            self.current_screen().refresh()
        if self.manager.current == "attract":
            return
        if self.idle.is_idle():
            self.end_visit()
        elif self.home_after is not None and self.services.monotonic() - max(self.home_since, self.idle.last_touch) >= self.home_after:
            self.home()

    def go_home_after(self, seconds: float) -> None:
        """Return home once nobody has touched the screen for ``seconds`` (a new ticket's number);
        leaving the screen cancels it."""
        self.home_after = seconds
        self.home_since = self.services.monotonic()

    @property
    def ticket_show_seconds(self) -> int:
        return self.services.config.ticket_show_seconds

    def _on_any_touch(self, *_args: Any) -> None:
        self.idle.touched()

    def staff_tap(self) -> None:
        """A tap on the clock: five within four seconds open the PIN pad."""
        if self.staff_gesture.tap():
            self.show("pin")

    def enter_pin(self, pin: str) -> bool:
        if self.pin_gate.try_pin(pin):
            self.show("admin", remember=False)
            return True
        return False

    def take_new_content(self) -> bool:
        """Show the content the store now holds (a set the sync worker applied); True when it changed."""
        latest = self.services.content.content
        if latest is self.content:
            return False
        self.content = latest
        return True

    def reload_content(self) -> bool:
        if self.services.content.reload():
            self.content = self.services.content.content
            return True
        return False

    def quit(self) -> None:
        self.quitting = True
        self.stop()

    def on_stop(self) -> None:
        self.services.feedback.stop()
        self.services.tickets.stop()
        self.services.printing.spooler.stop()

    def on_main_thread(self, callback: Callable[..., None]) -> Callable[..., None]:
        """``callback`` wrapped so that, called from another thread (the printer's), it runs on
        the screen's thread at the next frame."""

        def later(*args: Any) -> None:
            Clock.schedule_once(lambda _dt: callback(*args))

        return later

    def in_background(self, work: Callable[[], T], on_done: Callable[[T | None, Exception | None], None]) -> None:
        """Run ``work`` on a worker thread (it may wait on the network), then ``on_done(result,
        None)`` or ``on_done(None, error)`` on the screen's thread. Its errors never reach Kivy."""
        done = self.on_main_thread(on_done)

        def run() -> None:
            try:
                result = work()
            except Exception as error:  # noqa: BLE001 - handed to the screen, which says it calmly
                log.info("background work ended with %s: %s", type(error).__name__, error, exc_info=not isinstance(error, TicketRefused))
                done(None, error)
            else:
                done(result, None)

        threading.Thread(target=run, name="background", daemon=True).start()

    # -- lockdown ------------------------------------------------------------------------------

    def _on_keyboard(self, _window: Any, key: int, *_args: Any) -> bool:
        if key == ESCAPE:
            self.back()
            return True
        return False

    def _on_request_close(self, *_args: Any, **_kwargs: Any) -> bool:
        """Alt-F4 and the window's close button: refused in full screen unless staff quit."""
        return self.services.config.fullscreen and not self.quitting
