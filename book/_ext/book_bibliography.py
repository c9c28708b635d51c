"""Author-year citations in round brackets, and a reference list labelled the same way.

The book cites as "Elman (1990)" and "(Hochreiter and Schmidhuber, 1997)"; the list of
references then labels each entry "Elman 1990" instead of numbering it, so that a reader
finds a citation by what it says.
"""

from collections import Counter
from dataclasses import dataclass, field

import sphinxcontrib.bibtex.plugin
from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")")


@dataclass
class RoundAuthorYear(AuthorYearReferenceStyle):
    """Author-year references with round brackets: Elman (1990), (Elman, 1990)."""

    bracket_parenthetical: BracketStyle = field(default_factory=_round)
    bracket_textual: BracketStyle = field(default_factory=_round)
    bracket_author: BracketStyle = field(default_factory=_round)
    bracket_label: BracketStyle = field(default_factory=_round)
    bracket_year: BracketStyle = field(default_factory=_round)


def _surname(person) -> str:
    return Text.from_latex(
        " ".join(person.prelast_names + person.last_names)
    ).render_as("text")


class AuthorYearLabels(BaseLabelStyle):
    """Labels "Elman 1990", "Cho et al. 2014"; a, b, ... when two entries would share one."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        labels = [self._label(entry) for entry in entries]
        counts, seen = Counter(labels), Counter()
        for label in labels:
            if counts[label] > 1:
                seen[label] += 1
                label += "abcdefghij"[seen[label] - 1]
            yield label

    @staticmethod
    def _label(entry) -> str:
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [_surname(person) for person in people]
        if not names:
            who = entry.key
        elif len(names) == 1:
            who = names[0]
        elif len(names) == 2:
            who = f"{names[0]} and {names[1]}"
        else:
            who = f"{names[0]} et al."
        return f"{who} {entry.fields.get('year', '')}".strip()


class AuthorYearStyle(PlainStyle):
    """pybtex's plain style (sorted by author), labelled by author and year."""

    default_label_style = AuthorYearLabels


def setup(app):
    register_plugin("pybtex.style.formatting", "author_year_plain", AuthorYearStyle)
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYear
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
