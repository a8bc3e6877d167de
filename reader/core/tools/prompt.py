"""The prompt a summarizer reads on stdin: what to write, then the paper as plain labelled text."""

from __future__ import annotations

from reader.core.model import Paper

INSTRUCTION = (
    "Summarize this research paper for a researcher deciding whether to read it. In a few "
    "short paragraphs of plain text: the problem, what the authors do, how, and what they "
    "find, with its limits. Do not invent details that are not in the text below."
)


def summary_prompt(paper: Paper, full_text: str | None = None) -> str:
    lines = [
        INSTRUCTION,
        "",
        f"Title: {paper.title}",
        f"Authors: {', '.join(paper.authors) or 'unknown'}",
    ]
    if paper.date:
        lines.append(f"Date: {paper.date}")
    lines += ["", "Abstract:", paper.abstract.strip() or "(none)"]
    if full_text:
        lines += ["", "Full text (extracted from the PDF; it may be cut short):", full_text]
    return "\n".join(lines) + "\n"
