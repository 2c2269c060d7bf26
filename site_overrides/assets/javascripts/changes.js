/* Pages changed since the reader's last visit are marked "New": in the navigation (a section
 * whose pages changed, too), and among the entries of the What changed page. The last visit is
 * kept in this browser only (localStorage); nothing is sent anywhere.
 *
 * A visit ends after half an hour without opening a page: the next page opened starts a new
 * one, and what changed after the end of the last one is new. A changed page the reader has
 * opened since is no longer new. On a first visit nothing is marked. The times of the changes
 * come from what-changed/pages.json (page address -> time of its latest change), which the
 * page's <meta name="pb-changes"> names. */
(function () {
  "use strict";
  var KEY = "playbook:last-visit";
  var GAP = 30 * 60 * 1000;
  var meta = document.querySelector('meta[name="pb-changes"]');
  if (!meta || !window.fetch) return;
  var data = new URL(meta.getAttribute("content"), window.location.href);
  var root = new URL("../", data); // the JSON lives at what-changed/pages.json
  var visit = load();
  var now = Date.now();
  if (visit.seen && now - visit.seen > GAP) {
    visit.since = visit.seen;
    visit.read = {};
  }
  visit.seen = now;
  save(visit);
  var changed = null;

  function load() {
    try {
      var found = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      if (found && typeof found === "object") {
        found.read = found.read && typeof found.read === "object" ? found.read : {};
        return found;
      }
    } catch (error) {
      /* storage disabled or damaged: start again */
    }
    return { read: {} };
  }

  function save(value) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(value));
    } catch (error) {
      /* private mode: marks last one visit */
    }
  }

  function pathOf(address) {
    var path = new URL(address, root).pathname;
    return path.replace(/index\.html$/, "");
  }

  function isNew(path) {
    var when = Date.parse(changed[path]);
    return when > visit.since && !(visit.read[path] >= when);
  }

  function badge(label) {
    var mark = document.createElement("span");
    mark.className = "pb-new";
    mark.textContent = "New";
    var hidden = document.createElement("span");
    hidden.className = "pb-visually-hidden";
    hidden.textContent = " " + label;
    mark.appendChild(hidden);
    return mark;
  }

  function markNavigation(fresh) {
    // The site's navigation and tabs, not the table of contents (links within the page).
    var links = document.querySelectorAll(
      ".md-nav--primary a.md-nav__link[href], a.md-tabs__link[href]"
    );
    var home = pathOf("./");
    links.forEach(function (link) {
      if (link.hash || link.querySelector(".pb-new")) return;
      var path = pathOf(link.href);
      var exact = fresh.indexOf(path) >= 0;
      var inside = path !== home && fresh.some(function (p) {
        return p !== path && p.indexOf(path) === 0;
      });
      if (!exact && !inside) return;
      var where = link.querySelector(".md-ellipsis") || link;
      where.appendChild(
        badge(exact ? "(changed since your last visit)" : "(pages changed since your last visit)")
      );
      markSections(link);
    });
  }

  // The sections that hold a marked page, by their titles (a phone shows one level at a time).
  function markSections(link) {
    var item = link.closest(".md-nav__item");
    var section = item && item.parentElement.closest(".md-nav__item--nested");
    while (section) {
      var title = section.querySelector(":scope > label.md-nav__link, :scope > .md-nav__link");
      if (title && !title.querySelector(".pb-new")) {
        var where = title.querySelector(".md-ellipsis") || title;
        where.appendChild(badge("(pages changed since your last visit)"));
      }
      section = section.parentElement.closest(".md-nav__item--nested");
    }
  }

  function markEntries() {
    var entries = document.querySelectorAll(".pb-change[data-pb-changed]");
    var count = 0;
    entries.forEach(function (entry) {
      if (!visit.since || Date.parse(entry.getAttribute("data-pb-changed")) <= visit.since) {
        return; // on a first visit nothing is new
      }
      count += 1;
      if (entry.classList.contains("pb-change--new")) return;
      entry.classList.add("pb-change--new");
      var first = entry.querySelector("p");
      if (first) first.insertBefore(badge("(since your last visit)"), first.firstChild);
    });
    var note = document.querySelector(".pb-visit");
    if (!note) return;
    if (!visit.since) {
      note.textContent = "This is your first visit from this browser: from your next one, " +
        "what changed in between is marked New.";
    } else {
      var day = new Date(visit.since).toLocaleDateString(undefined, { dateStyle: "long" });
      note.textContent = "Your last visit ended on " + day + ". " +
        (count ? count + " of the entries below came after it." : "Nothing has changed since.");
    }
    note.hidden = false;
  }

  function setUpPage() {
    if (changed === null) return;
    var here = pathOf(window.location.href);
    if (changed[here]) {
      visit.read[here] = now;
      save(visit);
    }
    var fresh = visit.since ? Object.keys(changed).filter(isNew) : [];
    markNavigation(fresh);
    markEntries();
  }

  window.fetch(data.href)
    .then(function (response) {
      return response.ok ? response.json() : {};
    })
    .then(function (pages) {
      changed = {};
      Object.keys(pages).forEach(function (address) {
        changed[pathOf(address)] = pages[address];
      });
      if (window.document$ && typeof window.document$.subscribe === "function") {
        window.document$.subscribe(setUpPage);
      } else {
        setUpPage();
      }
    })
    .catch(function () {
      /* no data (a site built without history): nothing is marked */
    });
})();
