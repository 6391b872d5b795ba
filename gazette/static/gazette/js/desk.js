/* The moderation desk's keyboard: next, previous, approve, reject, feature,
 * select, open, help. Every action is a button or link on the page that works
 * without this file; the keys only press them. */
(function () {
  "use strict";

  var current = -1;

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-desk-item]"));
  }

  function focusItem(index) {
    var list = items();
    if (!list.length) { return; }
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach(function (item, position) {
      item.classList.toggle("desk-item--current", position === current);
    });
    list[current].focus();
    list[current].scrollIntoView({ block: "nearest" });
  }

  function currentItem() {
    var list = items();
    if (current < 0 || current >= list.length) { return null; }
    return list[current];
  }

  function press(action) {
    var item = currentItem();
    if (!item) { return; }
    var control = item.querySelector('[data-desk-action="' + action + '"]');
    if (control) { control.click(); }
  }

  function toggleHelp() {
    var help = document.getElementById("desk-help");
    var toggle = document.querySelector("[data-desk-help]");
    if (!help) { return; }
    var shown = help.classList.toggle("desk-help--shown");
    if (toggle) { toggle.setAttribute("aria-expanded", shown ? "true" : "false"); }
    if (shown) { help.scrollIntoView({ block: "nearest" }); }
  }

  function typing(target) {
    var tag = target.tagName;
    return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var key = event.key;
    var handled = true;
    if (key === "j" || key === "ArrowDown") {
      focusItem(current + 1);
    } else if (key === "k" || key === "ArrowUp") {
      focusItem(current - 1);
    } else if (key === "a") {
      press("approve");
    } else if (key === "r") {
      press("reject");
    } else if (key === "f") {
      press("feature");
    } else if (key === "o" || (key === "Enter" && event.target.hasAttribute("data-desk-item"))) {
      press("open");
    } else if (key === "x") {
      var item = currentItem();
      var box = item && item.querySelector("[data-desk-select]");
      if (box) { box.checked = !box.checked; }
    } else if (key === "?") {
      toggleHelp();
    } else {
      handled = false;
    }
    if (handled) { event.preventDefault(); }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-desk-help]")) { toggleHelp(); }
    var item = event.target.closest("[data-desk-item]");
    if (item) { current = items().indexOf(item); }
  });

  // After a decision the item comes back in its new state: keep the place and
  // move on to the next comment, as a moderator working down a queue expects.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.matches && event.target.matches("[data-desk-item]")) {
      var list = items();
      var index = list.indexOf(event.target);
      if (index >= 0) { focusItem(index + 1 < list.length ? index + 1 : index); }
    }
  });
})();
