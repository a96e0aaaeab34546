"""The weekly activity report (``scripts/report.py``): numbers from the activity views,
a terminal table and a self-contained HTML page with SVG charts."""
