"""Benchmarks: each `*_bench.py` module measures figures against a baseline from the same run."""
