"""The orders a list of papers can take: one tuple for the CLI, the config, search and the app.

Its own module so that a search needs no config (YAML) code to know them.
"""

SORTS = ("relevance", "date", "title", "upvotes")
