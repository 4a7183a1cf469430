"""Pictures made in Pillow (receipt previews, QR codes) turned into Kivy textures."""

from __future__ import annotations

from kivy.graphics.texture import Texture
from PIL import Image


def texture_of(picture: Image.Image) -> Texture:
    """A texture showing ``picture`` the right way up."""
    rgb = picture.convert("RGB")
    texture = Texture.create(size=rgb.size, colorfmt="rgb")
    texture.blit_buffer(rgb.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
    texture.flip_vertical()
    return texture
