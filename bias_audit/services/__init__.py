"""One function per workflow: the only thing the CLI, the app and the public API call.

- :func:`audit_extract` — read a recruitment extract and audit it (disclosure control on by
  default); :func:`audit_recruitment` — audit a funnel already read;
- :func:`check_advert` — check an advert file or pasted text;
- :func:`audit_workforce` — WRES / WDES from an ESR-style staff extract;
  :func:`audit_staff` — the same for a staff extract already read.

Each is loaded when first used, so the recruitment path never loads spaCy and the advert
path never loads the statistics.

Examples
--------
>>> import bias_audit.services as services
>>> services.check_advert(text="Band 3 support worker.").band
3
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

# workflow -> module that defines it
_WORKFLOWS = {
    "audit_extract": "bias_audit.services.recruitment",
    "audit_recruitment": "bias_audit.services.recruitment",
    "check_advert": "bias_audit.services.advert",
    # issue 12: the workforce audit (WRES / WDES from a staff extract)
    "audit_workforce": "bias_audit.services.workforce",
    "audit_staff": "bias_audit.services.workforce",
}

__all__ = ["audit_extract", "audit_recruitment", "audit_staff", "audit_workforce", "check_advert"]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from bias_audit.services.advert import check_advert
    from bias_audit.services.recruitment import audit_extract, audit_recruitment
    from bias_audit.services.workforce import audit_staff, audit_workforce


def __getattr__(name: str) -> object:
    module = _WORKFLOWS.get(name)
    if module is None:
        raise AttributeError(f"module 'bias_audit.services' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
