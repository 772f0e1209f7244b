"""One build step on top of pyproject.toml: copy the repository's top-level rules, example
data and Streamlit entry into the package, so an installed wheel works from any folder.

``lexicons/``, ``example_data/``, ``app.py`` and ``.streamlit/config.toml`` stay at the top of
the repository, where readers expect them. ``bias_audit/shipped.py`` names where each one goes
inside the package and finds them at run time. Symlinks inside ``bias_audit/`` would do the
same without this file, but they break in Windows clones; and setuptools' ``package-dir``
mapping would mean listing every subpackage by hand and would stop ``PYTHONPATH`` checkouts
from finding the files.
"""

from __future__ import annotations

import runpy
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
IN_PACKAGE: dict[str, str] = runpy.run_path(str(ROOT / "bias_audit" / "shipped.py"))["IN_PACKAGE"]
# Scripts that regenerate example files are tools for the repository, not package data.
NOT_SHIPPED_SUFFIXES = frozenset({".py", ".pyc"})


def shipped_files() -> list[tuple[Path, str]]:
    """(file in the repository, its path inside the package) for every shipped file."""
    pairs = []
    for name, packaged in IN_PACKAGE.items():
        source = ROOT / name
        if source.is_file():
            pairs.append((source, packaged))
            continue
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source)
            if (
                path.is_file()
                and path.suffix not in NOT_SHIPPED_SUFFIXES
                and "__pycache__" not in relative.parts
            ):
                pairs.append((path, f"{packaged}/{relative.as_posix()}"))
    return pairs


class BuildPyWithShippedFiles(build_py):
    """``build_py`` that also copies the top-level files into ``bias_audit/``."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads them from the repository
            return
        for source, packaged in shipped_files():
            target = Path(self.build_lib) / "bias_audit" / packaged
            self.mkpath(str(target.parent))
            self.copy_file(str(source), str(target))


setup(cmdclass={"build_py": BuildPyWithShippedFiles})
