// The country list, found by typing: a search box above each country <select> keeps only the
// countries whose name contains what is typed (accents and case ignored). Without JavaScript
// the list works as it is.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("select[data-country-filter]").forEach(function (select) {
    var all = Array.prototype.slice.call(select.options).map(function (option) {
      return { option: option, key: fold(option.text) };
    });
    var box = document.createElement("input");
    box.type = "search";
    box.id = select.id + "-filter";
    box.className = "country-filter";
    box.setAttribute("autocomplete", "off");
    var label = document.createElement("label");
    label.htmlFor = box.id;
    label.className = "helptext";
    label.textContent = select.getAttribute("data-country-filter");
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var wanted = fold(box.value.trim());
      var chosen = select.value;
      while (select.options.length) select.remove(0);
      all.forEach(function (entry) {
        if (!entry.option.value || !wanted || entry.key.indexOf(wanted) !== -1 ||
            entry.option.value === chosen) {
          select.add(entry.option);
        }
      });
      var matches = select.options.length;
      if (matches === 2 && !select.options[0].value) select.selectedIndex = 1;
      else select.value = chosen;
    });
  });
})();
