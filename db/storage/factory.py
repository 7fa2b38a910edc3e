"""Builds the BlobStorage that `STORAGE_URL` names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from core.ports.storage import BlobStorage, InvalidBlobKeyError, validate_prefix
from db.storage.local import LocalBlobStorage

if TYPE_CHECKING:
    from db.storage.s3 import S3BlobStorage

# S3's bucket naming rules, simplified: 3-63 of lowercase letters, digits, dots and hyphens.
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


class InvalidStorageUrlError(ValueError):
    def __init__(self, url: str, why: str) -> None:
        super().__init__(
            f"STORAGE_URL {url!r}: {why}; expected file://relative/dir, file:///absolute/dir "
            "or s3://bucket[/prefix]"
        )
        self.url = url


def create_blob_storage(storage_url: str, s3_endpoint_url: str | None = None) -> BlobStorage:
    """The storage for `storage_url`.

    `file://var/files` is relative to the current directory (resolved now, once);
    `file:///srv/files` is absolute; `s3://bucket[/prefix]` uses `s3_endpoint_url` when set
    (MinIO, moto) and AWS otherwise. The S3 bucket is not created here (see `ensure_bucket`).
    """
    scheme, separator, rest = storage_url.partition("://")
    if not separator:
        raise InvalidStorageUrlError(storage_url, "no scheme")
    scheme = scheme.lower()
    if scheme == "file":
        return _local(storage_url, rest)
    if scheme == "s3":
        return _s3(storage_url, s3_endpoint_url)
    raise InvalidStorageUrlError(storage_url, f"unknown scheme {scheme!r}")


def _local(storage_url: str, rest: str) -> LocalBlobStorage:
    # Not urlsplit: in file://var/files it would take "var" for a host name.
    if rest.startswith("localhost/"):
        rest = rest.removeprefix("localhost")
    if not rest.strip("/"):
        raise InvalidStorageUrlError(storage_url, "no directory")
    return LocalBlobStorage(Path(rest))


def _s3(storage_url: str, s3_endpoint_url: str | None) -> S3BlobStorage:
    parts = urlsplit(storage_url)
    bucket = parts.netloc
    if not _BUCKET.fullmatch(bucket) or ".." in bucket:
        raise InvalidStorageUrlError(storage_url, f"invalid bucket name {bucket!r}")
    if parts.query or parts.fragment:
        raise InvalidStorageUrlError(storage_url, "query and fragment are not supported")
    prefix = parts.path.strip("/")
    if prefix:
        # The prefix becomes part of every object key; it obeys the same rules as keys.
        try:
            validate_prefix(prefix)
        except InvalidBlobKeyError as error:
            raise InvalidStorageUrlError(storage_url, f"invalid prefix: {error.why}") from None
    # Imported here: boto3 is ~60 ms of a start, and the sandbox keeps its files on disk.
    from db.storage.s3 import S3BlobStorage, create_s3_client

    client = create_s3_client(s3_endpoint_url or None)
    return S3BlobStorage(client, bucket, prefix=prefix)
