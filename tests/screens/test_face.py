"""The faces of the satisfaction levels (screens/common.py Face), drawn in a real Kivy window:
a smile's mouth curves down in the middle, a frown's up, and each face has its level's colour."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-home-"))

from kivy.lang import Builder  # noqa: E402
from kivy.tests.common import GraphicUnitTest  # noqa: E402
from kivy.uix.floatlayout import FloatLayout  # noqa: E402
from PIL import Image  # noqa: E402

from kiosk.feedback import LEVELS  # noqa: E402
from kiosk.paths import SCREENS_DIR  # noqa: E402

SIDE = 300  # the face's size in window pixels


def rgb(shot: Image.Image, x: int, y: int) -> tuple[int, int, int]:
    red, green, blue = shot.getpixel((x, y))  # type: ignore[misc]  # an RGB picture gives three numbers
    return red, green, blue


def dark(pixel: tuple[int, int, int]) -> bool:
    return sum(pixel) < 150


class FaceTest(GraphicUnitTest):
    def draw(self, mood: float, color: tuple[float, float, float, float]) -> tuple[Image.Image, int, int]:
        """The window as a picture, with the face's centre in picture coordinates."""
        from kivy.core.window import Window

        from screens.common import Face

        common = str(SCREENS_DIR / "common.kv")
        if common not in Builder.files:
            Builder.load_file(common)
        root = FloatLayout()
        face = Face(mood=mood, face_color=color, size_hint=(None, None), size=(SIDE, SIDE), pos=(40, 40))
        root.add_widget(face)
        self.render(root)
        self.advance_frames(2)
        path = Path(tempfile.mkdtemp()) / "face.png"
        shot = Image.open(Window.screenshot(name=str(path))).convert("RGB")
        centre_x, centre_y = int(face.center_x), shot.height - int(face.center_y)  # the picture counts rows from the top
        return shot, centre_x, centre_y

    def mouth_row(self, shot: Image.Image, x: int, centre_y: int) -> int:
        """The first dark row below the eyes in column ``x``: where the mouth crosses it."""
        for y in range(centre_y + SIDE // 20, centre_y + SIDE * 2 // 5):
            if dark(rgb(shot, x, y)):
                return y
        raise AssertionError(f"no mouth in column {x}")

    def test_a_smile_curves_down_in_the_middle_and_a_frown_up(self) -> None:
        green, red = (0.20, 0.62, 0.30, 1), (0.86, 0.24, 0.20, 1)
        smile, x, y = self.draw(1.0, green)
        corner_x = x - int(SIDE * 0.2)
        assert self.mouth_row(smile, x, y) > self.mouth_row(smile, corner_x, y) + SIDE // 20, "the middle lies below the corners"
        frown, x, y = self.draw(-1.0, red)
        assert self.mouth_row(frown, x, y) < self.mouth_row(frown, corner_x, y) - SIDE // 20, "the middle lies above the corners"
        level, x, y = self.draw(0.0, green)
        assert abs(self.mouth_row(level, x, y) - self.mouth_row(level, corner_x, y)) <= 2, "a level mouth is straight"

    def test_each_face_has_its_levels_colour_from_green_to_red(self) -> None:
        from screens.rating import LOOKS

        assert list(LOOKS) == list(LEVELS), "one look per level, in the order of the levels"
        cheeks = []
        for level in LEVELS:
            mood, color = LOOKS[level]
            shot, x, y = self.draw(mood, color)
            cheeks.append(rgb(shot, x + SIDE // 3, y))
            assert all(abs(got - round(want * 255)) <= 3 for got, want in zip(cheeks[-1], color[:3], strict=True)), (level, cheeks[-1])
        greens, reds = [c[1] - c[0] for c in cheeks], [c[0] - c[1] for c in cheeks]
        assert greens[0] > 0 and reds[-1] > 0 and greens == sorted(greens, reverse=True), "from green to red"
