"""How the kiosk reaches its central server over HTTP: the one way both clients (tickets, and the
sync of ratings and complaints) make a ``requests`` session, with this kiosk's bearer token and
certificate verification, and describe a reply in a few words.

``requests`` is imported on first use: it takes about 60 ms, which the kiosk's start-up should not
pay. Certificates are always verified, against ``[server] ca_file`` when it is set, else against
the system's trusted authorities. The CA file is passed with every request: a session's own
``verify`` loses to the ``REQUESTS_CA_BUNDLE`` environment variable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import requests

    from kiosk.config import KioskConfig


@dataclass(frozen=True)
class ServerAccess:
    """This kiosk's credentials for its server: its token ("" for none) and the CA to trust (None: the system's)."""

    token: str = ""
    ca_file: Path | None = None

    @classmethod
    def of(cls, config: KioskConfig) -> ServerAccess:
        return cls(config.server_token, config.server_ca_file)

    @property
    def verify(self) -> bool | str:
        """``requests``' ``verify``: the CA file, or True for the system's authorities; never False."""
        return str(self.ca_file) if self.ca_file else True

    def new_session(self) -> requests.Session:
        import requests

        session = requests.Session()
        if self.token:
            session.headers["Authorization"] = f"Bearer {self.token}"
        session.verify = self.verify
        return session


def short(value: Any, limit: int = 80) -> str:
    """A reply or message on one line of at most ``limit`` characters, for an error a person reads."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
