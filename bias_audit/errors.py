"""The error hierarchy.

Everything the user can cause (a bad file, a bad option, a broken lexicon) raises a
:class:`BiasAuditError` subclass whose message names the file, row or column and says how to
fix it. The CLI turns these into exit status 2 and the app into ``st.error``; any other
exception is a bug and is allowed to surface.
"""


class BiasAuditError(Exception):
    """Base class for errors caused by input, options or configuration, not by a bug."""


class InputDataError(BiasAuditError, ValueError):
    """An input file or text cannot be used (empty, wrong format, missing columns, …)."""


class OptionError(BiasAuditError, ValueError):
    """A command-line or API option is invalid (unknown stage, bad column mapping, …)."""


class LexiconError(BiasAuditError, ValueError):
    """A lexicon file breaks the schema (unknown key, duplicate id, unresolvable source, …)."""
