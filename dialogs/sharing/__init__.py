"""Sharing a pet (SharingSG), opened from the pet's card."""
