"""The kiosk's screens: one ``<name>.py`` + ``<name>.kv`` pair per screen. They show and ask;
business rules live in :mod:`kiosk`."""
