"""What the three checkers' tests share: reading the one line a checker prints."""


def verdict(capsys, result=None):
    """The checker's printed line, after asserting that it printed exactly one line (and returned a bool)."""
    assert result is None or isinstance(result, bool)
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out
    return out
