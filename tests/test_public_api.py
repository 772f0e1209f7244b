"""The package's public names resolve, and importing it stays light."""

import subprocess
import sys
from pathlib import Path

import pytest

import bias_audit


@pytest.mark.parametrize("name", bias_audit.__all__)
def test_every_public_name_resolves(name):
    assert getattr(bias_audit, name) is not None


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = bias_audit.nonsense


def test_import_does_not_load_spacy_streamlit_or_fairlearn():
    code = (
        "import sys, bias_audit; heavy = ('spacy', 'streamlit', 'fairlearn', 'pandas'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_api_runs_both_engines_on_the_example_data(tmp_path):
    advert = bias_audit.check_advert(text="We want a young, energetic team player.", band=3)
    assert {f.rule_id for f in advert.findings} >= {"age-energetic"}
    assert all(isinstance(f, bias_audit.Finding) for f in advert.findings)
    with pytest.raises(bias_audit.InputDataError, match="empty"):
        bias_audit.read_funnel(b"", name="empty.csv")


def test_the_readme_python_example_runs_on_the_example_files(tmp_path, monkeypatch):
    """The README's "Python API" block, run as written on copies of the example files."""
    import re
    import shutil

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The Python API", 1)[1]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)[:1]
    extract = tmp_path / "extract.csv"
    shutil.copy(root / "example_data" / "recruitment_extract.csv", extract)
    shutil.copy(
        root / "example_data" / "adverts" / "band3_hcsw_person_spec.docx", tmp_path / "advert.docx"
    )
    monkeypatch.chdir(tmp_path)
    printed = []
    namespace = {"print": lambda *args: printed.append(args)}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["audit"].wres_indicator_2["value"] is not None
    assert printed, "the example advert has findings to print"
