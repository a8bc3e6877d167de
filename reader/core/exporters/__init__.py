"""Papers out, with the user's tags, notes and reading state: BibTeX, CSL-JSON, Markdown, JSON,
CSV. BibTeX and CSL-JSON are written to be imported again, by reader and by the other
reference managers."""

from reader.core.exporters.annotated import Annotated, annotate
from reader.core.exporters.formats import FORMATS, render

__all__ = ["FORMATS", "Annotated", "annotate", "render"]
