"""Route groups: tickets for kiosks, windows and the counter page for staff."""
