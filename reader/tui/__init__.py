"""The Textual face of reader: the app, its screens and widgets (no logic the core lacks)."""
