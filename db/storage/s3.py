"""BlobStorage on S3 or any S3-compatible service (MinIO, Ceph, Yandex Object Storage, moto)."""

from __future__ import annotations

import asyncio
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from core.ports.storage import (
    BlobNotFoundError,
    InvalidBlobKeyError,
    validate_key,
    validate_prefix,
)

# boto3 ships no type stubs and mypy-boto3-s3 is not a dependency; the client is dynamic.
S3Client = Any

# DeleteObjects takes at most 1000 keys per request (an S3 limit).
DELETE_BATCH_SIZE = 1000
_NOT_FOUND_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


def create_s3_client(endpoint_url: str | None, *, region_name: str | None = None) -> S3Client:
    """A thread-safe S3 client; credentials come from the usual AWS environment/config chain.

    Build one per process (dishka app scope) and share it: boto3 clients are thread-safe,
    and `S3BlobStorage` calls it from worker threads.
    """
    s3_options: dict[str, str] = {}
    if endpoint_url is not None:
        # Self-hosted S3 (MinIO, moto) rarely has wildcard DNS for virtual-hosted buckets.
        s3_options["addressing_style"] = "path"
    config = Config(
        # "standard" retries throttling and transient 5xx with backoff, not only connections.
        retries={"max_attempts": 5, "mode": "standard"},
        connect_timeout=5,
        # Reads of 20 MB documents over a slow link; a hung server still fails in bounded time.
        read_timeout=60,
        # asyncio.to_thread's default executor runs up to 32 threads; match its order.
        max_pool_connections=32,
        s3=s3_options,
        # botocore >= 1.36 adds CRC checksums to every upload by default, which several
        # S3-compatible servers reject; send them only where the API requires them.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    # A private session: boto3's default session is a module global and not thread-safe.
    session = boto3.session.Session(region_name=region_name)
    return session.client("s3", endpoint_url=endpoint_url, config=config)


class S3BlobStorage:
    """Blobs as objects of one bucket, optionally under a key prefix (`s3://bucket/prefix`).

    boto3 is synchronous: every call runs in `asyncio.to_thread`.
    """

    def __init__(self, client: S3Client, bucket: str, *, prefix: str = "") -> None:
        self._client = client
        self._bucket = bucket
        # The store's own prefix joins keys with "/" whether or not the URL ended with one.
        self._prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""

    @property
    def bucket(self) -> str:
        return self._bucket

    async def ensure_bucket(self) -> None:
        """Create the bucket if it is missing (sandbox and tests; production provisions it)."""
        await asyncio.to_thread(self._ensure_bucket_sync)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        object_key = self._object_key(key)
        await asyncio.to_thread(
            self._client.put_object,
            Bucket=self._bucket,
            Key=object_key,
            Body=data,
            ContentType=content_type,
        )

    async def get(self, key: str) -> bytes:
        object_key = self._object_key(key)
        try:
            return await asyncio.to_thread(self._get_sync, object_key)
        except ClientError as error:
            if _error_code(error) in _NOT_FOUND_CODES:
                raise BlobNotFoundError(key) from None
            raise

    async def delete(self, key: str) -> None:
        object_key = self._object_key(key)
        # S3's DeleteObject succeeds for a missing key: idempotent as the port requires.
        await asyncio.to_thread(self._client.delete_object, Bucket=self._bucket, Key=object_key)

    async def delete_prefix(self, prefix: str) -> int:
        if not prefix:
            raise InvalidBlobKeyError(prefix, "refusing to delete everything")
        validate_prefix(prefix)
        return await asyncio.to_thread(self._delete_prefix_sync, self._prefix + prefix)

    async def exists(self, key: str) -> bool:
        object_key = self._object_key(key)
        try:
            await asyncio.to_thread(self._client.head_object, Bucket=self._bucket, Key=object_key)
        except ClientError as error:
            if _error_code(error) in _NOT_FOUND_CODES:
                return False
            raise
        return True

    async def list_keys(self, prefix: str) -> list[str]:
        validate_prefix(prefix)
        object_keys = await asyncio.to_thread(self._list_sync, self._prefix + prefix)
        return sorted(key.removeprefix(self._prefix) for key in object_keys)

    def _object_key(self, key: str) -> str:
        return self._prefix + validate_key(key)

    def _get_sync(self, object_key: str) -> bytes:
        response = self._client.get_object(Bucket=self._bucket, Key=object_key)
        # Reading the body is network I/O too, so it stays in this thread.
        body: bytes = response["Body"].read()
        return body

    def _list_sync(self, object_prefix: str) -> list[str]:
        paginator = self._client.get_paginator("list_objects_v2")
        keys: list[str] = []
        for page in paginator.paginate(Bucket=self._bucket, Prefix=object_prefix):
            keys.extend(item["Key"] for item in page.get("Contents", ()))
        return keys

    def _delete_prefix_sync(self, object_prefix: str) -> int:
        deleted = 0
        paginator = self._client.get_paginator("list_objects_v2")
        # Pages hold at most 1000 keys, so each page is one DeleteObjects batch. Deleting while
        # paginating is safe: the continuation token is a position in key order, not an offset.
        for page in paginator.paginate(
            Bucket=self._bucket,
            Prefix=object_prefix,
            PaginationConfig={"PageSize": DELETE_BATCH_SIZE},
        ):
            keys = [item["Key"] for item in page.get("Contents", ())]
            for start in range(0, len(keys), DELETE_BATCH_SIZE):
                batch = keys[start : start + DELETE_BATCH_SIZE]
                deleted += self._delete_batch(batch)
        return deleted

    def _delete_batch(self, object_keys: list[str]) -> int:
        response = self._client.delete_objects(
            Bucket=self._bucket,
            Delete={"Objects": [{"Key": key} for key in object_keys], "Quiet": True},
        )
        # DeleteObjects answers 200 even when some keys failed; the failures are in the body.
        errors = response.get("Errors", [])
        if errors:
            first = errors[0]
            raise S3DeleteError(
                f"{len(errors)} of {len(object_keys)} deletions failed, first: "
                f"{first.get('Key')!r} {first.get('Code')} {first.get('Message')}"
            )
        return len(object_keys)

    def _ensure_bucket_sync(self) -> None:
        try:
            self._client.head_bucket(Bucket=self._bucket)
            return
        except ClientError as error:
            if _error_code(error) not in _NOT_FOUND_CODES | {"NoSuchBucket"}:
                raise
        region = self._client.meta.region_name
        options: dict[str, Any] = {"Bucket": self._bucket}
        # us-east-1 is the one region that rejects an explicit LocationConstraint.
        if region and region != "us-east-1":
            options["CreateBucketConfiguration"] = {"LocationConstraint": region}
        try:
            self._client.create_bucket(**options)
        except ClientError as error:
            # Another process created it between the two calls.
            if _error_code(error) != "BucketAlreadyOwnedByYou":
                raise


class S3DeleteError(RuntimeError):
    """Some objects of a batch deletion could not be removed (permissions, object lock)."""


def _error_code(error: ClientError) -> str:
    code: str = error.response.get("Error", {}).get("Code", "")
    return code
