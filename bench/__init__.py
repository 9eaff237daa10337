"""Benchmarks of keyproj at scale, and the deterministic data generator they run on.

`python -m bench` (or `make bench`) runs everything; see bench/README.md.
"""
