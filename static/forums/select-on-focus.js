// An invitation link is selected whole when its box gets the focus, ready to copy.
document.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
  input.addEventListener("focus", function () { input.select(); });
});
