"""The control API: drive the emulator as Telegram's users would, and inspect what the bot did."""
