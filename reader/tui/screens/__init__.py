"""Screens: the screens of papers (the main one, the similar papers) and the modals they open."""
