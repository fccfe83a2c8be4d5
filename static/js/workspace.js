// The workspace's few behaviours: add/remove/reorder formset rows, insert a clause into a text
// field, and warn before leaving a form with unsaved changes. Everything works with plain form posts;
// this file only makes the editors quicker to use.
(function () {
  "use strict";

  var dirty = false;

  function renumber(formset) {
    var n = 1;
    formset.querySelectorAll(".rows > .row").forEach(function (row) {
      var del = row.querySelector('input[name$="-DELETE"]');
      var order = row.querySelector(".order-input");
      if (order && !(del && del.checked)) { order.value = n++; }
    });
  }

  function addRow(button) {
    var formset = button.closest(".formset");
    var prefix = formset.dataset.prefix;
    var total = formset.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var index = parseInt(total.value, 10);
    var html = formset.querySelector("template.empty-row").innerHTML.replace(/__prefix__/g, String(index));
    var rows = formset.querySelector(".rows");
    rows.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    var note = formset.querySelector(".empty-note");
    if (note) { note.remove(); }
    renumber(formset);
    var row = rows.lastElementChild;
    var first = row.querySelector("input[type=text], select, textarea");
    if (first) { first.focus(); }
    dirty = true;
  }

  function move(button, up) {
    var row = button.closest(".row");
    if (up && row.previousElementSibling) {
      row.parentNode.insertBefore(row, row.previousElementSibling);
    } else if (!up && row.nextElementSibling) {
      row.parentNode.insertBefore(row.nextElementSibling, row);
    }
    renumber(row.closest(".formset"));
    button.focus();
    dirty = true;
  }

  function insertClause(button) {
    var field = document.getElementById(button.dataset.target);
    var text = document.getElementById(button.dataset.source).value;
    var current = field.value.replace(/\s+$/, "");
    var start = current ? current.length + 2 : 0;
    field.value = current ? current + "\n\n" + text : text;
    field.focus();
    field.setSelectionRange(start, field.value.length);
    field.dispatchEvent(new Event("input", { bubbles: true }));
    var picker = button.closest("details");
    if (picker) { picker.open = false; }
    dirty = true;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target.closest(".add-row");
    if (button) { addRow(button); return; }
    button = target.closest(".move-up");
    if (button) { move(button, true); return; }
    button = target.closest(".move-down");
    if (button) { move(button, false); return; }
    button = target.closest(".insert-clause");
    if (button) { insertClause(button); }
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches('input[name$="-DELETE"]')) {
      var row = input.closest(".row");
      row.classList.toggle("removed", input.checked);
      renumber(row.closest(".formset"));
    }
  });

  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("form.editor")) { dirty = true; }
  });
  document.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
