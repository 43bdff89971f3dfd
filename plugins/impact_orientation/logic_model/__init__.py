"""The network's logic model (Wirkmodell) of the impact orientation theme, drawn and checked.

Elements in the NZFH's four columns (Rahmenbedingungen, Konzept, Aktivitätsbereiche,
Resultate), arrows ("führt zu") with the assumptions behind them, and results tied to the
cycle's goals. The model lives as theme records on the cycle; these modules read it
(:mod:`.model`), lay it out (:mod:`.layout`), draw it as SVG (:mod:`.svg`), list it as a
table (:mod:`.table`), check it (:mod:`.checks`) and hand the theme's page one context
(:func:`.view.view_context`).
"""
