"""What the app is given to run: configuration, content, interface strings and the clocks.

Built once by the ``kiosk run`` command (or a test) and handed to :class:`kiosk.app.KioskApp`,
so the app itself holds no file paths, wall clocks or globals of its own.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.config import KioskConfig
from kiosk.content_store import ContentStore
from kiosk.i18n import Strings, load_strings


@dataclass
class KioskServices:
    config: KioskConfig
    content: ContentStore
    strings: Strings
    now: Callable[[], dt.datetime] = dt.datetime.now
    monotonic: Callable[[], float] = field(default=time.monotonic)


def make_services(config: KioskConfig) -> KioskServices:
    """The real services for ``config``: content from its folder (or the last good copy)."""
    return KioskServices(config=config, content=ContentStore(config.content_dir, config.data_dir), strings=load_strings())
