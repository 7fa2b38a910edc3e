"""Upload checks: the type comes from the bytes, never from a name; limits are enforced."""

from __future__ import annotations

import io
import zipfile

import pytest

from core.uploads import (
    AVIF,
    DOCUMENT_POLICY,
    GIF,
    HEIC,
    HEIF,
    JPEG,
    PDF,
    PHOTO_POLICY,
    PNG,
    WEBP,
    UploadPolicy,
    UploadRejectedError,
    UploadRejectReason,
    check_upload,
    sniff_content_type,
)

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 32
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
GIF_BYTES = b"GIF89a\x01\x00\x01\x00" + b"\x00" * 16
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + b"\x00\x00\x00\x08mdat"


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", JPEG_BYTES)
    return buffer.getvalue()


def _rejection(data: bytes, policy: UploadPolicy) -> UploadRejectedError:
    with pytest.raises(UploadRejectedError) as caught:
        check_upload(data, policy)
    return caught.value


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (JPEG_BYTES, JPEG),
        (PNG_BYTES, PNG),
        (GIF_BYTES, GIF),
        (b"GIF87a" + b"\x00" * 8, GIF),
        (WEBP_BYTES, WEBP),
        (PDF_BYTES, PDF),
        (_ftyp(b"heic", b"mif1", b"heic"), HEIC),
        (_ftyp(b"mif1", b"mif1", b"heic"), HEIC),
        (_ftyp(b"mif1", b"mif1"), HEIF),
        (_ftyp(b"avif", b"mif1", b"miaf"), AVIF),
        (_ftyp(b"mif1", b"avif", b"mif1"), AVIF),
    ],
)
def test_type_is_sniffed_from_magic_bytes(data: bytes, expected: str) -> None:
    assert sniff_content_type(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, this is text",
        EXE_BYTES,
        _zip_bytes(),
        _ftyp(b"isom", b"isom", b"mp42"),  # an MP4 video
        b"RIFF\x24\x00\x00\x00WAVEfmt ",  # RIFF, but audio
        b"   %PDF-1.7 junk before the header",
        b"\x00\x00\x00\x0cftypheic",  # ftyp box shorter than its fixed part
    ],
)
def test_other_bytes_have_no_type(data: bytes) -> None:
    assert sniff_content_type(data) is None


def test_pdf_named_photo_jpg_is_a_pdf() -> None:
    # There is no name parameter at all: what the sender calls a file cannot matter.
    assert check_upload(PDF_BYTES, DOCUMENT_POLICY) == PDF


def test_pdf_is_refused_where_a_photo_is_expected() -> None:
    error = _rejection(PDF_BYTES, PHOTO_POLICY)
    assert error.reason is UploadRejectReason.UNSUPPORTED_TYPE
    assert error.detected == PDF


def test_jpeg_is_a_jpeg_whatever_its_name() -> None:
    assert check_upload(JPEG_BYTES, PHOTO_POLICY) == JPEG
    assert check_upload(JPEG_BYTES, DOCUMENT_POLICY) == JPEG


def test_empty_upload_is_refused_as_empty() -> None:
    assert _rejection(b"", PHOTO_POLICY).reason is UploadRejectReason.EMPTY


def test_upload_over_the_limit_is_too_large_with_the_limit_for_the_message() -> None:
    data = JPEG_BYTES + b"\x00" * PHOTO_POLICY.max_bytes
    error = _rejection(data, PHOTO_POLICY)
    assert error.reason is UploadRejectReason.TOO_LARGE
    assert error.max_bytes == PHOTO_POLICY.max_bytes
    assert error.max_mb == 10
    assert error.message_args["max_mb"] == 10


def test_upload_exactly_at_the_limit_passes() -> None:
    policy = UploadPolicy(max_bytes=len(JPEG_BYTES), allowed=frozenset({JPEG}))
    assert check_upload(JPEG_BYTES, policy) == JPEG


def test_document_limit_is_twenty_megabytes() -> None:
    big_pdf = PDF_BYTES + b"\x00" * (15 * 1024 * 1024)
    assert check_upload(big_pdf, DOCUMENT_POLICY) == PDF
    assert _rejection(big_pdf, PHOTO_POLICY).reason is UploadRejectReason.TOO_LARGE
    assert DOCUMENT_POLICY.max_bytes == 20 * 1024 * 1024


@pytest.mark.parametrize("data", [EXE_BYTES, _zip_bytes(), b"just some text"])
def test_executables_archives_and_text_are_unsupported(data: bytes) -> None:
    error = _rejection(data, DOCUMENT_POLICY)
    assert error.reason is UploadRejectReason.UNSUPPORTED_TYPE
    assert error.detected is None
    assert error.message_args["allowed"] == "AVIF, GIF, JPG, PDF, PNG, WEBP"


def test_heic_is_recognised_but_refused_because_it_cannot_be_re_encoded() -> None:
    error = _rejection(_ftyp(b"heic", b"mif1", b"heic"), PHOTO_POLICY)
    assert error.reason is UploadRejectReason.UNSUPPORTED_TYPE
    assert error.detected == HEIC


def test_reason_values_are_stable() -> None:
    # Dialogs and locale files key messages on these strings.
    assert {reason.value for reason in UploadRejectReason} == {
        "empty",
        "too_large",
        "unsupported_type",
        "unreadable_image",
        "image_too_large",
    }


def test_rejection_is_a_domain_error() -> None:
    from core.errors import DomainError

    assert isinstance(UploadRejectedError(UploadRejectReason.EMPTY), DomainError)


def test_policy_refuses_types_it_cannot_sniff() -> None:
    with pytest.raises(ValueError, match="cannot sniff"):
        UploadPolicy(max_bytes=1, allowed=frozenset({"application/zip"}))


def test_core_uploads_imports_only_the_standard_library() -> None:
    import ast
    import sys
    from pathlib import Path

    import core.uploads

    tree = ast.parse(Path(core.uploads.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    } | {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert imported - {"core", "__future__"} <= sys.stdlib_module_names
