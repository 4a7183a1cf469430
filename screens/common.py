"""Pieces every screen shares: the screen base class, the top and bottom bars, flat buttons, choices
to tick, and the faces of the satisfaction levels (drawn, since the font has no emoji)."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import BooleanProperty, ColorProperty, DictProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

BLUE = (0.11, 0.30, 0.55, 1)
TEAL = (0.05, 0.45, 0.45, 1)
ORANGE = (0.80, 0.40, 0.05, 1)
GREY = (0.45, 0.47, 0.50, 1)
GREEN = (0.10, 0.50, 0.20, 1)


class KioskScreen(Screen):
    """A screen: ``refresh`` fills it from ``params`` and the app's state each time it is shown."""

    params = DictProperty({})
    shown_key: Any = None
    keeps_text_pictures = False  # home and attract keep theirs: the kiosk returns to them all day

    def unchanged(self, *key: Any) -> bool:
        """Whether the screen already shows ``key`` (content version, language, params...).

        Screens built in Python skip rebuilding what is already drawn (a refresh that changes
        nothing); leaving a screen forgets the key, since the screen then frees what it drew.
        """
        if key == self.shown_key:
            return True
        self.shown_key = key
        return False

    @property
    def app(self) -> Any:
        return App.get_running_app()

    def refresh(self) -> None:
        """Rebuild what depends on content or language (the .kv file binds the rest)."""

    def on_leave(self, *_args: Any) -> None:
        """Only the screen in sight holds what it drew: a kiosk switches screens all day long."""
        self.shown_key = None
        self.release()
        if not self.keeps_text_pictures:
            forget_text_pictures(self)

    def on_pre_enter(self, *_args: Any) -> None:
        draw_text_pictures(self)

    def release(self) -> None:
        """Drop the widgets built in Python (screens that build some override this)."""

    def step_back(self) -> bool:
        """Handle Back inside the screen; False lets the app go to the screen before."""
        return False

    def reset(self) -> None:
        """Forget the visitor (called at the idle timeout)."""


def forget_text_pictures(root: Widget) -> None:
    """Let go of the pictures of the words on ``root``'s labels (their textures, each as large as
    its words on screen; a software renderer keeps them in the kiosk's own memory). The labels keep
    their size, so nothing moves; ``draw_text_pictures`` draws them again."""
    for widget in root.walk(restrict=True):
        if isinstance(widget, Label) and widget.texture is not None:
            widget._label.texture = None  # Kivy's Label keeps its core label's texture there too
            widget.texture = None


def draw_text_pictures(root: Widget) -> None:
    """Draw again the words ``forget_text_pictures`` let go of."""
    for widget in root.walk(restrict=True):
        if isinstance(widget, Label) and widget.texture is None and widget.text:
            widget.texture_update()


class RoundedButton(ButtonBehavior, Label):
    """A flat, rounded button that darkens while pressed (common.kv draws it)."""

    bg = ColorProperty(BLUE)


class FlatButton(RoundedButton):
    """A large button whose words wrap and grow with the large-text mode."""


class ChoiceToggle(FlatButton):
    """One of several choices a visitor may tick (reasons, preset texts): a box that fills with a
    tick when chosen. The screen keeps what is chosen; ``code`` names the choice."""

    code = StringProperty("")
    selected = BooleanProperty(False)
    even_text_height = NumericProperty(0)  # set by an EvenGrid: the tallest words of its buttons


class EvenGrid(GridLayout):
    """A grid of buttons all as tall as the one with the most lines, so that side by side they line
    up (each button's rule counts ``even_text_height`` in its height)."""

    def add_widget(self, widget: Any, *args: Any, **kwargs: Any) -> None:
        widget.bind(texture_size=self._trigger_layout)  # other words (another language, large text): measure again
        super().add_widget(widget, *args, **kwargs)

    def remove_widget(self, widget: Any, *args: Any, **kwargs: Any) -> None:
        widget.unbind(texture_size=self._trigger_layout)
        super().remove_widget(widget, *args, **kwargs)

    def do_layout(self, *args: Any, **kwargs: Any) -> None:
        if self.children:
            tallest = max(child.texture_size[1] for child in self.children)
            for child in self.children:
                child.even_text_height = tallest
        super().do_layout(*args, **kwargs)


class Face(Widget):
    """A round face drawn with lines: ``mood`` 1 smiles, 0 is level, -1 frowns (common.kv)."""

    mood = NumericProperty(1.0)
    face_color = ColorProperty(GREEN)
    line_color = ColorProperty((0.12, 0.12, 0.14, 1))


class TappableLabel(ButtonBehavior, Label):
    """Text that reacts to a tap without looking like a button (the clock)."""


class BottomBar(BoxLayout):
    """Back and Home on the left; large text and language toggles on the right."""

    show_back = BooleanProperty(True)
    show_home = BooleanProperty(True)


class TopBar(BoxLayout):
    """The center's name and the time (five taps on the time open the staff PIN pad)."""
