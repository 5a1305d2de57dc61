"""Demo and scale data that seed every app: on top of the layers, imported by its seed_demo command,
the benchmark and tests only."""
