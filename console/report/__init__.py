"""Situation reports made without a console: `sitroom report` loads an office's rows from a
server database into a temporary replica (as a first sync would), builds the report with
`console.views.sitrep` and renders it with `console.ui.report_pdf` (Qt offscreen)."""
