"""The example plans' helpers: which tools feed which, for ToolRAG's companions."""

from __future__ import annotations

from agentc.tools.examples import DESKTOP_EXAMPLES, example_feeders


def test_a_reference_makes_the_referenced_tool_a_feeder() -> None:
    plan = """Question: Find a flight from Oslo to Rome and book 2 seats on it.
1. find_flight(origin="Oslo", destination="Rome")
2. get_weather(city="Rome")
3. book_seat(flight_id=$1, note="${2}")
4. join()
<END_OF_PLAN>"""
    assert example_feeders([plan]) == {"book_seat": {"find_flight", "get_weather"}}


def test_a_feeder_must_feed_the_tool_in_every_plan_that_calls_it() -> None:
    with_file = """Question: Email Ann the slides.
1. get_email_address(name="Ann")
2. find_file(name="slides")
3. send_email(recipients=["$1"], subject="Slides", attachments=["$2"])
4. join()
<END_OF_PLAN>"""
    without = """Question: Email Bo that I am late.
1. get_email_address(name="Bo")
2. send_email(recipients=["$1"], subject="Late")
3. join()
<END_OF_PLAN>"""
    assert example_feeders([with_file]) == {"send_email": {"get_email_address", "find_file"}}
    assert example_feeders([with_file, without]) == {"send_email": {"get_email_address"}}
    assert example_feeders([with_file, "Question: Mail it.\n1. send_email(recipients=[\"a@b.c\"])\n2. join()"]) == {}


def test_the_desktop_examples_send_messages_to_looked_up_people() -> None:
    feeders = example_feeders(DESKTOP_EXAMPLES)
    assert feeders["send_sms"] == {"get_phone_number"}
    assert feeders["send_email"] == {"get_email_address"}
    assert "get_phone_number" not in feeders


def test_plans_without_references_have_no_feeders() -> None:
    assert example_feeders(["Question: What is 2 + 2?\n1. calculate(expression=\"2 + 2\")\n2. join()\n<END_OF_PLAN>"]) == {}
