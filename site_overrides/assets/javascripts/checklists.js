/* Checklists you can tick: each box's state is kept in this browser (localStorage), keyed by
 * checklist and item id. A saved tick also records a fingerprint of the item's text, so when an
 * item is reworded or its id reused, the old tick is dropped instead of shown against it.
 * Nothing leaves the browser. */
(function () {
  "use strict";
  var PREFIX = "playbook:tick:";

  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; // private mode or storage disabled: boxes still tick, nothing is kept
    }
  }

  function fingerprint(text) {
    var hash = 5381;
    var clean = text.replace(/\s+/g, " ").trim();
    for (var i = 0; i < clean.length; i++) {
      hash = ((hash << 5) + hash + clean.charCodeAt(i)) | 0;
    }
    return (hash >>> 0).toString(36);
  }

  function itemsOf(container) {
    var ids = (container.getAttribute("data-items") || "").split(/\s+/).filter(Boolean);
    var rows = container.querySelectorAll(":scope > ul > li.task-list-item");
    var items = [];
    for (var i = 0; i < rows.length && i < ids.length; i++) {
      var box = rows[i].querySelector("input[type=checkbox]");
      if (box) {
        // the box's own label is empty (the text sits beside it): name it for screen readers
        box.setAttribute("aria-label", (rows[i].textContent || "").replace(/\s+/g, " ").trim());
        items.push({
          key: PREFIX + container.getAttribute("data-checklist") + "#" + ids[i],
          box: box,
          print: fingerprint(rows[i].textContent || ""),
        });
      }
    }
    return items;
  }

  function progressBar(container) {
    var bar = container.querySelector(":scope > .pb-progress");
    if (bar) return bar;
    bar = document.createElement("div");
    bar.className = "pb-progress";
    bar.innerHTML =
      '<span class="pb-progress__count" aria-live="polite"></span>' +
      '<span class="pb-progress__track"><span class="pb-progress__fill"></span></span>' +
      '<button type="button" class="pb-progress__reset">Clear ticks</button>';
    container.insertBefore(bar, container.firstChild);
    return bar;
  }

  function showProgress(bar, items) {
    var done = items.filter(function (item) { return item.box.checked; }).length;
    bar.querySelector(".pb-progress__count").textContent = done + " of " + items.length + " done";
    bar.querySelector(".pb-progress__fill").style.width =
      (items.length ? (100 * done) / items.length : 0) + "%";
    bar.classList.toggle("pb-progress--complete", done === items.length && done > 0);
  }

  function setUp(container, store) {
    var items = itemsOf(container);
    if (!items.length) return;
    var bar = progressBar(container);
    items.forEach(function (item) {
      var saved = store && store.getItem(item.key);
      if (saved && saved !== item.print) store.removeItem(item.key); // stale: text changed
      item.box.disabled = false;
      item.box.checked = saved === item.print;
      item.box.onchange = function () {
        if (store) {
          if (item.box.checked) store.setItem(item.key, item.print);
          else store.removeItem(item.key);
        }
        showProgress(bar, items);
        document.dispatchEvent(new CustomEvent("playbook:ticked"));
      };
    });
    bar.querySelector(".pb-progress__reset").onclick = function () {
      items.forEach(function (item) {
        item.box.checked = false;
        if (store) store.removeItem(item.key);
      });
      showProgress(bar, items);
      document.dispatchEvent(new CustomEvent("playbook:ticked"));
    };
    showProgress(bar, items);
  }

  function setUpPage() {
    var store = storage();
    document.querySelectorAll(".pb-checklist[data-checklist]").forEach(function (container) {
      setUp(container, store);
    });
  }

  // Material's instant navigation swaps pages without a reload; document$ fires on each one.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpPage);
  } else {
    setUpPage();
  }
})();
