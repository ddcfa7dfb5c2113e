// A form marked data-submit-once is sent once: a second click (or Enter) while the first is on its
// way does nothing, so a double click cannot make two of something (a second API token would be
// refused, and the first's secret lost with the page that showed it). Without JavaScript the form
// works as before, and the server refuses the duplicate and says what to do.
(function () {
  var forms = document.querySelectorAll("form[data-submit-once]");
  function ready(form) {
    delete form.dataset.sent;
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.removeAttribute("aria-disabled"); });
  }
  forms.forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
    });
  });
  // Back to the page from the browser's cache: it may be sent again.
  window.addEventListener("pageshow", function (event) { if (event.persisted) { forms.forEach(ready); } });
})();
