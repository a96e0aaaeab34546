"""Embedded services for local runs, tests and benchmarks: PostgreSQL and Temporal."""
