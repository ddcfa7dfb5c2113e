// While a statement is being made, check its state every few seconds and show the change.
// Without JavaScript the page offers a "Check again" link instead.
(function () {
  var box = document.querySelector("[data-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var label = box.querySelector("[data-status-label]");
  var manual = box.querySelector("[data-manual-refresh]");
  if (manual) { manual.hidden = true; }
  function check() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (label) { label.textContent = data.label; }
        if (data.in_progress) { window.setTimeout(check, 2500); }
        else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(check, 5000); });
  }
  window.setTimeout(check, 2000);
})();
