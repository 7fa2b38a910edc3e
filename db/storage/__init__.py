"""Blob storage (local files, S3) and the image sanitizer: the edges of `core.ports`."""

from db.storage.factory import InvalidStorageUrlError, create_blob_storage
from db.storage.images import PillowImageSanitizer
from db.storage.local import LocalBlobStorage
from db.storage.s3 import S3BlobStorage, create_s3_client

__all__ = [
    "InvalidStorageUrlError",
    "LocalBlobStorage",
    "PillowImageSanitizer",
    "S3BlobStorage",
    "create_blob_storage",
    "create_s3_client",
]
