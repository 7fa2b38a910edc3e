"""Blob storage (local files, S3) and the image sanitizer: the edges of `core.ports`."""

from typing import TYPE_CHECKING, Any

from db.storage.factory import InvalidStorageUrlError, create_blob_storage
from db.storage.images import PillowImageSanitizer
from db.storage.local import LocalBlobStorage

if TYPE_CHECKING:
    from db.storage.s3 import S3BlobStorage, create_s3_client

__all__ = [
    "InvalidStorageUrlError",
    "LocalBlobStorage",
    "PillowImageSanitizer",
    "S3BlobStorage",
    "create_blob_storage",
    "create_s3_client",
]


def __getattr__(name: str) -> Any:
    # The S3 names load on first use: boto3 is ~60 ms of a start, and a process that keeps its
    # files on disk (the sandbox) never needs it.
    if name in {"S3BlobStorage", "create_s3_client"}:
        from db.storage import s3

        return getattr(s3, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
