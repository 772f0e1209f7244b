"""Writing a command's rendered report: to standard output, or to the ``--out`` file."""

from __future__ import annotations

import sys
from pathlib import Path

from bias_audit.errors import BiasAuditError, OptionError


def write_output(
    report: str | bytes,
    out: Path | None,
    *,
    unwritable: str,
    written: str | None = None,
    error: type[BiasAuditError] = OptionError,
) -> None:
    """Write ``report`` (text, or bytes for a workbook) to ``out``, or to standard output
    when ``out`` is None.

    A file that cannot be written raises ``error`` with ``unwritable`` (formatted with
    ``path`` and ``reason``); ``written`` (formatted with ``path``), when given, is printed
    to standard error once the file is written.
    """
    if out is None:
        if isinstance(report, bytes):
            sys.stdout.buffer.write(report)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(report)
            sys.stdout.flush()
        return
    try:
        if isinstance(report, bytes):
            out.write_bytes(report)
        else:
            out.write_text(report, encoding="utf-8")
    except OSError as err:
        raise error(unwritable.format(path=out, reason=err.strerror)) from None
    if written is not None:
        print(written.format(path=out), file=sys.stderr)
