"""Public legal service kiosk: the pure-Python core (configuration, content, tickets, CLI).

Only :mod:`kiosk.app` imports Kivy; everything else here runs and is tested without a window.
"""

from printers.escpos_cache import use_escpos_cache

use_escpos_cache()

__version__ = "0.1.0"
