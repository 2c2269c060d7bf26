/* The collaboration map: pointing at or focusing a role's name picks out its bands (those it
 * gives, if the name is on the givers' side; those it receives, on the receivers' side; both
 * on a phone, where each role is one row) and fades the rest, so one giver can be followed to each receiver. Without this script the map
 * shows every band alike. */
(function () {
  "use strict";

  function pick(role) {
    var map = role.closest(".pb-map");
    var side = role.dataset.side; // "giver", "receiver", or "both" (a phone's one row a role)
    var id = role.dataset.role;
    map.setAttribute("data-pb-active", id);
    map.querySelectorAll(".pb-flow").forEach(function (band) {
      var gives = side !== "receiver" && band.dataset.from === id;
      var takes = side !== "giver" && band.dataset.to === id;
      band.classList.toggle("pb-flow--on", gives || takes);
    });
    map.querySelectorAll(".pb-role").forEach(function (other) {
      other.classList.toggle("pb-role--on", other === role);
    });
  }

  function clear(map) {
    map.removeAttribute("data-pb-active");
    map.querySelectorAll(".pb-flow--on, .pb-role--on").forEach(function (element) {
      element.classList.remove("pb-flow--on", "pb-role--on");
    });
  }

  ["mouseover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var role = event.target.closest && event.target.closest(".pb-map .pb-role");
      if (role) pick(role);
    });
  });
  ["mouseout", "focusout"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var role = event.target.closest && event.target.closest(".pb-map .pb-role");
      if (role && !role.contains(event.relatedTarget)) clear(role.closest(".pb-map"));
    });
  });
})();
