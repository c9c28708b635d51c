// Measures one rendered page of the book for tests/test_site.py; returns problems found.
() => {
  const problems = [];
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  for (const el of document.querySelectorAll("div.math")) {
    const body = el.querySelector("mjx-container");
    if (!body) {
      problems.push("unrendered TeX: " + el.innerText.slice(0, 60));
      continue;
    }
    const number = el.querySelector(".eqno");
    const room = el.clientWidth - (number ? number.getBoundingClientRect().width : 0);
    const needed = body.querySelector("mjx-math").getBoundingClientRect().width;
    const label = number ? number.innerText.trim() + " " : "";
    problems.push({
      kind: "equation",
      wide: needed > room + 1,
      scrolls: scrolls(body) || scrolls(el),
      text: label + body.innerText.replace(/\s+/g, "").slice(0, 40),
    });
  }
  for (const el of document.querySelectorAll("span.math")) {
    if (!el.querySelector("mjx-container")) {
      problems.push("unrendered TeX: " + el.innerText.slice(0, 60));
    }
  }
  for (const el of document.querySelectorAll("div.highlight pre, div.cell_output pre")) {
    if (el.innerText.trim() === "") continue; // an empty output: nothing to cut
    const lines = el.innerText.split("\n");
    const longest = lines.reduce((a, b) => (a.length >= b.length ? a : b));
    problems.push({
      kind: "code block",
      wide: el.scrollWidth > el.clientWidth + 1,
      scrolls: scrolls(el),
      text: longest.slice(0, 50),
    });
  }
  for (const image of document.images) {
    if (!image.complete || image.naturalWidth === 0) {
      problems.push("broken image: " + image.src);
    }
  }
  const text = document.querySelector("main").innerText;
  for (const match of text.matchAll(/\(\(\d+(\.\d+)?\)\)/g)) {
    problems.push("doubled equation reference " + match[0]);
  }
  const numbered = document.querySelector("main h1 .section-number");
  const h1 = numbered ? numbered.parentElement : document.querySelector("main h1");
  return {
    problems,
    title: h1 ? h1.innerText : "",
    links: [...document.querySelectorAll("main a[href]")].map((a) => a.href),
  };
}
