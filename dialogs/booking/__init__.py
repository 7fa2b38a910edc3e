"""Booking a consultation and the owner's appointments (/book, /appointments)."""
