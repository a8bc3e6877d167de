"""The user's settings: config.yaml and colour themes, read leniently with every problem named
as FILE:LINE:COL (yaml_positions.py keeps where each key sits)."""

from reader.core.settings.config import Config, load_config, save_theme_choice
from reader.core.settings.themes import COLOUR_FIELDS, ThemeSet, choose_theme, load_themes
from reader.core.settings.yaml_positions import KeyPath, Loaded, YamlFileError, load_file

__all__ = [
    "COLOUR_FIELDS",
    "Config",
    "KeyPath",
    "Loaded",
    "ThemeSet",
    "YamlFileError",
    "choose_theme",
    "load_config",
    "load_file",
    "load_themes",
    "save_theme_choice",
]
