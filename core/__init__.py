"""Domain layer of Telemed-Pet. Imports no framework (see STYLE.md)."""
