"""Screens: the main three-pane screen and the modals it opens."""
