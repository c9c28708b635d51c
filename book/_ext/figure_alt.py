"""Every figure's image gets alt text: its caption, unless the page gave it an ``alt`` of its own.

Without one, Sphinx writes the image's file path as its alt text ("../_images/5638c3….png"),
which is what a screen reader then says. A figure's caption describes what it shows, so it
is the alt text of its image. A figure glued from another page (the landing page shows one
of chapter 7) cannot be a numbered figure; it sits in a ``{container} book-figure`` whose
text paragraphs are its caption, and gets that text as alt.
"""

import re

from docutils import nodes

_SYMBOLS = {
    r"\alpha": "α",
    r"\beta": "β",
    r"\gamma": "γ",
    r"\sigma": "σ",
    r"\rho": "ρ",
    r"\lambda": "λ",
    r"\partial": "∂",
    r"\prod": "∏",
    r"\sum": "∑",
    r"\times": "×",
    r"\cdot": "·",
    r"\approx": "≈",
    r"\le": "≤",
    r"\ge": "≥",
    r"\to": "→",
    r"\lVert": "‖",
    r"\rVert": "‖",
    r"\|": "‖",
    r"\,": " ",
    r"\;": " ",
}


def _readable(text: str) -> str:
    """Caption text as a screen reader should say it: TeX symbols as characters, no braces."""
    for command, symbol in sorted(_SYMBOLS.items(), key=lambda item: -len(item[0])):
        text = re.sub(re.escape(command) + r"(?![A-Za-z])", symbol, text)
    text = re.sub(r"\\(?:mathrm|mathbf|text|operatorname|left|right)\b", "", text)
    text = re.sub(r"\\([A-Za-z]+)", r"\1", text).replace("{", "").replace("}", "")
    return " ".join(text.split())


def _alt_from_caption(app, doctree, docname):
    for figure in doctree.findall(nodes.figure):
        captions = [
            child for child in figure.children if isinstance(child, nodes.caption)
        ]
        if not captions:
            continue
        text = _readable(captions[0].astext())
        for image in figure.findall(nodes.image):
            if not image.get("alt"):
                image["alt"] = text


def _alt_from_container_text(app, doctree, docname):
    for container in doctree.findall(nodes.container):
        if "book-figure" not in container.get("classes", []):
            continue
        paragraphs = [
            child
            for child in container.children
            if isinstance(child, nodes.paragraph)
            and not list(child.findall(nodes.image))
        ]
        text = _readable(" ".join(p.astext() for p in paragraphs))
        for image in container.findall(nodes.image):
            if not image.get("alt") and text:
                image["alt"] = text


def setup(app):
    app.connect("doctree-resolved", _alt_from_caption)
    app.connect("doctree-resolved", _alt_from_container_text)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
