"""The shared safety checks: zip/XML bombs, Office magic, text encodings, binary junk."""

import io
import struct
import zipfile
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bias_audit.io import safety
from bias_audit.io.safety import UnsafeFile, ZipLimits

ROOMY = ZipLimits(max_entries=10, max_expanded=2**20, max_ratio=1000)
ROOT = b'<root xmlns="urn:x"><a>1</a></root>'
DTD = b'<!DOCTYPE r [<!ENTITY e "x">]>'


def archive(parts: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as target:
        for name, body in parts.items():
            target.writestr(name, body)
    buffer.seek(0)
    return buffer


def refusal(parts: dict[str, bytes], limits: ZipLimits = ROOMY) -> UnsafeFile:
    with pytest.raises(UnsafeFile) as caught:
        safety.check_zip(archive(parts), limits=limits)
    return caught.value


@pytest.mark.parametrize(
    "body",
    [
        ROOT,
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + ROOT,
        b"\xef\xbb\xbf<?xml version='1.0'?>" + ROOT,
        b"<!-- made by hand -->\n<?pi x?>" + ROOT,
        # A DOCTYPE *inside* the body (as text) is not a declaration.
        b"<root>&lt;!DOCTYPE x&gt; <!-- <!DOCTYPE y> --></root>",
        '<?xml version="1.0" encoding="UTF-16"?><root/>'.encode("utf-16"),
    ],
)
def test_genuine_xml_parts_pass(body):
    infos = safety.check_zip(archive({"a.xml": body, "b.bin": b"\0" * 10}), limits=ROOMY)
    assert [i.filename for i in infos] == ["a.xml", "b.bin"]


@pytest.mark.parametrize(
    "body",
    [
        DTD + ROOT,
        b'<?xml version="1.0"?>\n' + DTD + ROOT,
        b"<?xml version='1.0'?><!-- hide -->\n  <!-- and again -->" + DTD + ROOT,
        b"<! DOCTYPE r>" + ROOT,
        b'<!ENTITY e "x">' + ROOT,
        b"\xef\xbb\xbf" + DTD + ROOT,
        ('<?xml version="1.0" encoding="UTF-16"?>' + DTD.decode() + "<root/>").encode("utf-16"),
    ],
)
def test_dtd_in_the_prolog_is_refused(body):
    refused = refusal({"ok.xml": ROOT, "word/document.xml": body})
    assert refused.problem == "xml_dtd"
    assert refused.why == "word/document.xml"


def test_dtd_hidden_behind_a_long_comment_is_refused():
    body = b"<!--" + b"x" * safety.MAX_PROLOG_BYTES + b"-->" + DTD + ROOT
    assert refusal({"a.xml": body}).problem == "bomb"


def test_rels_parts_are_checked_and_other_parts_are_not():
    assert refusal({"_rels/.rels": DTD + ROOT}).problem == "xml_dtd"
    safety.check_zip(archive({"media/image.png": DTD}), limits=ROOMY)


@pytest.mark.parametrize(
    ("parts", "limits", "why"),
    [
        ({f"p{i}.bin": b"" for i in range(11)}, ROOMY, "11 parts"),
        ({"a.bin": b"\0" * (2**20 + 1)}, ROOMY, "over 1 MB expanded"),
        ({"a.bin": b"\0" * 100_000}, ZipLimits(10, 2**20, 50), "compression ratio"),
    ],
)
def test_declared_sizes_refuse_bombs(parts, limits, why):
    refused = refusal(parts, limits)
    assert refused.problem == "bomb"
    assert refused.why.startswith(why)
    assert refused.expanded == sum(len(b) for b in parts.values())


def test_ratio_is_not_judged_below_the_floor():
    parts = {"a.bin": b"\0" * 100_000}
    safety.check_zip(archive(parts), limits=ZipLimits(10, 2**20, 50, ratio_floor=200_000))


def test_bombs_are_judged_before_anything_is_decompressed():
    # Declared sizes rewritten to 4 GB: refused from the directory alone.
    data = bytearray(archive({"a.xml": ROOT}).getvalue())
    at = data.find(b"PK\x01\x02")
    data[at + 24 : at + 28] = struct.pack("<I", 2**32 - 1)
    with pytest.raises(UnsafeFile) as caught:
        safety.check_zip(io.BytesIO(bytes(data)), limits=ROOMY)
    assert caught.value.problem == "bomb"
    assert caught.value.expanded == 2**32 - 1


def test_a_part_larger_than_declared_is_damaged():
    small, big = b"<r/>", b"<r>" + b" " * 200_000 + b"</r>"
    data = bytearray(archive({"a.xml": big}).getvalue())
    for signature, crc_at in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
        at = data.find(signature)
        data[at + crc_at : at + crc_at + 4] = struct.pack("<I", zlib.crc32(small))
        data[at + crc_at + 8 : at + crc_at + 12] = struct.pack("<I", len(small))
    with pytest.raises(UnsafeFile) as caught:
        safety.check_zip(io.BytesIO(bytes(data)), limits=ROOMY)
    assert caught.value.problem == "damaged"


@pytest.mark.parametrize("data", [b"", b"not a zip", safety.OLE2_MAGIC + bytes(600)])
def test_not_a_zip(data):
    with pytest.raises(UnsafeFile) as caught:
        safety.check_zip(io.BytesIO(data), limits=ROOMY)
    assert caught.value.problem == "not_zip"


@pytest.mark.parametrize(
    ("head", "expected"),
    [(safety.OLE2_MAGIC, True), (safety.OLE2_MAGIC[:7], False), (b"PK\x03\x04", False)],
)
def test_ole2_magic(head, expected):
    assert safety.is_ole2(head) is expected


TEXT = "Ethnic Origin,Status\nA White – British,Appointed\n"


@pytest.mark.parametrize(
    ("data", "encoding", "bom"),
    [
        (TEXT.encode("utf-8"), "utf-8", False),
        (TEXT.encode("utf-8-sig"), "utf-8", True),
        (TEXT.encode("utf-16"), "utf-16", True),
        (TEXT.encode("utf-16-be").join([b"\xfe\xff", b""]), "utf-16", True),
        (TEXT.encode("cp1252"), "cp1252", False),
        (TEXT.encode("cp1252") + b"\x81\n", "latin-1", False),
        (b"", "utf-8", False),
    ],
)
def test_encoding_chain(data, encoding, bom):
    assert safety.detect_encoding(lambda: [data]) == (encoding, bom)


def test_encoding_is_judged_over_every_block():
    # The first block is plain ASCII; only a later one shows the file is cp1252.
    blocks = [b"Ethnicity,Status\n" * 10, "B – Irish,Appointed\n".encode("cp1252")]
    assert safety.detect_encoding(lambda: iter(blocks)) == ("cp1252", False)


@given(st.text())
def test_decode_round_trips_utf8(text):
    assert safety.decode_bytes(text.encode("utf-8")) == (text.removeprefix("\ufeff"), "utf-8")


@given(st.text(alphabet=st.characters(codec="cp1252")))
def test_decode_never_fails_on_cp1252(text):
    decoded, encoding = safety.decode_bytes(text.encode("cp1252"))
    assert encoding in ("utf-8", "cp1252")
    if encoding == "cp1252":
        assert decoded == text


@given(st.binary(max_size=300))
def test_decode_never_raises_without_a_utf16_bom(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    decoded, _ = safety.decode_bytes(data)
    assert isinstance(decoded, str)


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        (b"Band 3\tHCSW\r\n\x0c", True),
        ("Café – £24,071\n", True),
        (b"a\x00b", False),
        (b"x" * 300 + b"\x07\x07\x07", True),  # 3 of 303: within max(2, 1%)
        (b"x" * 100 + b"\x07\x07\x07", False),
        (bytes(range(1, 9)) * 40, False),
        ("\x07\x07\x07", False),
    ],
)
def test_looks_like_text(sample, expected):
    assert safety.looks_like_text(sample) is expected


@given(st.text())
def test_blank_controls_keeps_offsets(text):
    blanked = safety.blank_controls(text)
    assert len(blanked) == len(text)
    assert safety.looks_like_text(blanked)


@pytest.mark.parametrize("garbage", [b"\xff" * 8, b"\x00\x01\x02\x03", b"\x07" * 16])
def test_corrupt_compressed_xml_is_damaged_not_a_crash(garbage):
    data = bytearray(archive({"a.xml": ROOT * 50}).getvalue())
    start = 30 + len("a.xml")  # the local header, then the name, then the deflated bytes
    data[start : start + len(garbage)] = garbage
    with pytest.raises(UnsafeFile) as caught:
        safety.check_zip(io.BytesIO(bytes(data)), limits=ROOMY)
    assert caught.value.problem == "damaged"
    assert caught.value.why.startswith("a.xml: ")
