"""Few-shot plans shown to the planner during the evaluation.

The data sets' tools are new to the planner on every item, so these
examples use tools of their own (named in each example) and only teach the
plan's form: one call per request, independent calls side by side, a
result used through `$N`, and a plan of only `join()` when no tool fits.
They never use a tool or question of BFCL or Seal-Tools.
"""

from __future__ import annotations

EXAMPLES: tuple[str, ...] = (
    """Tools: get_weather(city: str, unit: str = None)
Question: What is the weather in Paris and in Tokyo, in celsius?
1. get_weather(city="Paris", unit="celsius")
2. get_weather(city="Tokyo", unit="celsius")
3. join()
<END_OF_PLAN>""",
    """Tools: find_flight(origin: str, destination: str), book_seat(flight_id: str, seats: int)
Question: Find a flight from Oslo to Rome and book 2 seats on it.
1. find_flight(origin="Oslo", destination="Rome")
2. book_seat(flight_id=$1, seats=2)
3. join()
<END_OF_PLAN>""",
    """Tools: convert_currency(amount: float, source: str, target: str)
Question: Who wrote the novel Dracula?
1. join()
<END_OF_PLAN>""",
)
