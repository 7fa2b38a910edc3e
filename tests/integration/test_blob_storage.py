"""Both BlobStorage implementations against the same contract: local files and S3 over HTTP.

S3 is moto's server on a free local port, reached by a real boto3 client over real HTTP, so
signing, path-style addressing, pagination and error codes all go through the wire.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from moto.server import ThreadedMotoServer

from core.ports.storage import BlobNotFoundError, BlobStorage, InvalidBlobKeyError
from db.storage import (
    InvalidStorageUrlError,
    LocalBlobStorage,
    S3BlobStorage,
    create_blob_storage,
    create_s3_client,
)

JPEG = "image/jpeg"
BAD_KEYS = [
    "../x",
    "users/../../etc/passwd",
    "/abs",
    "/etc/passwd",
    "a\\b",
    "..\\x",
    "",
    "a//b",
    "trailing/",
    ".hidden",
    "users/./x",
    "C:/x",
    "users/42/фото.jpg",
    "nul\x00byte",
    "x" * 1025,
]


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    with pytest.MonkeyPatch.context() as env:
        # Dummy credentials: botocore refuses to sign without some, and real ones from a
        # developer's environment must never be sent anywhere, not even to localhost.
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_SESSION_TOKEN", "testing")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.delenv("AWS_PROFILE", raising=False)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@pytest.fixture(scope="session")
def s3_client(moto_endpoint: str) -> Any:
    return create_s3_client(moto_endpoint)


async def _new_s3_storage(client: Any, *, prefix: str = "") -> S3BlobStorage:
    storage = S3BlobStorage(client, f"test-{uuid.uuid4().hex[:12]}", prefix=prefix)
    await storage.ensure_bucket()
    return storage


@pytest_asyncio.fixture(params=["local", "s3"])
async def storage(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[LocalBlobStorage | S3BlobStorage]:
    if request.param == "local":
        yield LocalBlobStorage(tmp_path / "files")
    else:
        # A bucket per test: tests never see each other's objects.
        yield await _new_s3_storage(request.getfixturevalue("s3_client"))


async def test_put_then_get_returns_the_bytes(storage: BlobStorage) -> None:
    await storage.put("users/42/pets/7/photo-1.jpg", b"\xff\xd8\xffphoto", JPEG)
    assert await storage.get("users/42/pets/7/photo-1.jpg") == b"\xff\xd8\xffphoto"


async def test_put_replaces_the_previous_bytes(storage: BlobStorage) -> None:
    await storage.put("users/1/a.pdf", b"old", "application/pdf")
    await storage.put("users/1/a.pdf", b"new", "application/pdf")
    assert await storage.get("users/1/a.pdf") == b"new"
    assert await storage.list_keys("users/1/") == ["users/1/a.pdf"]


async def test_empty_and_binary_blobs_round_trip(storage: BlobStorage) -> None:
    payload = bytes(range(256)) * 64
    await storage.put("bin/all-bytes", payload, "application/octet-stream")
    await storage.put("bin/empty", b"", "application/octet-stream")
    assert await storage.get("bin/all-bytes") == payload
    assert await storage.get("bin/empty") == b""


async def test_exists_follows_put_and_delete(storage: BlobStorage) -> None:
    assert not await storage.exists("users/5/x.jpg")
    await storage.put("users/5/x.jpg", b"x", JPEG)
    assert await storage.exists("users/5/x.jpg")
    # A "folder" is not a blob.
    assert not await storage.exists("users/5")
    await storage.delete("users/5/x.jpg")
    assert not await storage.exists("users/5/x.jpg")


async def test_delete_is_idempotent(storage: BlobStorage) -> None:
    await storage.put("users/5/x.jpg", b"x", JPEG)
    await storage.delete("users/5/x.jpg")
    await storage.delete("users/5/x.jpg")
    await storage.delete("never/was/there.jpg")
    with pytest.raises(BlobNotFoundError):
        await storage.get("users/5/x.jpg")


async def test_get_of_a_missing_key_raises_blob_not_found(storage: BlobStorage) -> None:
    with pytest.raises(BlobNotFoundError) as caught:
        await storage.get("users/9/missing.jpg")
    assert caught.value.key == "users/9/missing.jpg"


async def test_list_keys_matches_prefixes_by_string_like_s3(storage: BlobStorage) -> None:
    keys = ["users/4/a.jpg", "users/42/b.jpg", "users/42/pets/7/c.jpg", "users/5/d.jpg"]
    for key in keys:
        await storage.put(key, b"1", JPEG)

    assert await storage.list_keys("users/42/") == ["users/42/b.jpg", "users/42/pets/7/c.jpg"]
    assert await storage.list_keys("users/4") == keys[:3]
    assert await storage.list_keys("users/42/pets/7/c") == ["users/42/pets/7/c.jpg"]
    assert await storage.list_keys("") == keys
    assert await storage.list_keys("nobody/") == []


async def test_delete_prefix_removes_one_users_files_only(storage: BlobStorage) -> None:
    mine = [f"users/42/pets/{n}/photo-{n}.jpg" for n in range(5)] + ["users/42/export.pdf"]
    others = ["users/420/keep.jpg", "users/4/keep.jpg"]
    await asyncio.gather(*(storage.put(key, b"x", JPEG) for key in mine + others))

    assert await storage.delete_prefix("users/42/") == len(mine)

    assert await storage.list_keys("users/") == sorted(others)
    assert await storage.delete_prefix("users/42/") == 0


async def test_delete_prefix_over_a_thousand_objects_pages_and_batches(
    s3_client: Any,
) -> None:
    # 1005 objects: two ListObjectsV2 pages and two DeleteObjects batches (1000 + 5).
    storage = await _new_s3_storage(s3_client)
    keys = [f"users/7/photos/p-{n:04d}.jpg" for n in range(1005)]
    await asyncio.gather(*(storage.put(key, b"x", JPEG) for key in keys))
    await storage.put("users/8/keep.jpg", b"x", JPEG)
    assert len(await storage.list_keys("users/7/")) == 1005

    batches: list[int] = []

    def count_batch(params: dict[str, Any], **_: Any) -> None:
        batches.append(len(params["Delete"]["Objects"]))

    # Spy on the API calls botocore is about to make (the client is shared: unregister after).
    event = "provide-client-params.s3.DeleteObjects"
    s3_client.meta.events.register(event, count_batch, unique_id="count-batches")
    try:
        assert await storage.delete_prefix("users/7/") == 1005
    finally:
        s3_client.meta.events.unregister(event, unique_id="count-batches")

    assert batches == [1000, 5]
    assert await storage.list_keys("") == ["users/8/keep.jpg"]


async def test_delete_prefix_refuses_to_wipe_everything(storage: BlobStorage) -> None:
    await storage.put("users/1/a.jpg", b"x", JPEG)
    with pytest.raises(InvalidBlobKeyError):
        await storage.delete_prefix("")
    assert await storage.exists("users/1/a.jpg")


@pytest.mark.parametrize("key", BAD_KEYS)
async def test_unsafe_keys_are_refused_by_every_method(storage: BlobStorage, key: str) -> None:
    with pytest.raises(InvalidBlobKeyError):
        await storage.put(key, b"x", JPEG)
    with pytest.raises(InvalidBlobKeyError):
        await storage.get(key)
    with pytest.raises(InvalidBlobKeyError):
        await storage.exists(key)
    with pytest.raises(InvalidBlobKeyError):
        await storage.delete(key)


@pytest.mark.parametrize("prefix", ["../", "/abs/", "a\\b/", "users/../"])
async def test_unsafe_prefixes_are_refused(storage: BlobStorage, prefix: str) -> None:
    with pytest.raises(InvalidBlobKeyError):
        await storage.list_keys(prefix)
    with pytest.raises(InvalidBlobKeyError):
        await storage.delete_prefix(prefix)


async def test_local_traversal_never_touches_outside_root(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"top secret")
    storage = LocalBlobStorage(tmp_path / "files")

    for key in ("../secret.txt", "files/../../secret.txt"):
        with pytest.raises(InvalidBlobKeyError):
            await storage.get(key)
        with pytest.raises(InvalidBlobKeyError):
            await storage.delete(key)
    assert secret.read_bytes() == b"top secret"


async def test_local_refuses_a_symlink_that_leads_out_of_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.jpg").write_bytes(b"outside")
    root = tmp_path / "files"
    root.mkdir()
    (root / "link").symlink_to(outside, target_is_directory=True)
    storage = LocalBlobStorage(root)

    with pytest.raises(InvalidBlobKeyError):
        await storage.get("link/x.jpg")
    with pytest.raises(InvalidBlobKeyError):
        await storage.put("link/y.jpg", b"y", JPEG)
    assert not (outside / "y.jpg").exists()


async def test_local_write_creates_folders_and_leaves_no_temp_files(tmp_path: Path) -> None:
    storage = LocalBlobStorage(tmp_path / "files")
    await asyncio.gather(*(storage.put("a/b/c/x.jpg", bytes([n]) * 1000, JPEG) for n in range(8)))

    files = sorted(path.name for path in (tmp_path / "files" / "a" / "b" / "c").iterdir())
    assert files == ["x.jpg"]
    data = await storage.get("a/b/c/x.jpg")
    # Whichever write won, it won whole: atomic replace, never interleaved bytes.
    assert len(data) == 1000
    assert len(set(data)) == 1


async def test_local_delete_prunes_empty_folders(tmp_path: Path) -> None:
    storage = LocalBlobStorage(tmp_path / "files")
    await storage.put("users/42/pets/7/a.jpg", b"x", JPEG)
    await storage.put("users/43/b.jpg", b"x", JPEG)

    await storage.delete_prefix("users/42/")

    assert not (tmp_path / "files" / "users" / "42").exists()
    assert (tmp_path / "files" / "users" / "43" / "b.jpg").exists()
    assert (tmp_path / "files").is_dir()


async def test_s3_put_records_the_content_type(s3_client: Any) -> None:
    storage = await _new_s3_storage(s3_client)
    await storage.put("users/1/scan.pdf", b"%PDF-1.7", "application/pdf")
    head = await asyncio.to_thread(
        s3_client.head_object, Bucket=storage.bucket, Key="users/1/scan.pdf"
    )
    assert head["ContentType"] == "application/pdf"


async def test_s3_prefix_scopes_every_key(s3_client: Any) -> None:
    storage = await _new_s3_storage(s3_client, prefix="/telemed/prod/")
    await storage.put("users/1/a.jpg", b"x", JPEG)

    listed = await asyncio.to_thread(s3_client.list_objects_v2, Bucket=storage.bucket)
    assert [item["Key"] for item in listed["Contents"]] == ["telemed/prod/users/1/a.jpg"]
    assert await storage.list_keys("") == ["users/1/a.jpg"]
    assert await storage.delete_prefix("users/") == 1


async def test_ensure_bucket_is_idempotent(s3_client: Any) -> None:
    storage = await _new_s3_storage(s3_client)
    await storage.ensure_bucket()
    await storage.put("a.jpg", b"x", JPEG)
    assert await storage.exists("a.jpg")


def test_factory_builds_local_storage_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    storage = create_blob_storage("file://var/files", None)
    assert isinstance(storage, LocalBlobStorage)
    assert storage.root == tmp_path.resolve() / "var" / "files"


def test_factory_builds_local_storage_from_an_absolute_path(tmp_path: Path) -> None:
    storage = create_blob_storage(f"file://{tmp_path}/blobs", None)
    assert isinstance(storage, LocalBlobStorage)
    assert storage.root == tmp_path.resolve() / "blobs"


async def test_factory_builds_s3_storage_on_the_endpoint(moto_endpoint: str) -> None:
    bucket = f"factory-{uuid.uuid4().hex[:12]}"
    storage = create_blob_storage(f"s3://{bucket}/pfx", moto_endpoint)
    assert isinstance(storage, S3BlobStorage)
    assert storage.bucket == bucket
    await storage.ensure_bucket()
    await storage.put("users/1/a.jpg", b"via factory", JPEG)
    assert await storage.get("users/1/a.jpg") == b"via factory"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://host/files",
        "gs://bucket",
        "var/files",
        "file://",
        "s3://",
        "s3://Bad_Bucket",
        "s3://ab",
        "s3://bucket/../x",
        "s3://bucket?x=1",
    ],
)
def test_factory_refuses_unknown_or_malformed_urls(url: str) -> None:
    with pytest.raises(InvalidStorageUrlError, match="STORAGE_URL"):
        create_blob_storage(url, None)
