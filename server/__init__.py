"""The central server of a center's kiosks: one ticket sequence for the whole center, the counter
page for window staff, and (later) the records kiosks send. Run it with ``kiosk-server run``."""
