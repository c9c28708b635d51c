"""Hand measured numbers to the book's prose: ``glue`` wraps ``myst_nb.glue``.

A number quoted in the text of a chapter or on the claims page is never typed by hand:
the notebook glues it under a key and the page pastes it (``{glue:text}`key:.3f```).
Outside a Jupyter Book environment (Colab, a bare Jupyter) gluing is skipped.
"""

from __future__ import annotations

import math
import numbers
import re

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def glue(key: str, value: object, *, digits: int | None = None) -> None:
    """Store ``value`` under ``key`` for the book's ``{glue}`` roles, without displaying it.

    Args:
        key: lower-case identifier, by convention prefixed with the chapter (``ch01_...``).
        value: a number or a short string.
        digits: round a real number to this many decimals first, so that the stored output
            is stable across runs on the same machine and readable in the notebook.

    The function returns nothing, so a ``glue`` call at the end of a cell shows nothing.
    """
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(
            f"key must be a lower-case identifier like 'ch01_accuracy', got {key!r}"
        )
    if digits is not None:
        if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
            raise ValueError(f"digits must be a non-negative integer, got {digits!r}")
        if not isinstance(value, numbers.Real):
            raise ValueError(
                f"value must be a real number when digits is given, got {value!r}"
            )
        value = round(float(value), digits)
    elif hasattr(value, "item") and getattr(value, "shape", None) == ():
        value = value.item()  # a NumPy scalar: store 0.5, not np.float64(0.5)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"value must be finite: the book would print {value!r}")
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # not building the book: nothing to store
        return
    myst_glue(key, value, display=False)
