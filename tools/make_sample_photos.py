"""Generate placeholder staff portraits for the sample content.

For every ``[staff.<id>]`` section in ``assets/content/staff.ini`` this script
writes ``assets/content/photos/<id>.png``: a 300x400 portrait (3:4) with a soft
background colour picked deterministically from the id and a plain grey
head-and-shoulders silhouette. There is no text in the picture, so no fonts are
needed. Only Pillow is required.

Usage:

    python tools/make_sample_photos.py [CONTENT_DIR]

CONTENT_DIR defaults to ``assets/content`` next to this ``tools`` folder.
Replace the generated files with real photos of your staff.
"""

import colorsys
import hashlib
import re
import sys
from pathlib import Path

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 300, 400
SCALE = 4  # draw larger, then shrink, for smooth edges
SILHOUETTE = (150, 150, 150)
STAFF_SECTION = re.compile(r"^\[staff\.([a-z0-9_]+)\]\s*$", re.MULTILINE)


def staff_ids(staff_ini):
    """Return the staff ids in the order they appear in staff.ini."""
    text = staff_ini.read_text(encoding="utf-8")
    return STAFF_SECTION.findall(text)


def background_colour(staff_id):
    """A soft pastel colour that is always the same for the same id."""
    digest = hashlib.sha256(staff_id.encode("utf-8")).digest()
    hue = (int.from_bytes(digest[:4], "big") % 24) / 24.0
    red, green, blue = colorsys.hls_to_rgb(hue, 0.86, 0.45)
    return (round(red * 255), round(green * 255), round(blue * 255))


def portrait(staff_id):
    """Draw one placeholder portrait and return it as an RGB image."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    image = Image.new("RGB", (w, h), background_colour(staff_id))
    draw = ImageDraw.Draw(image)

    def box(x0, y0, x1, y1):
        return [x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE]

    # Shoulders: a wide ellipse whose lower part runs off the bottom edge.
    draw.ellipse(box(25, 262, 275, 580), fill=SILHOUETTE)
    # Neck.
    draw.rectangle(box(124, 200, 176, 290), fill=SILHOUETTE)
    # Head.
    draw.ellipse(box(92, 80, 208, 228), fill=SILHOUETTE)

    return image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def main(argv):
    content_dir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "assets" / "content"
    ids = staff_ids(content_dir / "staff.ini")
    if not ids:
        print("no [staff.<id>] sections found in", content_dir / "staff.ini")
        return 1
    photos = content_dir / "photos"
    photos.mkdir(exist_ok=True)
    for staff_id in ids:
        target = photos / (staff_id + ".png")
        portrait(staff_id).save(target, optimize=True)
        print("wrote", target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
