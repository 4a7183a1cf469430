"""The server's HTTP interface: dependencies in :mod:`server.api.deps`, one module per route group."""
