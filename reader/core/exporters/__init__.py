"""Papers out, with the user's tags, notes and reading state: BibTeX, Markdown, JSON, CSV."""

from reader.core.exporters.formats import FORMATS, Annotated, annotate, render

__all__ = ["FORMATS", "Annotated", "annotate", "render"]
