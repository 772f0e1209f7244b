"""Files that live at the top of the repository and are copied into the package by the build.

The rules (``lexicons/``), the synthetic ``example_data/`` and the Streamlit entry
``app.py`` (with its ``.streamlit/config.toml``) stay where a reader of the repository
expects them. ``setup.py`` copies them into the wheel under the names in :data:`IN_PACKAGE`,
so an installed package finds them with :func:`importlib.resources.files`. A source checkout
(``pip install -e .`` or ``PYTHONPATH``) has not been through that build step, so there they
are read from the top of the repository instead.

Examples
--------
>>> shipped_path("lexicons").joinpath("age.yml").is_file()
True
>>> shipped_path("app.py").name
'app.py'
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

#: Path in the repository -> path inside the installed ``bias_audit`` package. The app gets
#: a folder of its own because Streamlit puts the script's folder first on ``sys.path``:
#: next to ``bias_audit/types.py`` or ``bias_audit/io/`` it would shadow standard modules.
IN_PACKAGE = {
    "lexicons": "lexicons",
    "example_data": "example_data",
    "app.py": "app/app.py",
    # Streamlit reads the config beside the script, whatever the working folder.
    ".streamlit/config.toml": "app/.streamlit/config.toml",
}
REPOSITORY_ROOT = Path(__file__).resolve().parents[1]


def shipped_path(name: str) -> Path:
    """Where the repository file or folder ``name`` (a key of :data:`IN_PACKAGE`) is.

    Inside the installed package when the build copied it there; otherwise (a source
    checkout) at the top of the repository.
    """
    packaged = files("bias_audit").joinpath(IN_PACKAGE[name])
    if packaged.is_file() or packaged.is_dir():
        # Installed packages live on disk (Streamlit and the YAML loaders need real paths).
        return Path(str(packaged))
    return REPOSITORY_ROOT / name
