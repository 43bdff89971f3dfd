/* The report page's print button (web/templates/reports/report.html): shown only where
   JavaScript runs; without it the link to the PDF prints the report. */
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
