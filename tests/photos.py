"""Synthetic but photo-like pictures for tests that send a check photo.

The photo step refuses pictures with nothing to see (too dark, too bright, too small, blurred;
see `core.photo_quality`), and a flat single-colour JPEG has no detail at all, so it is refused
as blurred. These images have what a phone photo of a pet has: a lit background, shapes with
edges, thin strokes like fur, and fine grain. They are deterministic: the same arguments give the
same bytes, another seed gives another picture (and other bytes for models keyed on them).
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

_SHAPES = 24
_STROKES = 60
# The weight of per-pixel grain: about ±12 levels around each pixel, like a phone's sensor noise.
_GRAIN = 0.1


def _colour(rng: random.Random, low: int = 40, high: int = 220) -> tuple[int, int, int]:
    return (rng.randint(low, high), rng.randint(low, high), rng.randint(low, high))


def realistic_image(width: int = 640, height: int = 480, seed: int = 0) -> Image.Image:
    """An RGB picture with a gradient, shapes, strokes and grain; mid-tones, sharp edges."""
    rng = random.Random(seed)
    top = Image.new("RGB", (width, height), _colour(rng, 90, 200))
    bottom = Image.new("RGB", (width, height), _colour(rng, 60, 170))
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(bottom, top, gradient)

    draw = ImageDraw.Draw(image)
    scale = min(width, height)
    for _ in range(_SHAPES):
        x, y = rng.randrange(width), rng.randrange(height)
        w = rng.randint(scale // 12, scale // 3)
        h = rng.randint(scale // 12, scale // 3)
        box = (x - w // 2, y - h // 2, x + w // 2, y + h // 2)
        if rng.random() < 0.5:
            draw.ellipse(box, fill=_colour(rng))
        else:
            draw.rectangle(box, fill=_colour(rng))
    for _ in range(_STROKES):
        x, y = rng.randrange(width), rng.randrange(height)
        length = rng.randint(scale // 20, scale // 6)
        end = (x + rng.randint(-length, length), y + rng.randint(-length, length))
        draw.line([(x, y), end], fill=_colour(rng, 10, 245), width=rng.randint(1, 3))

    grain = Image.frombytes("L", (width, height), rng.randbytes(width * height)).convert("RGB")
    return Image.blend(image, grain, _GRAIN)


def jpeg_bytes(image: Image.Image, quality: int = 90) -> bytes:
    """The image as a JPEG file, as a phone would send it."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def realistic_jpeg(width: int = 640, height: int = 480, seed: int = 0) -> bytes:
    """A photo-like JPEG that the photo step accepts; see `realistic_image`."""
    return jpeg_bytes(realistic_image(width, height, seed))
