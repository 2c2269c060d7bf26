/* Checklists you can tick: each box's state is kept in this browser (localStorage), keyed by
 * checklist and item id. A saved tick also records a fingerprint of the item's text, so when an
 * item is reworded or its id reused, the old tick is dropped instead of shown against it.
 * Nothing leaves the browser.
 *
 * Progress is summed up where a reader looks for it: an element marked data-progress="pack"
 * (an onboarding pack) gets one summary with a button that clears its ticks, and each
 * data-progress="group" inside it (a week of the pack) a count of its own. A checklist outside
 * any such element gets a summary of its own. A click anywhere on an item ticks it. */
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
          row: rows[i],
          print: fingerprint(rows[i].textContent || ""),
        });
      }
    }
    return items;
  }

  // A click on an item's text ticks it like a click on its box; links in it still lead away,
  // and selecting its text ticks nothing.
  function clickable(item) {
    item.row.addEventListener("click", function (event) {
      if (event.target.closest("a, label, input, button")) return;
      if (String(window.getSelection ? window.getSelection() : "")) return;
      item.box.click();
    });
  }

  function summaryBar(host, kind, clears) {
    var bar = document.createElement("div");
    bar.className = "pb-progress pb-progress--" + kind;
    bar.innerHTML =
      '<span class="pb-progress__count" aria-live="polite"></span>' +
      '<span class="pb-progress__track"><span class="pb-progress__fill"></span></span>' +
      (clears ? '<button type="button" class="pb-progress__reset">Clear ticks</button>' : "");
    host.insertBefore(bar, host.firstChild);
    return bar;
  }

  function show(summary) {
    var items = summary.items;
    var done = items.filter(function (item) { return item.box.checked; }).length;
    var bar = summary.bar;
    bar.querySelector(".pb-progress__count").textContent = done + " of " + items.length + " done";
    bar.querySelector(".pb-progress__fill").style.width =
      (items.length ? (100 * done) / items.length : 0) + "%";
    bar.classList.toggle("pb-progress--complete", done === items.length && done > 0);
  }

  function summaries(lists) {
    var found = [];
    document.querySelectorAll("[data-progress]").forEach(function (scope) {
      var items = [];
      lists.forEach(function (list) {
        if (scope.contains(list.container)) items = items.concat(list.items);
      });
      if (!items.length) return;
      var kind = scope.getAttribute("data-progress");
      found.push({ bar: summaryBar(scope, kind, kind !== "group"), items: items });
    });
    lists.forEach(function (list) {
      if (!list.container.closest("[data-progress]")) {
        found.push({ bar: summaryBar(list.container, "list", true), items: list.items });
      }
    });
    return found;
  }

  function setUpPage() {
    var store = storage();
    var lists = [];
    document.querySelectorAll(".pb-checklist[data-checklist]").forEach(function (container) {
      if (container.classList.contains("pb-checklist--live")) return; // already set up
      var items = itemsOf(container);
      if (items.length) lists.push({ container: container, items: items });
    });
    var all = summaries(lists);
    function refresh() {
      all.forEach(show);
      document.dispatchEvent(new CustomEvent("playbook:ticked"));
    }
    lists.forEach(function (list) {
      list.container.classList.add("pb-checklist--live");
      list.items.forEach(function (item) {
        var saved = store && store.getItem(item.key);
        if (saved && saved !== item.print) store.removeItem(item.key); // stale: text changed
        item.box.disabled = false;
        item.box.checked = saved === item.print;
        item.box.onchange = function () {
          if (store) {
            if (item.box.checked) store.setItem(item.key, item.print);
            else store.removeItem(item.key);
          }
          refresh();
        };
        clickable(item);
      });
    });
    all.forEach(function (summary) {
      var reset = summary.bar.querySelector(".pb-progress__reset");
      if (!reset) return;
      reset.onclick = function () {
        summary.items.forEach(function (item) {
          item.box.checked = false;
          if (store) store.removeItem(item.key);
        });
        refresh();
      };
    });
    all.forEach(show);
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
