import secrets
import string
from pathlib import Path

# Real tokens look like "7123456789:AAH...": a numeric bot id, a colon and 35 url-safe characters
# that start with "AA". Keeping that shape lets code that validates tokens accept ours.
_TOKEN_ALPHABET = string.ascii_letters + string.digits + "_-"


def make_token() -> str:
    bot_id = secrets.randbelow(9 * 10**9) + 10**9
    secret = "AA" + "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(33))
    return f"{bot_id}:{secret}"


def bot_id_from_token(token: str) -> int:
    return int(token.split(":", 1)[0])


TOKEN_FILE = "token"


def load_or_make_token(data_dir: Path) -> str:
    """The token saved in ``data_dir``, or a new one saved there.

    A restarted sandbox is then the same bot: its id (the sender of every saved bot message)
    stays, and Mini App initData signed before the restart still verifies.
    """
    path = data_dir / TOKEN_FILE
    if path.exists():
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token
    token = make_token()
    data_dir.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(token + "\n", encoding="utf-8")
    temporary.replace(path)  # atomic: a crash never leaves half a token
    return token
