"""The cycle report (Qualitätsbericht) and the cycle's data exports.

``content`` assembles what the report says, once per request and in the reader's language;
the HTML page (web/templates/reports/report.html) shows it, and ``pdf`` prints that page
as a tagged PDF with WeasyPrint.
``exports`` writes goals, measures and indicator values as CSV and XLSX; ``views`` serves
all of them to the members of the cycle's organisation.
"""
