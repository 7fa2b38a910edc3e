"""Reminder settings (/reminders, SettingsSG) and the time zone choice (TimeZoneSG)."""
