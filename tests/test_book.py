"""The book builds with Sphinx warnings as errors: broken references, citations and glue fail."""

import pytest


@pytest.mark.slow
def test_book_builds_without_warnings(built_book):
    for page in [
        "book/intro.html",
        "book/claims.html",
        "notebooks/01_feedforward_limits.html",
        "notebooks/02_recurrent_networks.html",
    ]:
        assert (built_book / page).is_file(), f"{page} was not built"
    claims = (built_book / "book" / "claims.html").read_text()
    assert "??" not in claims, "a glued number on the claims page did not resolve"
