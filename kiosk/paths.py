"""Where the kiosk's own files live: the repository's assets, sample content and bundled font."""

from __future__ import annotations

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
ASSETS_DIR = PROJECT_DIR / "assets"
SAMPLE_CONTENT_DIR = ASSETS_DIR / "content"
I18N_DIR = ASSETS_DIR / "i18n"
BUNDLED_FONT = ASSETS_DIR / "fonts" / "NotoSansSC-Kiosk-Regular.otf"
BUNDLED_BOLD_FONT = ASSETS_DIR / "fonts" / "NotoSansSC-Kiosk-Bold.otf"
SCREENS_DIR = PROJECT_DIR / "screens"
