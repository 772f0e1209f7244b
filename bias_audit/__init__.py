"""bias-audit: find and remove bias in NHS recruitment.

The public API, imported lazily so that ``import bias_audit`` stays cheap and the
recruitment path never loads spaCy:

- :func:`audit_extract` / :func:`audit_recruitment` — the recruitment audit (an extract, or a
  funnel read with :func:`read_funnel`), from :mod:`bias_audit.services`;
- :func:`check_advert` — the advert checker (an advert file or text), from
  :mod:`bias_audit.services`; :func:`read_advert` reads an advert file;
- :func:`audit_workforce` — WRES / WDES from an ESR-style staff extract (read with
  :func:`read_staff`), from :mod:`bias_audit.services`;
- :class:`Finding`, :class:`Severity` and the error classes.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from bias_audit.errors import BiasAuditError, InputDataError, LexiconError, OptionError
from bias_audit.types import Finding, Severity

__version__ = "0.1.0"

# name -> module that defines it
_LAZY = {
    "audit_extract": "bias_audit.services",
    "audit_recruitment": "bias_audit.services",
    "check_advert": "bias_audit.services",
    "RecruitmentAudit": "bias_audit.stats.results",
    "read_funnel": "bias_audit.io.extract",
    "Funnel": "bias_audit.stats.funnel",
    "AdvertReport": "bias_audit.text.advert",
    "read_advert": "bias_audit.io.adverts",
    "load_lexicon": "bias_audit.lexicon",
    # issue 12: the workforce audit
    "audit_workforce": "bias_audit.services",
    "read_staff": "bias_audit.io.workforce",
}

__all__ = [
    "AdvertReport",
    "BiasAuditError",
    "Finding",
    "Funnel",
    "InputDataError",
    "LexiconError",
    "OptionError",
    "RecruitmentAudit",
    "Severity",
    "__version__",
    "audit_extract",
    "audit_recruitment",
    "audit_workforce",
    "check_advert",
    "load_lexicon",
    "read_advert",
    "read_funnel",
    "read_staff",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from bias_audit.io.adverts import read_advert
    from bias_audit.io.extract import read_funnel
    from bias_audit.io.workforce import read_staff
    from bias_audit.lexicon import load_lexicon
    from bias_audit.services import audit_extract, audit_recruitment, audit_workforce, check_advert
    from bias_audit.stats.funnel import Funnel
    from bias_audit.stats.results import RecruitmentAudit
    from bias_audit.text.advert import AdvertReport


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'bias_audit' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
