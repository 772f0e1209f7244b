"""`bias-audit` commands: advert (placeholder module until its issue lands)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `bias-audit` application."""
