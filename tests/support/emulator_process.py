"""The emulator alone, as a process of its own: `python -m tests.support.emulator_process PORT`.

Telegram and the bot are apart in production; tests that measure the bot under load from
others (tests/support/flood.py) run them apart too, so that the emulator's own work for those
others is not done on the bot's event loop. The bot's token is read from BOT_TOKEN.
"""

from __future__ import annotations

import os
import sys

import uvicorn

from sandbox import create_sandbox_app


def main() -> None:
    port = int(sys.argv[1])
    app = create_sandbox_app(os.environ["BOT_TOKEN"])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", timeout_keep_alive=75)


if __name__ == "__main__":
    main()
