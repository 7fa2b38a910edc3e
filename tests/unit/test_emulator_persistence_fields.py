"""The sandbox saves dataclasses field by field, so fields added later are kept unchanged."""

import asyncio
import json
from dataclasses import dataclass, field

from sandbox.emulator.models import SandboxUser
from sandbox.emulator.persistence import decode_fields, encode_fields


@dataclass
class _Thing:
    id: int
    name: str
    tags: list[str] = field(default_factory=list)
    limits: dict[str, float] = field(default_factory=dict)
    lock: asyncio.Lock | None = None
    counter: int = field(default=0, init=False)


def test_a_new_plain_json_field_round_trips_without_code_for_it() -> None:
    thing = _Thing(1, "a", tags=["x"], limits={"per_s": 1.5})
    thing.counter = 7
    saved = json.loads(json.dumps(encode_fields(thing)))
    restored = decode_fields(_Thing, saved)
    assert restored == thing
    assert restored.counter == 7


def test_a_field_that_is_not_json_is_left_out_and_the_rest_is_kept() -> None:
    saved = encode_fields(_Thing(1, "a", lock=asyncio.Lock()))
    assert "lock" not in saved
    assert decode_fields(_Thing, saved) == _Thing(1, "a")


def test_older_files_get_defaults_and_unknown_keys_are_ignored() -> None:
    restored = decode_fields(_Thing, {"id": 2, "name": "b", "removed_since": True})
    assert restored == _Thing(2, "b")


def test_special_fields_are_converted_both_ways() -> None:
    user = SandboxUser(id=5, first_name="Ира")
    saved = encode_fields(_Thing(1, "a", tags=["t"]), {"name": lambda name: name.upper()})
    assert saved["name"] == "A"
    assert decode_fields(_Thing, saved, name=user.first_name).name == "Ира"


def test_every_field_of_a_sandbox_user_round_trips() -> None:
    # Whatever fields SandboxUser has now (a `blocked` flag, say), none is special-cased.
    user = SandboxUser(id=5, first_name="Ира", last_name="К", username="ira", language_code="ru")
    restored = decode_fields(SandboxUser, json.loads(json.dumps(encode_fields(user))))
    assert restored == user
    assert set(encode_fields(user)) == set(vars(user))
