"""Public legal service kiosk: the pure-Python core (configuration, content, CLI).

Only :mod:`kiosk.app` imports Kivy; everything else here runs and is tested without a window.
"""

__version__ = "0.1.0"
