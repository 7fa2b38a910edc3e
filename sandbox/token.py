import secrets
import string

# Real tokens look like "7123456789:AAH...": a numeric bot id, a colon and 35 url-safe characters
# that start with "AA". Keeping that shape lets code that validates tokens accept ours.
_TOKEN_ALPHABET = string.ascii_letters + string.digits + "_-"


def make_token() -> str:
    bot_id = secrets.randbelow(9 * 10**9) + 10**9
    secret = "AA" + "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(33))
    return f"{bot_id}:{secret}"


def bot_id_from_token(token: str) -> int:
    return int(token.split(":", 1)[0])
