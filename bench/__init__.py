"""Benchmarks of the Qualizyklus engine: each figure is a ratio against a baseline measured in
the same run, printed as a table and written to bench/results/<name>.json.

Run with ``make bench`` or ``python -m bench [--quick] [--only NAME]``; see bench/README.md.
"""
