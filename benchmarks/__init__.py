"""Side-by-side benchmarks of b24desk and peer tools on the loopback sandbox portal.

Run `python benchmarks/run.py --help`. Nothing here is imported by b24desk itself.
"""
