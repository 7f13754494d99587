"""A Bitrix24 portal in a box, faithful to the documented REST behaviour.

Used by the tests, the benchmarks and the demo mode. Never imports Qt or the core.
"""
