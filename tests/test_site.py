"""The rendered book, read in a real browser: headless Chromium at 1280 and 390 px, offline.

Every page of the built site is opened from a local server. A page fails if it asks any
other host for anything, logs a console error, gets an HTTP error for a link target, a
script or an image, leaves TeX unrendered, shows a doubled equation reference "((4.1))",
lets an equation or a code block run wider than its column at 1280 px (or clips it
instead of scrolling at 390 px), or, for a chapter, has no number in its title.
Screenshots of the landing page and of chapter 7 go to ``_build/screenshots``.

The test needs Debian's ``chromium`` (``.ci/run`` installs it) and the ``playwright``
package (in requirements.txt); without Chromium it is skipped with a one-line reason.
"""

import functools
import html.parser
import http.server
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags for a sandboxed, offline machine: no background traffic to Google's hosts.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = {
    "book/intro.html": "landing.png",
    "notebooks/07_lstm.html": "chapter_07.png",
}

# The landing page links to the whole book as one PDF, which `make pdf` puts next to the site.
BUILT_BY_MAKE_PDF = {"/rnn-book.pdf"}

# What the page shows, measured in the browser after MathJax has typeset it.
MEASURE = (Path(__file__).with_name("site_measure.js")).read_text()


@pytest.fixture(scope="module")
def site(built_book):
    """A local HTTP server over the built HTML; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/", built_book
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, offline; the tests that need it skip, saying why, without it."""
    if CHROMIUM is None:
        pytest.skip(
            "no Chromium: install Debian's chromium (apt install chromium) to run it"
        )
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _pages(html: Path) -> list[str]:
    skip = {"genindex.html", "search.html"}
    pages = (path.relative_to(html) for path in html.rglob("*.html"))
    return sorted(
        page.as_posix()
        for page in pages
        if page.name not in skip
        and not any(part.startswith("_") for part in page.parts)
        and "http-equiv" not in (html / page).read_text()[:500]  # the root's redirect
    )


@pytest.mark.slow
def test_every_page_reads_well_in_chromium_offline(site, browser):
    base, html = site
    failures: list[str] = []
    checked_links: set[str] = set()
    screenshots = ROOT / "_build" / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        for name in _pages(html):
            failures += _check_page(context, base, name, width, checked_links, html)
            if width == 1280 and name in SCREENSHOTS:
                page = context.new_page()
                page.goto(base + name, wait_until="load")
                page.wait_for_function(
                    "() => !window.MathJax || MathJax.startup.promise"
                )
                page.screenshot(path=str(screenshots / SCREENSHOTS[name]))
                page.close()
        context.close()
    assert not failures, "\n".join(failures[:60])


def _check_page(context, base, name, width, checked_links, html) -> list[str]:
    page = context.new_page()
    failures: list[str] = []
    where = f"{name} at {width} px"

    def on_request(request):
        host = urlparse(request.url).hostname
        if request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            return
        failures.append(f"{where}: request to another host: {request.url}")

    page.on("request", on_request)
    page.on(
        "console",
        lambda message: (
            failures.append(f"{where}: console error: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on(
        "pageerror", lambda error: failures.append(f"{where}: script error: {error}")
    )
    page.on(
        "response",
        lambda response: (
            failures.append(f"{where}: HTTP {response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    page.goto(base + name, wait_until="load")
    page.evaluate(
        "() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null"
    )
    result = page.evaluate(MEASURE)
    page.close()
    for problem in result["problems"]:
        if isinstance(problem, str):
            failures.append(f"{where}: {problem}")
        elif problem["wide"] and width == 1280:
            failures.append(
                f"{where}: {problem['kind']} wider than its column: {problem['text']}"
            )
        elif problem["wide"] and not problem["scrolls"]:
            failures.append(
                f"{where}: {problem['kind']} clipped, not scrolling: {problem['text']}"
            )
    if name.startswith("notebooks/") and not re.match(r"^\d+\.\s", result["title"]):
        failures.append(f"{where}: chapter title without a number: {result['title']!r}")
    for link in result["links"]:
        parsed = urlparse(link)
        if parsed.hostname != "127.0.0.1" or parsed.path in checked_links:
            continue
        if parsed.path in BUILT_BY_MAKE_PDF:  # tests/test_pdf.py checks that one
            continue
        checked_links.add(parsed.path)
        if not (html / parsed.path.lstrip("/")).is_file():
            failures.append(f"{where}: broken link to {parsed.path}")
    return failures


# ------------------------------------------------------------------ figures, in the HTML


class _Images(html.parser.HTMLParser):
    """Each ``<img>`` of a page: its attributes and whether it sits in a numbered figure."""

    def __init__(self):
        super().__init__()
        self.images: list[tuple[dict, bool]] = []
        self._figures: list[bool] = []  # one entry per open <figure>: has a number yet?

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self._figures.append(False)
        elif tag == "span" and "caption-number" in (attrs.get("class") or ""):
            if self._figures:
                self._figures[-1] = True
        elif tag == "img":
            self.images.append((attrs, bool(self._figures)))

    def handle_endtag(self, tag):
        if tag == "figure" and self._figures:
            numbered = self._figures.pop()
            # the number comes after the image, in the caption: mark the figure's images
            for index in range(len(self.images) - 1, -1, -1):
                attrs, in_figure = self.images[index]
                if in_figure is True:
                    self.images[index] = (
                        attrs,
                        "numbered" if numbered else "unnumbered",
                    )
                else:
                    break


def _images(page: Path) -> list[tuple[dict, object]]:
    parser = _Images()
    parser.feed(page.read_text())
    return parser.images


@pytest.mark.slow
def test_every_image_has_alt_text_that_is_not_a_file_path(built_book):
    failures = []
    for name in _pages(built_book):
        for attrs, _ in _images(built_book / name):
            alt = (attrs.get("alt") or "").strip()
            if len(alt) < 8 or re.search(r"\.(png|svg|jpe?g|gif)$|_images/", alt):
                failures.append(f"{name}: {attrs.get('src')} has alt text {alt!r}")
    assert not failures, "\n".join(failures[:40])


@pytest.mark.slow
def test_every_figure_of_a_chapter_is_numbered(built_book):
    failures = []
    chapters = [name for name in _pages(built_book) if name.startswith("notebooks/")]
    assert len(chapters) >= 11
    for name in chapters:
        for attrs, where in _images(built_book / name):
            src = attrs.get("src", "")
            if "_images/" in src and where != "numbered":
                failures.append(f"{name}: {src} is not in a numbered figure ({where})")
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------- the menu, in a browser


@pytest.mark.slow
@pytest.mark.parametrize("width", [390, 800, 1280])
def test_the_menu_opens_and_closes(site, browser, width):
    """The visible ☰ button shows the chapter list (a dialog on a phone) and hides it again."""
    base, _ = site
    page = browser.new_page(viewport={"width": width, "height": 844})
    page.goto(base + "notebooks/07_lstm.html", wait_until="load")
    chapter_link = page.locator(
        "#pst-primary-sidebar a[href$='12_linear_recurrences.html']"
    )
    home_link = page.locator("#pst-primary-sidebar a.navbar-brand")
    button = page.locator(".primary-toggle:visible")
    assert button.count() == 1, "one visible menu button"
    dialog = page.locator("#pst-primary-sidebar-modal")
    if width < 992:
        assert not chapter_link.is_visible(), "the chapter list starts hidden"
        button.click()
        page.wait_for_timeout(300)
        assert dialog.evaluate("d => d.open"), "the menu did not open"
        chapter_link = page.locator(
            "#pst-primary-sidebar-modal a[href$='12_linear_recurrences.html']"
        )
        home_link = page.locator("#pst-primary-sidebar-modal a.navbar-brand")
        assert chapter_link.is_visible(), "the chapter list is not visible"
        assert home_link.is_visible(), "no way home in the open menu"
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
        assert not dialog.evaluate("d => d.open"), "Escape did not close the menu"
        # and again, closed by a tap outside the list this time
        button.click()
        page.wait_for_timeout(300)
        page.mouse.click(width - 5, 400)
        page.wait_for_timeout(300)
        assert not dialog.evaluate("d => d.open"), "a tap outside did not close it"
    else:
        assert chapter_link.is_visible() and home_link.is_visible()
        button.click()
        page.wait_for_timeout(300)
        assert not chapter_link.is_visible(), "the button did not hide the sidebar"
        button.click()
        page.wait_for_timeout(300)
        assert chapter_link.is_visible(), "the button did not show the sidebar again"
    page.close()


# --------------------------------------------------------------- accessibility (axe-core)

AXE = ROOT / ".venv" / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    count: v.nodes.length,
    first: v.nodes[0].target.join(" "),
  }));
}"""


@pytest.mark.slow
def test_no_serious_accessibility_violation_in_light_or_dark_mode(site, browser):
    """axe-core on every page, light and dark, at 1280 px; serious or critical ones fail."""
    base, html = site
    failures = []
    for mode in ("light", "dark"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        # the theme reads the reader's choice from localStorage before it paints
        context.add_init_script(f"localStorage.setItem('mode', '{mode}');")
        for name in _pages(html):
            page = context.new_page()
            page.goto(base + name, wait_until="load")
            page.evaluate(
                "() => window.MathJax && MathJax.startup ? MathJax.startup.promise"
                " : null"
            )
            assert page.evaluate("document.documentElement.dataset.theme") == mode
            page.add_script_tag(path=str(AXE))
            for violation in page.evaluate(AXE_RUN):
                if violation["impact"] in ("serious", "critical"):
                    failures.append(
                        f"{name} ({mode}): {violation['impact']} {violation['id']} "
                        f"x{violation['count']}, first at {violation['first']}"
                    )
            page.close()
        context.close()
    assert not failures, "\n".join(failures[:60])


@pytest.mark.slow
def test_a_tap_on_a_figure_opens_it_full_size(site, browser):
    base, _ = site
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for name in ("notebooks/07_lstm.html", "book/intro.html"):
        page.goto(base + name, wait_until="load")
        links = page.evaluate(
            "() => Array.from(document.querySelectorAll("
            "'figure img, div.book-figure img'), i => [i.closest('a')?.href, i.src])"
        )
        assert links, f"{name}: no figure"
        assert all(href == src for href, src in links), f"{name}: {links[:3]}"
    landing_image = links[0][1]  # the last page's first figure: the landing page's
    page.locator("div.book-figure img").first.click()
    page.wait_for_load_state()
    assert page.url == landing_image, "a click on the figure did not open its image"
    page.close()


# ------------------------------------------------------------- figures, read on a phone

SMALLEST_FIGURE_TEXT_CSS_PX = 7.95  # about 8 CSS px: the least a phone reader can read
FIGURE_PAGES = ["book/intro.html"] + [
    f"notebooks/{path.stem}.html"
    for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
]


def _stored_figures() -> dict[str, dict]:
    """Each figure the notebooks store, by the file name the book gives its image (its
    SHA-256), with the metadata rnn_utils.plots wrote: 1x width, smallest text in pixels."""
    import base64
    import hashlib
    import json

    figures = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            for output in cell.get("outputs", []):
                for key, data in output.get("data", {}).items():
                    if not key.endswith("image/png"):  # glued ones carry a prefix
                        continue
                    png = base64.b64decode(data)
                    name = hashlib.sha256(png).hexdigest() + ".png"
                    figures[name] = {
                        "where": path.stem,
                        **output.get("metadata", {}).get("image/png", {}),
                    }
    return figures


@pytest.mark.slow
def test_figure_text_reads_on_a_phone(site, browser):
    """At 390 px every figure is a 2x image whose smallest text shows at about 8 CSS px."""
    from rnn_utils import plots

    base, _ = site
    stored = _stored_figures()
    page = browser.new_page(viewport={"width": 390, "height": 844})
    failures, sizes = [], []
    for name in FIGURE_PAGES:
        page.goto(base + name, wait_until="load")
        shown = page.evaluate(
            "() => Array.from(document.querySelectorAll("
            "'figure img, div.book-figure img'), i => [i.src.split('/').pop(), "
            "i.getBoundingClientRect().width, i.naturalWidth])"
        )
        for image, width, natural in shown:
            figure = stored.get(image)
            if figure is None or figure.get(plots.SMALLEST_TEXT_KEY) is None:
                failures.append(f"{name}: {image} has no recorded text size")
                continue
            if natural < 1.9 * figure["width"]:
                failures.append(f"{name}: {image} is not a 2x image ({natural} px)")
            text = figure[plots.SMALLEST_TEXT_KEY] * width / (natural / 2)
            sizes.append((round(text, 2), name, image))
            if text < SMALLEST_FIGURE_TEXT_CSS_PX:
                failures.append(f"{name}: {image}: smallest text {text:.1f} CSS px")
    page.close()
    assert sizes, "no figure measured"
    report = ROOT / "_build" / "screenshots" / "figure_text_390px.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("".join(f"{s:6.2f} px  {n}  {i}\n" for s, n, i in sorted(sizes)))
    assert not failures, "\n".join(failures)


@pytest.mark.slow
def test_search_snippets_quote_the_text_not_the_page_furniture(site, browser):
    base, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "search.html?q=forget+gate", wait_until="load")
    page.wait_for_function(
        "() => document.querySelectorAll('#search-results p.context').length >= 3",
        timeout=20_000,
    )
    snippets = page.evaluate(
        "() => Array.from(document.querySelectorAll('#search-results p.context'),"
        " p => p.innerText)"
    )
    page.close()
    furniture = re.compile(r"\.ipynb|\.pdf|\bContents\b|Toggle")
    bad = [snippet[:120] for snippet in snippets if furniture.search(snippet)]
    assert not bad, "\n".join(bad)


@pytest.mark.slow
def test_icons_are_drawn_by_the_stylesheet_alone(site, browser):
    """The theme's 1.5 MB icon script is replaced by an empty file (_static/scripts); its
    stylesheet's web fonts still draw every icon of the header."""
    base, html = site
    assert (html / "_static" / "scripts" / "fontawesome.js").stat().st_size < 2_000
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "notebooks/07_lstm.html", wait_until="load")
    page.evaluate("() => document.fonts.ready")
    icons = page.evaluate(
        """() => Array.from(document.querySelectorAll(
        ".bd-header-article i[class*='fa-']")).map((i) => [i.className,
        getComputedStyle(i, '::before').content, getComputedStyle(i).fontFamily,
        i.getBoundingClientRect().width])"""
    )
    fonts = page.evaluate(
        "() => ['900 16px \"Font Awesome 6 Free\"', '400 16px \"Font Awesome 6 Brands\"']"
        ".map((font) => document.fonts.check(font))"
    )
    page.close()
    for name, glyph, family, _ in icons:
        assert glyph not in ("none", "normal", ""), f"{name}: no glyph"
        assert "Font Awesome" in family, f"{name}: drawn in {family}"
    shown = [
        name for name, _, _, width in icons if width > 0
    ]  # one colour-mode icon shows
    assert len(shown) >= 5, icons
    assert all(fonts), "the icon fonts did not load"
