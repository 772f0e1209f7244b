"""Everything the pages fetch or compute, cached the privacy-safe way.

* The spaCy pipeline is built once per process (``st.cache_resource``) and only read after.
* Uploads stay in memory: pages pass ``UploadedFile.getvalue()`` bytes straight to the
  engines, which never write them to disk.
* Results computed from user data are cached with ``scope="session"``, so they are dropped
  when the browser session ends and no other session can ever get them.
* Only the bundled, synthetic example data is cached for everyone (global scope).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from bias_audit.shipped import shipped_path

EXAMPLE_DATA = shipped_path("example_data")
EXAMPLE_EXTRACT = EXAMPLE_DATA / "recruitment_extract.csv"
EXAMPLE_ADVERTS = EXAMPLE_DATA / "adverts"
MAX_UPLOAD_MB = 50  # same as server.maxUploadSize in .streamlit/config.toml
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
UPLOAD_TOO_LARGE = (
    "{name} is {size_mb:.1f} MB, more than the {limit} MB limit. Export only the columns and "
    "rows you need (one recruitment year, monitoring columns and stage), then upload again."
)
ADVERT_TYPES = ("txt", "docx", "pdf")
EXTRACT_TYPES = ("csv", "xlsx")


def upload_too_large(name: str, size: int) -> str | None:
    """The message to show when an upload is over the limit, else ``None``.

    AppTest does not enforce ``server.maxUploadSize``, and a trust may raise it, so the size
    is checked in code as well.
    """
    if size <= MAX_UPLOAD_BYTES:
        return None
    return UPLOAD_TOO_LARGE.format(name=name, size_mb=size / 1024 / 1024, limit=MAX_UPLOAD_MB)


@st.cache_resource(show_spinner="Loading the language pipeline (once per server)…")
def pipeline() -> object:
    """The shared spaCy pipeline; built once per process and never mutated after."""
    from bias_audit.text.advert import warm_up
    from bias_audit.text.pipeline import get_pipeline

    warm_up()  # lexicon, matchers and textstat's dictionary, so nobody's first check waits
    return get_pipeline()


def example_advert_names() -> list[str]:
    """File names of the bundled example adverts, sorted."""
    if not EXAMPLE_ADVERTS.is_dir():
        return []
    return sorted(
        p.name
        for p in EXAMPLE_ADVERTS.iterdir()
        if p.suffix.lstrip(".") in ADVERT_TYPES and p.is_file()
    )


@st.cache_data(show_spinner=False)
def example_advert_text(name: str) -> str:
    """The text of one bundled example advert (synthetic, so shared by all sessions)."""
    from bias_audit.io.adverts import read_advert

    return read_advert(EXAMPLE_ADVERTS / Path(name).name)


@st.cache_data(scope="session", max_entries=16, show_spinner="Reading the file…")
def advert_text_from_upload(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    """Text of an uploaded advert file, read in memory, and the reader's notes (a PDF or
    Word file named .txt is read as one, with a note)."""
    from bias_audit.io.adverts import read_advert_file

    read = read_advert_file(data, name=name)
    return read.text, tuple(read.notes)


@st.cache_data(scope="session", max_entries=16, show_spinner="Checking the advert…")
def check_advert(
    text: str,
    band: int | None,
    source: str,
    allow: tuple[str, ...],
    rules: tuple[Path, str] | None = None,
) -> object:
    """:func:`bias_audit.services.check_advert`, cached for this session only.

    ``rules`` is a trust's rules folder and its version (:func:`rules_folder`): the version
    is part of the cache key, so editing a rule file gives a fresh check.
    """
    from bias_audit.services import check_advert as check

    pipeline()
    lexicon_dir = None if rules is None else rules[0]
    return check(text=text, name=source, band=band, allow=allow, lexicon_dir=lexicon_dir)


def rules_folder(path: str) -> tuple[Path, str] | None:
    """A trust's rules folder and its lexicon version; ``None`` for an empty setting.

    Raises :class:`~bias_audit.errors.LexiconError` (the same messages as
    ``bias-audit lexicon check``) when the folder cannot be used.
    """
    if not path.strip():
        return None
    from bias_audit.text.rule_check import load_rule_folder

    folder = Path(path.strip()).expanduser()
    lexicon, _ = load_rule_folder(folder)
    return folder, lexicon.version


@st.cache_data(max_entries=64, show_spinner="Checking the example advert…")
def check_example_advert(name: str, band: int | None, allow: tuple[str, ...]) -> object:
    """The check of a bundled example advert (synthetic, so shared by every session)."""
    from bias_audit.services import check_advert as check

    pipeline()
    return check(text=example_advert_text(name), name=name, band=band, allow=allow)


def _audit(
    source: bytes | Path,
    name: str,
    columns: Mapping[str, str],
    suppression: bool,
    reading: Reading = (),
    population: str | None = None,
) -> object:
    from bias_audit.services import audit_extract

    options = dict(reading)
    mappings = options.pop("stages", ())
    if "recode" in options:  # hashable pairs for the cache, a mapping for the reader
        options["recode"] = {role: dict(values) for role, values in options["recode"]}
    return audit_extract(
        source,
        name=name,
        columns=dict(columns) or None,
        stages=list(mappings) or None,
        suppression=suppression,
        population=population,
        **options,
    )


# How to read an upload, as hashable (option, value) pairs for the session cache:
# ("sheet", name), ("rows_are", "shortlisted"), ("stages", ("Outcome text=stage", …)),
# and from a loaded mapping ("stratify", column), ("recode", ((role, ((value, category), …)), …)).
Reading = tuple[tuple[str, object], ...]


@st.cache_data(scope="session", max_entries=8, show_spinner="Auditing the extract…")
def audit_upload(
    data: bytes,
    name: str,
    columns: tuple[tuple[str, str], ...],
    suppression: bool,
    reading: Reading = (),
    population: str | None = None,
) -> object:
    """The recruitment audit of an uploaded extract, cached for this session only.

    ``reading`` carries the choices made on the page: the workbook sheet, what each row
    is, and outcome texts mapped to stages (see :func:`bias_audit.services.audit_extract`).
    """
    return _audit(data, name, dict(columns), suppression, reading, population)


@st.cache_data(max_entries=8, show_spinner="Auditing the example extract…")
def audit_example(
    columns: tuple[tuple[str, str], ...], suppression: bool, population: str | None = None
) -> object:
    """The audit of the bundled synthetic extract (no personal data, so shared)."""
    return _audit(
        EXAMPLE_EXTRACT, EXAMPLE_EXTRACT.name, dict(columns), suppression, population=population
    )


def population_choices() -> dict[str, str]:
    """The local-population picker's choices, ``--population`` value → words (Census pack:
    public data, read once per process by :func:`bias_audit.io.population.area_choices`)."""
    from bias_audit.io.population import area_choices

    return dict(area_choices())


@st.cache_data(scope="session", max_entries=8, show_spinner=False)
def workbook_sheets(data: bytes, name: str) -> tuple[str, ...]:
    """The sheet names of an uploaded workbook (empty for a CSV or a file that cannot be
    read: the audit then says what is wrong). The file passes the reader's safety checks
    (size, zip bomb) before any sheet is opened."""
    import python_calamine

    from bias_audit.errors import InputDataError
    from bias_audit.io.files import EXTRACT_FILE, sniff
    from bias_audit.io.source import open_source

    try:
        src = open_source(data, kind=EXTRACT_FILE, name=name)
        if sniff(src).kind != "xlsx":
            return ()
        with src.open() as handle:
            book = python_calamine.CalamineWorkbook.from_filelike(handle)
            return tuple(str(n) for n in book.sheet_names)
    except (InputDataError, Exception):  # the audit reports the problem in words
        return ()


@st.cache_resource(max_entries=8, show_spinner=False)
def example_view(
    columns: tuple[tuple[str, str], ...], suppression: bool, funnel_attribute: str
) -> tuple:
    """Charts and tables of the example audit, built once and shared read-only.

    Building plotly figures is the slowest part of a rerun; in a workshop every session
    shows these same example figures, so they are built once per server.
    """
    from bias_audit.report.html_report import significance_tables
    from bias_audit.report.recruitment_charts import recruitment_charts

    audit = audit_example(columns, suppression)
    charts = recruitment_charts(audit, funnel_attribute=funnel_attribute)
    return charts, significance_tables(audit)


@st.cache_resource(max_entries=64, show_spinner=False)
def example_advert_charts(name: str, band: int | None, allow: tuple[str, ...]) -> list:
    """The gauges of a bundled example advert, built once and shared read-only."""
    from bias_audit.report.advert_charts import advert_charts

    return advert_charts(check_example_advert(name, band, allow))
