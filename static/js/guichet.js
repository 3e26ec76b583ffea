/* Guichet Apprentissage: small page behaviours, no dependency.
   - A form that comes back with errors moves the focus to its error summary, so that screen-reader
     and keyboard users hear the errors first (RGAA 11.10, 11.11). */
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }
})();
