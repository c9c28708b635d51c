"""Links between chapters name numbers: "Chapter 2 (Recurrent networks)", "Section 7.6
(Where the forget gate came from)", or "Chapter 2, Recurrent networks" inside
parentheses, instead of the bare title, which reads badly inside a sentence."""

import posixpath

from docutils import nodes


def _number_chapter_links(app, doctree, docname):
    if not docname.startswith("notebooks/"):
        return  # the landing, claims and history pages name chapters themselves
    env = app.builder.env
    for reference in list(doctree.findall(nodes.reference)):
        uri = reference.get("refuri") or (
            "#" + reference["refid"] if "refid" in reference else ""
        )
        if not reference.get("internal") or not uri:
            continue
        page, _, anchor = uri.partition("#")
        target = docname
        if page:
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(docname), page.removesuffix(".html"))
            )
        numbers = env.toc_secnumbers.get(target, {})
        number = numbers.get(_section_key(env, target, anchor))
        title = reference.astext()
        if not number or (not anchor and title != env.titles[target].astext()):
            continue
        digits = ".".join(map(str, number))
        kind = "Chapter" if len(number) == 1 else "Section"
        prefix = "" if _after_the_word(reference, kind) else f"{kind} "
        label = f"{prefix}{digits} ({title})"
        if _inside_parentheses(reference):
            label = f"{prefix}{digits}, {title}"
        reference.children = [nodes.inline(label, label)]


def _section_key(env, target: str, anchor: str) -> str:
    """The key of ``env.toc_secnumbers[target]`` for a link to ``anchor``: a label such as
    "ch07-history" is an extra id of its section, whose first id is the key."""
    if not anchor:
        return ""
    if target not in _FIRST_IDS:
        _FIRST_IDS[target] = {
            node_id: section["ids"][0]
            for section in env.get_doctree(target).findall(nodes.section)
            for node_id in section["ids"]
        }
    return "#" + _FIRST_IDS[target].get(anchor, anchor)


_FIRST_IDS: dict[str, dict[str, str]] = {}


def _text_before(reference) -> str:
    """The text of ``reference``'s paragraph up to the link."""
    before = ""
    for sibling in reference.parent.children:
        if sibling is reference:
            break
        before += sibling.astext()
    return before


def _after_the_word(reference, word: str) -> bool:
    """Whether the text just before ``reference`` ends with ``word`` (any case)."""
    return _text_before(reference).rstrip().lower().endswith(word.lower())


def _inside_parentheses(reference) -> bool:
    """Whether the text of the paragraph before ``reference`` leaves a "(" open."""
    before = _text_before(reference)
    return before.count("(") > before.count(")")


def setup(app):
    # A new build (sphinx-autobuild runs several in one process) reads new doctrees.
    app.connect("builder-inited", lambda app: _FIRST_IDS.clear())
    app.connect("doctree-resolved", _number_chapter_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
