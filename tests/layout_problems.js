// What a reader would call broken in the page as it is laid out now, on screen or on paper.
// test_layout.py runs it in every page. Returns {problems, ellipsed}: a line of text per
// problem, and the words found right before a "…", which the test looks up among the whole
// site's words (a word cut short is one that no page spells out in full).
() => {
  "use strict";
  const problems = [];
  const viewport = { left: 0, right: window.innerWidth };

  function name(el) {
    const text = (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 60);
    const classes = typeof el.className === "string" ? el.className.trim() : "";
    return `<${el.tagName.toLowerCase()}${classes ? "." + classes.split(/\s+/).join(".") : ""}> "${text}"`;
  }

  const seen = new Map(); // element -> shown, so each is styled once
  function shown(el) {
    if (!el || el.nodeType !== 1) return true;
    if (seen.has(el)) return seen.get(el);
    const style = getComputedStyle(el);
    let visible = style.display !== "none" && style.visibility !== "hidden" && style.opacity !== "0";
    visible = visible && shown(el.parentElement);
    if (visible) {
      const box = el.getBoundingClientRect();
      // (a narrow screen's navigation drawer waits outside the viewport)
      visible = box.right > 0 && box.left < viewport.right && (box.width > 0 || box.height > 0 || style.display === "contents");
    }
    seen.set(el, visible);
    return visible;
  }

  // Rectangles of the text of `node` from `start` to `end`, one or more per line.
  const range = document.createRange();
  function textRects(node, start = 0, end = node.textContent.length) {
    range.setStart(node, start);
    range.setEnd(node, end);
    return [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0);
  }

  // How many lines the rectangles stand on.
  function lineCount(rects) {
    const middle = (r) => (r.top + r.bottom) / 2;
    let lines = 0;
    let last = -Infinity;
    for (const rect of [...rects].sort((a, b) => middle(a) - middle(b))) {
      if (middle(rect) - last > rect.height / 2) lines += 1;
      last = middle(rect);
    }
    return lines;
  }

  function textNodes(root) {
    const found = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!node.textContent.trim() || !parent) continue;
      if (parent.closest("svg, script, style, .md-tag-shadow") || !shown(parent)) continue;
      found.push(node);
    }
    return found;
  }

  const scrolls = (style) => style.overflowX === "auto" || style.overflowX === "scroll";
  const clips = (style) => style.overflowX === "hidden" || style.overflowX === "clip";

  // What a reader looks at: the page's text and the site's title.
  const column = document.querySelector(".md-content");
  const scopes = [column, document.querySelector(".md-header__title")].filter(
    (el) => el && shown(el),
  );

  const pageWidth = document.documentElement.scrollWidth;
  if (pageWidth > viewport.right + 1) {
    problems.push(`the page scrolls sideways: ${pageWidth}px in a ${viewport.right}px window`);
  }

  // 1. Nothing wider than its box: a box that scrolls says so, a box that clips cuts no text,
  //    and nothing else sticks out of the page's column.
  const boxes = new Set(); // elements that scroll or clip what is wider than they are
  for (const scope of scopes) {
    const edges = scope === column ? column.getBoundingClientRect() : viewport;
    for (const el of [scope, ...scope.querySelectorAll("*")]) {
      if (el instanceof SVGElement || !shown(el)) continue;
      const style = getComputedStyle(el);
      if (scrolls(style) || clips(style)) boxes.add(el);
      const overflows = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0;
      if (overflows && scrolls(style) && !el.hasAttribute("data-pb-scrolls")) {
        problems.push(`scrolls sideways with no sign of it: ${name(el)}`);
      }
      if (overflows && clips(style)) {
        const box = el.getBoundingClientRect();
        const cut = textNodes(el).some((node) =>
          textRects(node).some((r) => r.right > box.right + 1 || r.left < box.left - 1),
        );
        if (cut) problems.push(`text cut off at the edge: ${name(el)}`);
      }
      let inside = false;
      for (let at = el.parentElement; at && at !== scope.parentElement; at = at.parentElement) {
        if (boxes.has(at)) inside = true;
      }
      // Line by line: code wrapped from one line's end to the next line's start spans the
      // column as a whole, but each of its pieces is inside it.
      const out = (e) =>
        [...e.getClientRects()].some((b) => b.right > edges.right + 1 || b.left < edges.left - 1);
      // (named once, by the outermost element that sticks out)
      if (!inside && out(el) && !(el.parentElement && out(el.parentElement))) {
        const width = Math.max(...[...el.getClientRects()].map((b) => b.width));
        problems.push(`sticks out of the page (${Math.round(width)}px wide): ${name(el)}`);
      }
    }
  }

  // 2. Every label of a diagram inside the diagram.
  for (const svg of document.querySelectorAll(".md-content svg")) {
    if (!shown(svg)) continue;
    const frame = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll("text")) {
      const box = text.getBoundingClientRect();
      if (box.width === 0) continue;
      if (
        box.left < frame.left - 1 || box.right > frame.right + 1 ||
        box.top < frame.top - 1 || box.bottom > frame.bottom + 1
      ) {
        problems.push(`diagram label outside its picture: "${text.textContent}"`);
      }
    }
  }

  // 3. No word broken across two lines. A line may break after a space, a hyphen, a dash or a
  //    slash, or before an opening bracket; anywhere else, a word was cut.
  const ellipsed = [];
  for (const scope of scopes) {
    for (const node of textNodes(scope)) {
      const text = node.textContent;
      for (const match of text.matchAll(/(\p{L}+)…/gu)) ellipsed.push(match[1]);
      if (node.parentElement.closest("pre")) continue; // code blocks keep their lines
      if (lineCount(textRects(node)) < 2) continue;
      for (const match of text.matchAll(/[([]?[^\s\-–—/([]+[-–—/]?/gu)) {
        if (match[0].length < 2) continue;
        if (lineCount(textRects(node, match.index, match.index + match[0].length)) > 1) {
          problems.push(`word broken across lines: "${match[0]}" in ${name(node.parentElement)}`);
        }
      }
    }
  }

  // 4. Headings of at most two lines. A decision's heading is the sentence decided (it is what
  // search finds), set at the size of the text: it may run longer.
  for (const heading of document.querySelectorAll(".md-content :is(h1, h2, h3, h4)")) {
    if (!shown(heading) || heading.classList.contains("pb-decision")) continue;
    const lines = lineCount(textNodes(heading).flatMap((node) => textRects(node)));
    if (lines > 2) problems.push(`heading on ${lines} lines: ${name(heading)}`);
  }

  return { problems, ellipsed };
}
