"""Builds the bundled CJK fonts in assets/fonts from Debian's fonts-noto-cjk.

The subset holds every GB2312 character, Latin, punctuation and symbols, plus every character
of the sample content, the interface strings, kiosk.ini and the words of ratings and complaints
(kiosk/feedback.py, also shown by the central server's phone pages), so a fresh machine shows
all of it without system fonts. Run it again after adding content with rare characters:

    apt-get install fonts-noto-cjk && .venv/bin/python tools/make_font_subset.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

from kiosk import feedback
from kiosk.content import Text

PROJECT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/fonts/opentype/noto")
FACE_SC = 2  # Noto Sans CJK SC inside the collection
OUTPUTS = {"NotoSansCJK-Regular.ttc": "NotoSansSC-Kiosk-Regular.otf", "NotoSansCJK-Bold.ttc": "NotoSansSC-Kiosk-Bold.otf"}
RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x017F),  # Latin-1 and Latin Extended-A
    (0x2000, 0x206F),  # general punctuation
    (0x2100, 0x218F),  # letterlike symbols, number forms
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # circled numbers
    (0x2500, 0x25FF),  # box drawing, shapes (☐ ○ ● ▶)
    (0x2600, 0x26FF),  # symbols (☎ ☑)
    (0x2700, 0x27BF),  # dingbats (✓ ✔)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF00, 0xFFEF),  # full-width forms (，：￥)
]


def gb2312_characters() -> set[str]:
    found = set()
    for code in range(0x4E00, 0xA000):
        char = chr(code)
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        found.add(char)
    return found


def project_characters() -> set[str]:
    files = [*sorted((PROJECT / "assets").rglob("*.ini")), PROJECT / "kiosk.ini"]
    return {char for path in files for char in path.read_text(encoding="utf-8")}


def feedback_characters() -> set[str]:
    """The words of levels, reasons, kinds, categories and preset texts, in both languages."""
    vocabularies = [value for value in vars(feedback).values() if isinstance(value, dict)]
    texts = [text for vocabulary in vocabularies for text in vocabulary.values() if isinstance(text, Text)]
    return {char for text in texts for char in text.zh + (text.en or "")}


def main() -> int:
    characters = gb2312_characters() | project_characters() | feedback_characters()
    characters |= {chr(c) for low, high in RANGES for c in range(low, high + 1)}
    unicodes = sorted(ord(c) for c in characters if not c.isspace() or c == " ")
    for source, output in OUTPUTS.items():
        options = subset.Options()
        options.font_number = FACE_SC
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        font = subset.load_font(str(SOURCE / source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        target = PROJECT / "assets" / "fonts" / output
        subset.save_font(font, str(target), options)
        print(f"{target.relative_to(PROJECT)}: {len(unicodes)} characters, {target.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
