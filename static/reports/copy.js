// "Copy the text" beside a textarea: copies its current content (edits included).
document.querySelectorAll("[data-copy-target]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var area = document.getElementById(button.dataset.copyTarget);
    var done = function () { button.textContent = button.dataset.copied; };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(area.value).then(done);
    } else {
      area.select();
      document.execCommand("copy");
      done();
    }
  });
});
