/* Page layout that CSS alone cannot do.
 *
 * - Boxes wider than the screen (a table, a code block, a diagram) scroll sideways, which a
 *   phone does not show: its scroll bars are hidden. Each such box is marked with the sides it
 *   hides (data-pb-scrolls="left right"), which the stylesheet fades out, and gets a note above
 *   it. Boxes that fit are left alone, and the marks follow resizing and scrolling.
 * - A heading's permalink sign is kept on one line with the heading's last word, so it never
 *   wraps alone onto a line of its own (an empty line under the heading while it is hidden).
 * - Material scrolls the navigation so the current page's entry is in its middle, which can
 *   leave the entry at its top half hidden under the section's title; it is scrolled back to
 *   show that entry whole.
 */
(function () {
  "use strict";
  var BOXES = ".md-typeset__scrollwrap, .md-typeset pre > code, .md-typeset .pb-figure";
  var NOTES = {
    right: "More to the right: scroll sideways \u2192",
    left: "\u2190 More to the left",
    "left right": "\u2190 Scroll sideways for more \u2192",
  };

  function noteOf(box) {
    var anchor = box.matches("pre > code") ? box.parentElement : box;
    var before = anchor.previousElementSibling;
    if (before && before.classList.contains("pb-scroll-cue")) return before;
    var note = document.createElement("p");
    note.className = "pb-scroll-cue";
    note.setAttribute("aria-hidden", "true"); // it repeats what the fading edge shows
    anchor.parentElement.insertBefore(note, anchor);
    return note;
  }

  function mark(box) {
    var hidden = [];
    if (box.scrollLeft > 1) hidden.push("left");
    if (box.scrollLeft + box.clientWidth < box.scrollWidth - 1) hidden.push("right");
    if (box.scrollWidth - box.clientWidth <= 1) {
      box.removeAttribute("data-pb-scrolls");
      var anchor = box.matches("pre > code") ? box.parentElement : box;
      var before = anchor.previousElementSibling;
      if (before && before.classList.contains("pb-scroll-cue")) before.remove();
      return;
    }
    var sides = hidden.join(" ");
    box.setAttribute("data-pb-scrolls", sides);
    box.setAttribute("tabindex", "0"); // so a keyboard can scroll it too
    noteOf(box).textContent = NOTES[sides];
  }

  function markAll() {
    document.querySelectorAll(BOXES).forEach(mark);
  }

  function keepPermalinksWithTheirWord() {
    document.querySelectorAll(".md-typeset .headerlink").forEach(function (link) {
      var before = link.previousSibling;
      if (!before || link.parentNode.classList.contains("pb-nowrap")) return;
      var pair = document.createElement("span");
      pair.className = "pb-nowrap";
      if (before.nodeType === Node.TEXT_NODE) {
        var text = before.textContent.replace(/\s+$/, "");
        var cut = text.search(/\S+$/);
        if (cut < 0) return;
        pair.textContent = text.slice(cut);
        before.textContent = text.slice(0, cut);
      } else {
        pair.appendChild(before); // a heading that ends in code or emphasis
      }
      link.parentNode.insertBefore(pair, link);
      pair.appendChild(link);
    });
  }

  function uncutNavigation() {
    document.querySelectorAll(".md-sidebar--primary .md-sidebar__scrollwrap").forEach(function (wrap) {
      if (!wrap.scrollTop) return;
      var covered = wrap.getBoundingClientRect().top;
      var links = wrap.querySelectorAll(".md-nav__title, .md-nav__link");
      for (var n = 0; n < links.length; n++) {
        var link = links[n].getBoundingClientRect();
        if (getComputedStyle(links[n]).position === "sticky") {
          covered = Math.max(covered, link.bottom); // the section's name, kept at the top
          continue;
        }
        if (!link.height || link.bottom <= covered) continue;
        if (link.top < covered) wrap.scrollTop -= Math.ceil(covered - link.top);
        return;
      }
    });
  }

  function setUpPage() {
    // after Material has scrolled the navigation to the current page
    window.requestAnimationFrame(function () {
      window.requestAnimationFrame(uncutNavigation);
    });
    keepPermalinksWithTheirWord();
    document.querySelectorAll(BOXES).forEach(function (box) {
      box.addEventListener("scroll", function () { mark(box); }, { passive: true });
    });
    markAll();
  }

  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      markAll();
    });
  });

  // Material's instant navigation swaps pages without a reload; document$ fires on each one.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpPage);
  } else {
    setUpPage();
  }
})();
