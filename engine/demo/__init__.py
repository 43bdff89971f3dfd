"""Demo data: two realistic networks and generated installations at scale.

`qualizyklus demo` loads the networks; `qualizyklus demo --scale` generates the rest.
"""
