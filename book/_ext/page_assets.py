"""Pages without mathematics do not load MathJax.

MyST-NB asks Sphinx to put MathJax on every page (a notebook output could hold LaTeX), so
the landing page, the references and the history page each download about a megabyte of
script they never run. Sphinx's math domain knows which pages have an equation (in the text
or in an output), but it counts the pages a page includes by its table of contents too, and
the landing page includes them all; so the page's own document tree is searched instead.
Every page without a formula of its own gets its script list without MathJax.
"""

from docutils import nodes
from sphinx.application import Sphinx


def _has_math(doctree: nodes.document) -> bool:
    return any(doctree.findall(nodes.math)) or any(doctree.findall(nodes.math_block))


def _drop_mathjax_without_math(app: Sphinx, pagename, templatename, context, doctree):
    if doctree is None or _has_math(doctree):
        return
    scripts = context.get("script_files", [])
    context["script_files"] = [
        script for script in scripts if "mathjax" not in str(script).lower()
    ]


def setup(app: Sphinx):
    # After sphinx.ext.mathjax (priority 500) has added its scripts to the page.
    app.connect("html-page-context", _drop_mathjax_without_math, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
