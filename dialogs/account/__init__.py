"""The user's own account: /delete_me (AccountSG)."""
