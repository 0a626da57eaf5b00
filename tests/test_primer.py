"""The primer page (book/primer_eigen.md): every number it shows is computed by its own code examples.

The page's ``pycon`` blocks are doctests: each ``>>>`` line is run, in order and in one namespace, and its
printed output must match what the page shows, so the page cannot drift from NumPy or gdlesson.
"""

import doctest
import re
from pathlib import Path

PRIMER = Path(__file__).resolve().parent.parent / "book" / "primer_eigen.md"


def pycon_blocks(text):
    return re.findall(r"^```pycon\n(.*?)^```", text, flags=re.M | re.S)


def test_primer_examples_reproduce():
    blocks = pycon_blocks(PRIMER.read_text(encoding="utf-8"))
    assert len(blocks) >= 4, "the primer's worked examples are missing"
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    # all blocks as one doctest: one namespace, run in page order, as a reader would type them
    runner.run(parser.get_doctest("\n".join(blocks), {}, "primer_eigen.md", str(PRIMER), 0))
    result = runner.summarize(verbose=False)
    assert result.attempted >= 10 and result.failed == 0, f"{result.failed} primer examples do not reproduce"


def test_primer_is_in_the_table_of_contents():
    toc = (PRIMER.parent.parent / "_toc.yml").read_text(encoding="utf-8")
    assert "- file: book/primer_eigen" in toc
