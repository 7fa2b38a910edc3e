"""StoreCheckPhoto refuses a photo that shows nothing before storing it, and stores a good one.

The real Pillow sanitizer and inspector run on JPEG bytes as an owner sends them; only the
blob storage is kept in memory.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image, ImageFilter

from core.image_work import ImageWork
from core.interactors.symptom_check import StoreCheckPhoto
from core.photo_errors import UnusablePhotoError
from core.photo_quality import PhotoProblem
from core.ports.storage import BlobNotFoundError
from core.uploads import JPEG, UploadRejectedError
from db.storage.images import PillowImageSanitizer
from db.storage.photo_quality import PillowPhotoQualityInspector
from tests.photos import jpeg_bytes, realistic_image, realistic_jpeg

OWNER = 4242


class MemoryStorage:
    def __init__(self) -> None:
        self.blobs: dict[str, tuple[bytes, str]] = {}

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        self.blobs[key] = (data, content_type)

    async def get(self, key: str) -> bytes:
        if key not in self.blobs:
            raise BlobNotFoundError(key)
        return self.blobs[key][0]

    async def delete(self, key: str) -> None:
        self.blobs.pop(key, None)

    async def delete_prefix(self, prefix: str) -> int:
        doomed = [key for key in self.blobs if key.startswith(prefix)]
        for key in doomed:
            del self.blobs[key]
        return len(doomed)

    async def exists(self, key: str) -> bool:
        return key in self.blobs

    async def list_keys(self, prefix: str) -> list[str]:
        return sorted(key for key in self.blobs if key.startswith(prefix))


@pytest.fixture
def storage() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture
def store_photo(storage: MemoryStorage) -> StoreCheckPhoto:
    return StoreCheckPhoto(
        storage, PillowImageSanitizer(), PillowPhotoQualityInspector(), ImageWork(1)
    )


def _black_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1280, 960), (0, 0, 0)).save(buffer, format="JPEG")
    return buffer.getvalue()


async def test_an_all_black_photo_is_refused_as_too_dark_and_not_stored(
    store_photo: StoreCheckPhoto, storage: MemoryStorage
) -> None:
    with pytest.raises(UnusablePhotoError) as caught:
        await store_photo(OWNER, _black_jpeg(), telegram_file_id="black")
    assert caught.value.problem is PhotoProblem.TOO_DARK
    assert storage.blobs == {}


@pytest.mark.parametrize(
    ("photo", "problem"),
    [
        (lambda: realistic_jpeg(100, 80), PhotoProblem.TOO_SMALL),
        (lambda: jpeg_bytes(Image.new("RGB", (640, 480), "white")), PhotoProblem.TOO_BRIGHT),
        (
            lambda: jpeg_bytes(realistic_image().filter(ImageFilter.GaussianBlur(6))),
            PhotoProblem.BLURRED,
        ),
    ],
    ids=["small", "white", "blurred"],
)
async def test_other_unusable_photos_are_refused_and_not_stored(
    store_photo: StoreCheckPhoto,
    storage: MemoryStorage,
    photo: Callable[[], bytes],
    problem: PhotoProblem,
) -> None:
    with pytest.raises(UnusablePhotoError) as caught:
        await store_photo(OWNER, photo())
    assert caught.value.problem is problem
    assert storage.blobs == {}


async def test_a_good_photo_is_stored_sanitized(
    store_photo: StoreCheckPhoto, storage: MemoryStorage
) -> None:
    stored = await store_photo(OWNER, realistic_jpeg(), telegram_file_id="good")

    assert list(storage.blobs) == [stored.storage_key]
    assert stored.storage_key.startswith(f"users/tg-{OWNER}/checks/")
    data, content_type = storage.blobs[stored.storage_key]
    assert content_type == stored.content_type == JPEG
    assert stored.size_bytes == len(data)
    assert stored.telegram_file_id == "good"


async def test_what_is_not_an_image_is_still_an_upload_error(
    store_photo: StoreCheckPhoto, storage: MemoryStorage
) -> None:
    with pytest.raises(UploadRejectedError):
        await store_photo(OWNER, b"%PDF-1.4 not a photo")
    assert storage.blobs == {}
