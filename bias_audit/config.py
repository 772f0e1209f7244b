"""A trust's reviewed exceptions for the advert checker (the allow list).

Read from the nearest of, searching the current folder and then each parent folder:

- ``.bias-audit.toml`` with a top-level ``allow = ["rule.id", "phrase", …]``;
- ``pyproject.toml`` with ``[tool.bias-audit]`` ``allow = [...]`` (a ``pyproject.toml``
  without that table is passed over, so a project's own file does not hide a trust-wide one).

In one folder ``.bias-audit.toml`` wins over ``pyproject.toml``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from bias_audit.errors import OptionError

CONFIG_FILE = ".bias-audit.toml"
PYPROJECT = "pyproject.toml"

MSG_BAD_TOML = "{path}: not valid TOML ({reason}). Fix the file or remove it."
MSG_BAD_ALLOW = (
    '{path}: "allow" must be a list of strings (rule ids or phrases), for example '
    'allow = ["age-energetic", "fast-paced"].'
)
MSG_BAD_TABLE = "{path}: [tool.bias-audit] must be a table."


@dataclass(frozen=True, slots=True)
class AllowConfig:
    """The allow list and the file it came from (``None`` when no file was found)."""

    allow: tuple[str, ...]
    path: Path | None


def find_allow_config(start: Path | None = None) -> AllowConfig:
    """The allow list from the nearest ``.bias-audit.toml`` or ``pyproject.toml``.

    Parameters
    ----------
    start : Path, optional
        Folder to start from; defaults to the current working folder.

    Raises
    ------
    OptionError
        The file is not valid TOML, or ``allow`` is not a list of strings.
    """
    folder = (Path.cwd() if start is None else Path(start)).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return AllowConfig(_allow_list(_load(own), own), own)
        pyproject = candidate / PYPROJECT
        if pyproject.is_file():
            tool = _load(pyproject).get("tool", {})
            table = tool.get("bias-audit") if isinstance(tool, dict) else None
            if table is not None:
                if not isinstance(table, dict):
                    raise OptionError(MSG_BAD_TABLE.format(path=pyproject))
                return AllowConfig(_allow_list(table, pyproject), pyproject)
    return AllowConfig((), None)


def _load(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        raise OptionError(MSG_BAD_TOML.format(path=path, reason=err)) from None


def _allow_list(table: dict, path: Path) -> tuple[str, ...]:
    value = table.get("allow", [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise OptionError(MSG_BAD_ALLOW.format(path=path))
    return tuple(item.strip() for item in value if item.strip())
