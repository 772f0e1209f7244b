"""Privacy settings: config, and the UI layer never writes user data to disk."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UI_FILES = [*sorted((ROOT / "bias_audit" / "ui").rglob("*.py")), ROOT / "app.py"]
WRITING_CALLS = {
    "write_bytes",
    "write_text",
    "NamedTemporaryFile",
    "mkstemp",
    "to_csv",
    "to_excel",
    "dump",
    "save",
}


def test_streamlit_config_keeps_everything_local():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["address"] == "127.0.0.1"
    assert config["server"]["maxUploadSize"] == 50
    assert config["client"]["showErrorDetails"] == "type"


def test_code_size_limit_matches_config():
    from bias_audit.ui.resources import MAX_UPLOAD_MB

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_ui_never_writes_files(path):
    """Uploads go from memory (UploadedFile.getvalue()) straight to the engines."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert name not in WRITING_CALLS, f"{path.name}:{node.lineno} calls {name}"
            if name == "open":
                modes = [a.value for a in node.args[1:] if isinstance(a, ast.Constant)]
                assert not any(set(str(m)) & set("wax+") for m in modes)


def test_user_data_caches_are_session_scoped():
    source = (ROOT / "bias_audit" / "ui" / "resources.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    scopes = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                if isinstance(deco, ast.Call) and getattr(deco.func, "attr", "") == "cache_data":
                    kw = {k.arg: getattr(k.value, "value", None) for k in deco.keywords}
                    scopes[node.name] = kw.get("scope", "global")
    # Anything computed from an upload or pasted text is per session...
    assert scopes["advert_text_from_upload"] == "session"
    assert scopes["check_advert"] == "session"
    assert scopes["audit_upload"] == "session"
    # ...only the bundled synthetic examples are shared.
    assert {name for name, scope in scopes.items() if scope == "global"} == {
        "example_advert_text",
        "check_example_advert",
        "audit_example",
    }
