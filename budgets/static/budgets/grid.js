// The budget section grid: sums per row, per column and for the whole budget, the balance and the
// medfinansiering % follow what is typed, before anything is saved. Amounts are whole thousands of
// kroner typed the Danish way ("1.234"); a cell that is not such a number is marked beside the cell.
// Enter and the up/down arrows move to the same column in the next or previous row. The server checks
// and saves everything again; this file only shows the figures early.
(function () {
  "use strict";

  var AMOUNT = /^(?:\d{1,3}(?:\.\d{3})+|\d+)$/;
  var MESSAGE = "Skriv et helt antal tusinde kroner, f.eks. 1.234.";
  var FINANCING = ["lbf", "bo_cash", "bo_hours", "kom_cash", "kom_hours", "other"];

  function parse(text) {
    text = (text || "").replace(/[\s\u00a0]/g, "");
    if (!text) { return 0; }
    if (!AMOUNT.test(text)) { return NaN; }
    return parseInt(text.replace(/\./g, ""), 10);
  }

  function format(number) {
    var sign = number < 0 ? "-" : "";
    var digits = String(Math.abs(number));
    return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function percent(part, whole) {
    if (!whole) { return "–"; }
    var value = Math.round(part * 1000 / whole) / 10;  // one decimal, as the sheet's checks round it
    return value.toFixed(1).replace(".", ",") + " %";
  }

  function markCell(input, valid) {
    var cell = input.closest("td");
    var error = document.getElementById(input.getAttribute("aria-describedby"));
    if (valid) {
      if (input.dataset.clientError) {
        cell.classList.remove("invalid");
        input.removeAttribute("aria-invalid");
        if (error) { error.textContent = ""; error.hidden = true; }
        delete input.dataset.clientError;
      }
    } else if (!input.dataset.clientError) {
      cell.classList.add("invalid");
      input.setAttribute("aria-invalid", "true");
      if (error) { error.textContent = MESSAGE; error.hidden = false; }
      input.dataset.clientError = "1";
    }
  }

  function setOutput(scope, selector, value, bad) {
    var output = scope.querySelector(selector);
    if (!output) { return; }
    output.value = output.textContent = value;
    var cell = output.closest("td");
    if (cell) { cell.classList.toggle("bad", Boolean(bad)); }
  }

  function recalc(grid) {
    var sums = { total: 0, balance: 0 };
    var cofinancing = 0;
    var valid = true;
    grid.querySelectorAll("tbody.rows > tr.row").forEach(function (row) {
      var removed = row.querySelector('input[name$="-DELETE"]');
      var figures = { total: 0, financing: 0 };
      row.querySelectorAll("td[data-col] input").forEach(function (input) {
        var amount = parse(input.value);
        markCell(input, !isNaN(amount));
        if (isNaN(amount)) { valid = false; amount = 0; }
        var column = input.closest("td").dataset.col;
        if (removed && removed.checked) { return; }
        sums[column] = (sums[column] || 0) + amount;
        if (column.indexOf("year-") === 0) {
          figures.total += amount;
        } else {
          figures.financing += amount;
          if (column !== "lbf") { cofinancing += amount; }
        }
      });
      var balance = figures.total - figures.financing;
      setOutput(row, 'output[data-row="total"]', format(figures.total));
      setOutput(row, 'output[data-row="balance"]', format(balance), balance !== 0);
      if (!(removed && removed.checked)) {
        sums.total += figures.total;
        sums.balance += balance;
      }
    });
    grid.querySelectorAll("tfoot output[data-sum]").forEach(function (output) {
      var key = output.dataset.sum;
      setOutput(output.closest("td"), "output", format(sums[key] || 0), key === "balance" && sums[key] !== 0);
    });
    var total = parseInt(grid.dataset.otherTotal, 10) + sums.total;
    var cofin = parseInt(grid.dataset.otherCofinancing, 10) + cofinancing;
    var balance = parseInt(grid.dataset.otherBalance, 10) + sums.balance;
    var minimum = parseFloat(grid.dataset.minPercent);
    setOutput(grid, 'output[data-key="total"]', format(total));
    setOutput(grid, 'output[data-key="cofinancing"]', format(cofin));
    setOutput(grid, 'output[data-key="balance"]', format(balance), balance !== 0);
    setOutput(grid, 'output[data-key="percent"]', percent(cofin, total),
              total && Math.round(cofin * 1000 / total) / 10 < minimum);
    grid.classList.toggle("has-client-errors", !valid);
  }

  function move(input, step) {
    var cell = input.closest("td");
    var row = cell.closest("tr");
    var index = Array.prototype.indexOf.call(row.children, cell);
    var target = step > 0 ? row.nextElementSibling : row.previousElementSibling;
    while (target) {
      var field = target.children[index] && target.children[index].querySelector("input, select");
      if (field) { field.focus(); if (field.select) { field.select(); } return true; }
      target = step > 0 ? target.nextElementSibling : target.previousElementSibling;
    }
    return false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var grid = document.querySelector("form.budget-grid");
    if (!grid) { return; }
    recalc(grid);
    grid.addEventListener("input", function () { recalc(grid); });
    grid.addEventListener("change", function () { recalc(grid); });
    grid.addEventListener("click", function (event) {
      if (event.target.closest(".add-row")) { window.setTimeout(function () { recalc(grid); }, 0); }
    });
    grid.addEventListener("keydown", function (event) {
      var input = event.target;
      if (!input.matches || !input.matches("tbody.rows input[type=text]")) { return; }
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault();  // Enter in a cell moves down instead of submitting the grid
        move(input, 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        move(input, -1);
      }
    });
  });
})();
