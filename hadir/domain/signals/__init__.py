"""Fraud signals: one module per signal, each `detect(inp, policy) -> list[SignalHit]`.

`runner.run` sets bad records aside, runs every signal in `runner.REGISTRY` and scores the hits
with `scoring` (per employee-day and per employee-month). Pure: no Django, no clock, no I/O.
"""
