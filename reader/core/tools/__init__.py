"""The user's own programs: a summarizer, a PDF viewer, pdftotext.

running.py starts a program without a shell, feeds it a prompt, streams its output as clean
text, and ends it (and whatever it started) on a timeout, a cancel or an error; viewer.py opens
a file in `pdf_viewer` or the system's opener; pdf_text.py reads a PDF's text for a prompt,
and prompt.py writes that prompt.
"""

from reader.core.tools.pdf_text import PdfText, pdf_text, pdf_text_tool
from reader.core.tools.prompt import summary_prompt
from reader.core.tools.running import ToolCancelled, ToolError, describe, fill, run_streaming
from reader.core.tools.viewer import open_file, system_opener

__all__ = [
    "PdfText",
    "ToolCancelled",
    "ToolError",
    "describe",
    "fill",
    "open_file",
    "pdf_text",
    "pdf_text_tool",
    "run_streaming",
    "summary_prompt",
    "system_opener",
]
