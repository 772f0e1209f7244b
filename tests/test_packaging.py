"""The built wheel works outside the repository (issue 9, acceptance point 4).

Builds the sdist and, from it, the wheel with the build backend already installed (no
network), installs the wheel into a new venv whose dependencies come from the running
environment, and runs ``bias-audit advert``, ``bias-audit demo`` and ``bias-audit app`` (and one
page of the installed app script) from a folder outside the repository. Every path the
package reads must then be inside the venv.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bias_audit.cli import app
from bias_audit.commands import app_command
from bias_audit.errors import OptionError
from bias_audit.shipped import IN_PACKAGE, shipped_path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_NAMES = tuple(IN_PACKAGE)
APP_START_SECONDS = 60  # generous: the machine running the suite may be busy
PURELIB = "import sysconfig; print(sysconfig.get_path('purelib'))"
# The installed app script in Streamlit's test harness, opened on the Method page (named
# relative to the script, as a user's link would; the other pages are tested from source).
APP_PAGES = """
import json, sys
from streamlit.testing.v1 import AppTest

at = AppTest.from_file(sys.argv[1], default_timeout=60)
at.switch_page("../ui/pages/method.py").run()
print(json.dumps([[t.value for t in at.title], [e.value for e in at.exception]]))
"""
WHERE = (  # where the package and each shipped file are found, as the installed code sees it
    "import json, bias_audit, bias_audit.shipped as s; "
    "print(json.dumps([bias_audit.__file__, *(str(s.shipped_path(n)) for n in {names!r})]))"
)


def _clean_env() -> dict[str, str]:
    """The environment without anything that would put the repository on ``sys.path``."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@contextlib.contextmanager
def _process_group(command: list[str], cwd: Path, **popen) -> Iterator[subprocess.Popen]:
    """Start ``command`` in a process group of its own; on leaving, kill whatever of the
    group is still running (children included) and reap the command."""
    proc = subprocess.Popen(command, cwd=cwd, env=_clean_env(), start_new_session=True, **popen)
    try:
        yield proc
    finally:
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run to the end (callers assert on the exit status), output captured as text."""
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    with _process_group(command, cwd, **pipes) as proc:
        out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, Path]:
    """A venv holding only the freshly built wheel; returns its paths and a work folder."""
    base = tmp_path_factory.mktemp("packaging")
    dist, venv, work = base / "dist", base / "venv", base / "work"
    work.mkdir()
    built = _run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        cwd=work,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    (wheel,) = dist.glob("bias_audit-*.whl")
    (_sdist,) = dist.glob("bias_audit-*.tar.gz")  # the wheel is built from it (MANIFEST.in)

    # No pip inside the venv: the running pip installs into it (faster, and offline).
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=work)
    assert made.returncode == 0, made.stderr
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    # Installed before the dependencies are visible, so pip never sees the repository's own
    # (editable) bias-audit and cannot decide it is already installed.
    done = _run([*pip, "install", "--no-deps", "--no-index", str(wheel)], cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    site = Path(_run([str(python), "-c", PURELIB], cwd=work).stdout.strip())
    # The dependencies come from the running environment. `--system-site-packages` would
    # give the base interpreter's packages, not this venv's; a .pth file adds the folders
    # without running their own .pth files, so the repository's editable install stays out.
    running = [p for p in sys.path if Path(p).name in {"site-packages", "dist-packages"}]
    (site / "_test_dependencies.pth").write_text("\n".join(running) + "\n", encoding="utf-8")
    return {"site": site, "bin": bindir, "python": python, "work": work}


@pytest.mark.parametrize("name", SHIPPED_NAMES)
def test_a_source_checkout_reads_the_top_level_files(name):
    """No build step has run here, so the repository's own files are used (and exist)."""
    assert shipped_path(name) == ROOT / name
    assert shipped_path(name).exists()


def test_missing_app_script_says_how_to_reinstall(monkeypatch, tmp_path):
    missing = tmp_path / "app.py"
    monkeypatch.setattr(app_command, "APP_SCRIPT", missing)
    with pytest.raises(OptionError) as err:
        CliRunner().invoke(app, ["app", "--port", "8600"], catch_exceptions=False)
    assert str(err.value) == app_command.MSG_NO_APP.format(path=missing)


def test_package_and_every_shipped_file_come_from_the_venv(installed):
    result = _run(
        [str(installed["python"]), "-c", WHERE.format(names=SHIPPED_NAMES)], cwd=installed["work"]
    )
    assert result.returncode == 0, result.stderr
    package, *shipped = map(Path, json.loads(result.stdout))
    site = installed["site"].resolve()
    assert package.resolve().is_relative_to(site / "bias_audit"), package
    for name, path in zip(SHIPPED_NAMES, shipped, strict=True):
        assert path.resolve().is_relative_to(site / "bias_audit"), (name, path)
        assert path.exists(), (name, path)
    lexicons, example_data = shipped[0], shipped[1]
    assert len(list(lexicons.glob("*.yml"))) == len(list((ROOT / "lexicons").glob("*.yml")))
    in_repository = ROOT / "example_data"
    assert sorted(p.relative_to(example_data) for p in example_data.rglob("*.*")) == sorted(
        p.relative_to(in_repository) for p in in_repository.rglob("*.*") if p.suffix != ".py"
    )
    assert (site / "bias_audit" / "data" / "README.md").is_file()


@pytest.fixture(scope="module")
def installed_runs(installed) -> dict[str, subprocess.CompletedProcess[str]]:
    """``bias-audit advert``, ``bias-audit demo`` and the app's pages, run side by side
    from the work folder (each spends most of its time importing and warming up)."""
    command = str(installed["bin"] / "bias-audit")
    advert = installed["site"] / "bias_audit/example_data/adverts/band3_hcsw_poor.txt"
    commands = {
        "advert": [command, "advert", str(advert), "--format", "json", "--fail-on", "high"],
        "demo": [command, "demo", "--format", "json"],
        "app pages": [
            str(installed["python"]),
            "-c",
            APP_PAGES,
            str(installed["site"] / "bias_audit/app/app.py"),
        ],
    }
    work = installed["work"]
    runs = {}
    with contextlib.ExitStack() as stack:
        # Output goes to files, so no run waits on a full pipe while another is read.
        started = {}
        for name, argv in commands.items():
            out = stack.enter_context((work / f"{name}.out").open("w+", encoding="utf-8"))
            err = stack.enter_context((work / f"{name}.err").open("w+", encoding="utf-8"))
            proc = stack.enter_context(_process_group(argv, work, stdout=out, stderr=err))
            started[name] = (proc, out, err)
        for name, (proc, out, err) in started.items():
            proc.wait(timeout=120)
            out.seek(0)
            err.seek(0)
            runs[name] = subprocess.CompletedProcess(
                commands[name], proc.returncode, out.read(), err.read()
            )
    return runs


def test_advert_runs_from_outside_the_repository(installed_runs):
    result = installed_runs["advert"]
    assert result.returncode == 1, result.stderr  # a high-severity finding exists
    (report,) = json.loads(result.stdout)
    assert report["band"] == 3
    rule_ids = {finding["rule_id"] for finding in report["findings"]}
    assert {"degree-required", "nationality-native-english-speaker", "jargon-mdt"} <= rule_ids


def test_demo_prints_the_readme_figure(installed_runs):
    result = installed_runs["demo"]
    assert result.returncode == 0, result.stderr
    wres = json.loads(result.stdout)["wres_indicator_2"]
    # README.md quotes this demo (the example extract): 1.50 times as likely (985 White,
    # 365 BME shortlisted, published counts).
    assert wres["value"] == 1.5
    assert (wres["White"]["shortlisted"], wres["BME"]["shortlisted"]) == (985, 365)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_app_serves_and_stops_with_its_whole_process_group(installed):
    port = _free_port()
    command = [str(installed["bin"] / "bias-audit"), "app", "--port", str(port)]
    log = installed["work"] / "app.log"
    with (
        log.open("wb") as sink,
        _process_group(command, installed["work"], stdout=sink, stderr=sink) as proc,
    ):
        deadline = time.monotonic() + APP_START_SECONDS
        body = b""
        while not body and time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as response:
                    body = response.read().strip()
            except OSError:
                time.sleep(0.2)
        assert body == b"ok", log.read_text(encoding="utf-8", errors="replace")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.status == 200
        os.killpg(proc.pid, signal.SIGTERM)  # the whole group, as a terminal's Ctrl+C would
        assert proc.wait(timeout=20) == 0
        deadline = time.monotonic() + 15
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _group_alive(proc.pid), "a process of `bias-audit app` outlived it"


def test_the_installed_app_script_finds_and_renders_its_pages(installed_runs):
    result = installed_runs["app pages"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout) == [["Method, in plain English"], []]
