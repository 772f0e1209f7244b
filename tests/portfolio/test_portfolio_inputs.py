"""Portfolio inputs: bad files become named exclusions, zips are read safely, bands files."""

from __future__ import annotations

import io
import zipfile

import pytest

from bias_audit.errors import InputDataError
from bias_audit.portfolio import inputs
from bias_audit.portfolio.documents import NOTE_BAND_DIFFERS
from bias_audit.services.portfolio import MSG_BANDS_UNREADABLE, audit_portfolio

GOOD = "Healthcare Support Worker\nBand 2\nEssential\n- Kind and patient\n"
DEGREE = "Senior HCSW\nBand 3\nEssential\n- A degree in nursing\n"


def write(folder, files: dict[str, bytes | str]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_bad_files_are_counted_and_named_and_the_run_goes_on(tmp_path):
    write(
        tmp_path,
        {
            "a_good.txt": GOOD,
            "b_empty.txt": "",
            "c_binary.txt": bytes(range(256)) * 4,
            "d_old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "e_sheet.xlsx": b"PK\x03\x04junk",
            "sub/f_good.txt": DEGREE,
        },
    )
    review = audit_portfolio(tmp_path)
    assert [d.name for d in review.documents] == ["a_good.txt", "sub/f_good.txt"]
    excluded = {e.name: e.reason for e in review.exclusions}
    assert set(excluded) == {"b_empty.txt", "c_binary.txt", "d_old.doc", "e_sheet.xlsx"}
    for name, reason in excluded.items():
        assert reason.startswith(name), reason  # each reason names its file
    assert review.to_dict()["counts"]["excluded"] == 4


def test_hidden_and_lock_files_are_skipped_with_a_note(tmp_path):
    write(tmp_path, {"jd.txt": GOOD, ".DS_Store": b"x", "~$jd.docx": b"x"})
    review = audit_portfolio(tmp_path)
    assert [d.name for d in review.documents] == ["jd.txt"]
    assert review.exclusions == ()
    assert review.notes == (
        inputs.NOTE_SKIPPED.format(n=2, names=f"{tmp_path}/.DS_Store, {tmp_path}/~$jd.docx"),
    )


def test_a_zip_upload_is_read_in_memory(tmp_path):
    data = zipped(
        {
            "jds/hca.txt": GOOD.encode(),
            "jds/senior.txt": DEGREE.encode(),
            "__MACOSX/._hca.txt": b"x",
        }
    )
    review = audit_portfolio([("portfolio.zip", data)])
    assert [d.name for d in review.documents] == [
        "portfolio.zip/jds/hca.txt",
        "portfolio.zip/jds/senior.txt",
    ]
    assert [f.kind for f in review.flags] == ["above profile"]
    assert "1 hidden or system file(s) skipped" in review.notes[0]


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = zipped({"big.txt": b"0" * (30 * 1024 * 1024)})  # about 1000:1
    with pytest.raises(InputDataError) as caught:
        audit_portfolio([("jds.zip", bomb)])
    assert str(caught.value).startswith("jds.zip: the zip archive was refused (compression ratio")


def test_a_damaged_zip_is_refused_with_its_name():
    with pytest.raises(InputDataError) as caught:
        audit_portfolio([("jds.zip", b"PK\x03\x04 not really a zip")])
    assert str(caught.value).startswith("jds.zip: the zip archive is damaged")


def test_nothing_to_read(tmp_path):
    with pytest.raises(InputDataError) as caught:
        audit_portfolio(tmp_path)
    assert str(caught.value) == inputs.MSG_NOTHING.format(what=str(tmp_path))


def test_a_missing_path(tmp_path):
    with pytest.raises(InputDataError) as caught:
        audit_portfolio(tmp_path / "nope")
    assert str(caught.value) == inputs.MSG_MISSING.format(path=str(tmp_path / "nope"))


def test_bands_file_gives_bands_and_notes_disagreement_and_unused_rows(tmp_path):
    write(tmp_path / "jds", {"hca.txt": GOOD, "plain.txt": "Care assistant\nEssential\n- Kind\n"})
    bands = tmp_path / "bands.csv"
    bands.write_text("File,Band\nhca.txt,3\nplain.txt,Band 2\nold.txt,4\n", encoding="utf-8")
    review = audit_portfolio(tmp_path / "jds", bands=bands)
    assert {d.name: (d.band, d.band_source) for d in review.documents} == {
        "hca.txt": (3, "bands file"),
        "plain.txt": (2, "bands file"),
    }
    hca = next(d for d in review.documents if d.name == "hca.txt")
    assert hca.notes == (NOTE_BAND_DIFFERS.format(file="hca.txt", given=3, found="Band 2"),)
    assert review.notes == (
        inputs.NOTE_BANDS_UNMATCHED.format(file=str(bands), n=1, names="old.txt"),
    )


def test_a_bands_file_inside_the_folder_is_not_read_as_a_description(tmp_path):
    write(tmp_path, {"hca.txt": GOOD, "bands.csv": "file,band\nhca.txt,2\n"})
    review = audit_portfolio(tmp_path, bands=tmp_path / "bands.csv")
    assert [d.name for d in review.documents] == ["hca.txt"]
    assert review.exclusions == ()


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        (
            "document;band\nhca.txt;2\n",
            inputs.MSG_BANDS_COLUMNS.format(file="bands.csv", found=["document;band"]),
        ),
        (
            "file,grade\nhca.txt,2\n",
            inputs.MSG_BANDS_COLUMNS.format(file="bands.csv", found=["file", "grade"]),
        ),
        (
            "file,band\nhca.txt,two\n",
            inputs.MSG_BANDS_VALUE.format(file="bands.csv", row=2, value="two"),
        ),
        (
            "file,band\nhca.txt,12\n",
            inputs.MSG_BANDS_VALUE.format(file="bands.csv", row=2, value="12"),
        ),
        (
            "file,band\nhca.txt,2\nhca.txt,3\n",
            inputs.MSG_BANDS_TWICE.format(
                file="bands.csv", row=3, name="hca.txt", first=2, second=3
            ),
        ),
    ],
)
def test_unusable_bands_files_are_refused_with_the_row_and_the_fix(csv, message):
    with pytest.raises(InputDataError) as caught:
        audit_portfolio([("hca.txt", GOOD.encode())], bands=csv.encode(), bands_name="bands.csv")
    assert str(caught.value) == message


def test_an_unreadable_bands_path(tmp_path):
    with pytest.raises(InputDataError) as caught:
        audit_portfolio([("hca.txt", GOOD.encode())], bands=tmp_path / "missing.csv")
    assert str(caught.value) == MSG_BANDS_UNREADABLE.format(
        file=str(tmp_path / "missing.csv"), reason="No such file or directory"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [("hca.txt", "hca.txt"), ("jds.zip/ward/hca.txt", "ward/hca.txt"), ("x/y/z.txt", None)],
)
def test_band_for_matches_a_path_or_its_tail(name, expected):
    assert inputs.band_for(name, {"hca.txt": 2, "ward/hca.txt": 3}) == expected


def pdf_with_text(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (built by hand, no PDF library)."""
    stream = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({t}) Tj 0 -16 Td" for t in lines) + " ET"
    bodies = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    data, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(data))
        data += f"{number} 0 obj\n{body}\nendobj\n".encode()
    start = len(data)
    data += f"xref\n0 {len(bodies) + 1}\n0000000000 65535 f \n".encode()
    data += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    data += (
        f"trailer\n<< /Size {len(bodies) + 1} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n".encode()
    )
    return data


def test_pdf_descriptions_are_read_and_a_scanned_one_is_left_out():
    good = pdf_with_text(["Job title: Senior HCSW", "Band 3", "Essential", "- A degree in nursing"])
    scanned = pdf_with_text([])
    review = audit_portfolio([("senior.pdf", good), ("scan.pdf", scanned)])
    (document,) = review.documents
    assert (document.title, document.band, document.status("degree")) == (
        "Senior HCSW",
        3,
        "essential",
    )
    assert [e.name for e in review.exclusions] == ["scan.pdf"]
    assert "no text layer" in review.exclusions[0].reason


def test_a_text_too_long_for_one_document_is_left_out():
    from bias_audit.text.advert import MAX_TEXT_CHARS, MSG_TOO_LONG

    huge = ("Kind and patient. " * (MAX_TEXT_CHARS // 18 + 10)).encode()
    review = audit_portfolio([("hca.txt", GOOD.encode()), ("huge.txt", huge)])
    assert [d.name for d in review.documents] == ["hca.txt"]
    assert review.exclusions[0].reason == MSG_TOO_LONG.format(
        source="huge.txt", chars=len(huge), limit=MAX_TEXT_CHARS
    )
