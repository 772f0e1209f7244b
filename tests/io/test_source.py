"""Opening a user's file: one wording for both readers, naming the file and the fix.

Each message is checked once in full, by hand, for an extract and for an advert, through the
readers' public entry points (``read_funnel``, ``read_advert``) as well as ``open_source``.
"""

import io

import pytest

from bias_audit.errors import InputDataError, OptionError
from bias_audit.io.adverts import ADVERT_FILE, read_advert
from bias_audit.io.extract import read_funnel
from bias_audit.io.files import EXTRACT_FILE
from bias_audit.io.source import (
    MSG_BAD_SIZE,
    MSG_EMPTY,
    MSG_NOT_A_FILE,
    MSG_NOT_FOUND,
    MSG_TOO_BIG,
    MSG_UNREADABLE,
    human_size,
    open_source,
    parse_size,
    too_big_message,
)

TEXT = b"Ethnic Origin,Application Status\nA,Appointed\nN,Withdrawn\n"
READERS = {"extract": read_funnel, "advert": read_advert}


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        (
            "extract",
            "e.csv: the file is empty. Check that you chose the file that holds a recruitment "
            "extract, or save it again.",
        ),
        (
            "advert",
            "e.csv: the file is empty. Check that you chose the file that holds an advert, or "
            "save it again.",
        ),
    ],
)
@pytest.mark.parametrize("data", [b"", b"   \r\n\n \t \n"], ids=["no-bytes", "blank-space"])
def test_an_empty_file_is_refused_in_the_same_words_by_both_readers(reader, expected, data):
    with pytest.raises(InputDataError) as caught:
        READERS[reader](data, name="e.csv")
    assert str(caught.value) == expected


def test_a_large_blank_file_is_empty_too(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(b" " * 5000 + b"\n" * 5000)  # past the first 4 KB looked at
    with pytest.raises(InputDataError) as caught:
        open_source(path, kind=EXTRACT_FILE)
    assert str(caught.value) == MSG_EMPTY.format(file="blank.csv", what="a recruitment extract")


@pytest.mark.parametrize("reader", ["extract", "advert"])
def test_a_missing_path_is_named_as_given(tmp_path, reader):
    path = tmp_path / "nope.csv"
    with pytest.raises(InputDataError) as caught:
        READERS[reader](path)
    assert str(caught.value) == f"{path}: file not found. Check the path and try again."
    assert MSG_NOT_FOUND.format(file=path) == str(caught.value)


@pytest.mark.parametrize(
    ("reader", "what"), [("extract", "a recruitment extract"), ("advert", "an advert")]
)
def test_a_folder_is_not_a_file(tmp_path, reader, what):
    with pytest.raises(InputDataError) as caught:
        READERS[reader](tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: is a folder, not a file. Give the path of the file that holds {what}."
    )
    assert str(caught.value) == MSG_NOT_A_FILE.format(file=tmp_path, what=what)


@pytest.mark.parametrize("kind", [EXTRACT_FILE, ADVERT_FILE], ids=["extract", "advert"])
def test_a_path_that_cannot_be_opened_says_why(tmp_path, kind):
    inside_a_file = tmp_path / "a.txt" / "b.txt"
    (tmp_path / "a.txt").write_bytes(b"x")
    with pytest.raises(InputDataError) as caught:
        open_source(inside_a_file, kind=kind)
    assert str(caught.value) == MSG_UNREADABLE.format(file=inside_a_file, reason="Not a directory")


def test_too_big_for_an_extract_suggests_a_max_size(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(TEXT * 100)  # 5,700 bytes
    with pytest.raises(InputDataError) as caught:
        read_funnel(path, max_bytes=1024)
    assert str(caught.value) == (
        "big.csv: the file is 5.6 KB, over the 1 KB limit for a recruitment extract. Export a "
        "shorter period or fewer columns, or, if you trust the file, raise the limit with "
        "--max-size 1MB (in Python: max_bytes=)."
    )


def test_too_big_for_an_advert_says_how_to_make_it_smaller(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(ADVERT_FILE.max_bytes + 1)  # sparse: nothing is written
    with pytest.raises(InputDataError) as caught:
        read_advert(path)
    assert str(caught.value) == (
        f"{path}: the file is 10 MB, over the 10 MB limit for an advert. Save just the "
        "advert or person specification as a smaller file, or paste the text."
    )


@pytest.mark.parametrize("kind", [EXTRACT_FILE, ADVERT_FILE], ids=["extract", "advert"])
def test_an_upload_over_the_limit_is_read_no_further(kind):
    upload = io.BytesIO(b"x" * 5000)
    with pytest.raises(InputDataError, match=r"^big\.csv: the file is 1001 bytes, over"):
        open_source(upload, kind=kind, name="big.csv", max_bytes=1000)
    assert upload.tell() == 1001


@pytest.mark.parametrize(
    ("size", "limit", "shown", "suggest"),
    [
        (300 * 2**20, 250 * 2**20, ("300 MB", "250 MB"), "400MB"),
        (2**20 + 5, 2**20, ("1 MB", "1 MB"), "2MB"),
        (1536 * 2**20, 2**30, ("1.5 GB", "1 GB"), "1.6GB"),
    ],
)
def test_too_big_message_suggests_a_max_size_that_fits(size, limit, shown, suggest):
    message = too_big_message("x.csv", size, limit, kind=EXTRACT_FILE)
    assert message == MSG_TOO_BIG.format(
        file="x.csv",
        size=shown[0],
        limit=shown[1],
        what="a recruitment extract",
        fix="Export a shorter period or fewer columns, or, if you trust the file, raise the "
        f"limit with --max-size {suggest} (in Python: max_bytes=)",
    )
    assert parse_size(suggest) > size


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("500MB", 500 * 2**20),
        ("500 mb", 500 * 2**20),
        ("1.5GB", 1536 * 2**20),
        ("800k", 800 * 1024),
        ("2048", 2048),
        ("1 GiB", 2**30),
    ],
)
def test_parse_size_reads_human_sizes(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "big", "-5MB", "0", "5 parsecs", "1.2.3MB"])
def test_parse_size_refuses_non_sizes(text):
    with pytest.raises(OptionError) as caught:
        parse_size(text)
    assert str(caught.value) == MSG_BAD_SIZE.format(value=text)


@pytest.mark.parametrize(
    ("n", "shown"),
    [(0, "0 bytes"), (1023, "1023 bytes"), (1024, "1 KB"), (1536, "1.5 KB"), (2**30, "1 GB")],
)
def test_human_size(n, shown):
    assert human_size(n) == shown


@pytest.mark.parametrize(
    ("kind", "unnamed"), [(EXTRACT_FILE, "uploaded file"), (ADVERT_FILE, "pasted text")]
)
def test_bytes_without_a_name_are_called_by_the_readers_word(kind, unnamed):
    assert open_source(TEXT, kind=kind).name == unnamed
