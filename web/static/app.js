// Progressive enhancement only: every form and link works without this file.
// Buttons marked data-confirm ask before their form is sent (cancel a meeting, withdraw, merge).
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var question = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
