"""Performance figures of the kiosk: ``make bench`` prints them as one JSON object."""
