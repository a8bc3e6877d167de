"""LaTeX in BibTeX fields to text: accents, symbols, escapes, braces; math kept as written."""

from __future__ import annotations

import pytest

from reader.core.importers.latex import latex_to_text


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\"u}ber", "über"),
        (r"\"Uber", "Über"),
        (r"M{\"u}ller", "Müller"),
        (r"Garc{\'\i}a", "García"),
        (r"Jos\'e", "José"),
        (r"Fran\c{c}ois and \c c", "François and ç"),
        (r"Stra\ss{}er", "Straßer"),
        (r"{\v{S}}koda Ji\v{r}{\'\i}", "Škoda Jiří"),
        (r"{\O}stergaard S{\o}ren", "Østergaard Søren"),
        (r"Ma{\~n}ana", "Mañana"),
        (r"{\L}ukasz", "Łukasz"),
        (r"\H{o} \k{a} \r{u} \={a} \.{z} \u{g} \^{o} \`{e}", "ő ą ů ā ż ğ ô è"),
        (r"{\aa}ngstr{\"o}m \AE sop", "ångström Æsop"),
        ("{BERT}: Pre-training", "BERT: Pre-training"),
        ("Notes on {{Diffusion}} Models", "Notes on Diffusion Models"),
        (r"R\&D at 50\% \$5 \#1 snake\_case", "R&D at 50% $5 #1 snake_case"),
        ("pages 1--42, a---b", "pages 1–42, a—b"),
        ("``quoted''", "“quoted”"),
        ("non~breaking", "non breaking"),
        (r"\emph{Praktiker} \textbf{bold} \textit{it}", "Praktiker bold it"),
        (r"code at \url{https://example.org/a_b%20c}", "code at https://example.org/a_b%20c"),
        (r"\href{https://x.org}{the site}", "the site"),
        (r"as shown \cite{foo}.", "as shown ."),
        (r"\unknownmacro{kept} text", "kept text"),
        (
            r"Scaling $\alpha$-divergences in $O(n^2)$ time",
            r"Scaling $\alpha$-divergences in $O(n^2)$ time",
        ),
        (r"unbalanced {brace and \emph{x", "unbalanced brace and x"),
        ("trailing \\", "trailing \\"),
        ("plain title, nothing to do", "plain title, nothing to do"),
    ],
)
def test_latex_to_text(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text


def test_accents_come_out_composed() -> None:
    text = latex_to_text(r"\"u\'e")
    assert text == "üé" and len(text) == 2  # NFC: one code point each, as typed text is
