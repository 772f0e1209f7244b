"""Where the app is served: this computer only, or other computers too.

``bias-audit app`` records the address it was asked to listen on in ``SERVED_HOST_ENV``
(its workers listen on localhost behind a proxy on that address, so their own
``server.address`` does not tell). The app turns off what only makes sense for one person
at their own computer — reading a rules folder from the server's disk — when it is shared.
"""

from __future__ import annotations

import os

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SERVED_HOST_ENV = "BIAS_AUDIT_SERVED_HOST"


def this_computer_only(server_address: str | None) -> bool:
    """Whether the app is reachable from this computer alone.

    The address ``bias-audit app`` was given wins; otherwise Streamlit's own
    ``server.address`` (empty means every interface).

    >>> this_computer_only("127.0.0.1"), this_computer_only(""), this_computer_only("0.0.0.0")
    (True, False, False)
    """
    served = os.environ.get(SERVED_HOST_ENV) or server_address or ""
    return served in LOCAL_HOSTS
