"""Message ids for a refused upload, for every window that takes files (check, records)."""

from __future__ import annotations

from core.uploads import UploadRejectReason

# Full message ids, never built from parts: the locale test finds every id used in code.
UPLOAD_ERRORS: dict[UploadRejectReason, str] = {
    UploadRejectReason.EMPTY: "err-upload-empty",
    UploadRejectReason.TOO_LARGE: "err-upload-too-large",
    UploadRejectReason.UNSUPPORTED_TYPE: "err-upload-unsupported-type",
    UploadRejectReason.UNREADABLE_IMAGE: "err-upload-unreadable-image",
    UploadRejectReason.IMAGE_TOO_LARGE: "err-upload-image-too-large",
}
