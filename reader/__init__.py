"""reader: a keyboard-first terminal app for reading research papers."""

__version__ = "0.1.0"
