"""Questions and gold plans for the desktop tools: contacts, messages, mail,
calendar, reminders, notes, files, maps and meeting links.

Plans follow the toolkit's own examples: a person's address or number is
looked up first and fed to the message by `$N`, a file is found before it is
opened, attached or summarized, and dates are written in forms the toolkit's
date parser reads ("tomorrow at 3pm", "friday at 10:30am", ISO).
"""

from __future__ import annotations

import random
from typing import Callable

from agentc.edge.tune.drafts import Call, Draft, Template, combine, sentence
from agentc.edge.tune.synth_builtin import AUTHORS, CAPITALS

# name -> the object pronoun a question uses for them
PEOPLE: dict[str, str] = {
    "Maria": "her", "Lutfi": "him", "Ann": "her", "Sam": "them", "Priya": "her", "Tom": "him", "Kenji": "him",
    "Fatima": "her", "Leo": "him", "Chloe": "her", "Omar": "him", "Ingrid": "her", "Diego": "him", "Mei": "her",
    "Jonas": "him", "Aisha": "her", "Ravi": "him", "Sofia": "her", "Ben": "him", "Nadia": "her", "Alex": "them",
    "Grace": "her", "Hugo": "him", "Yuki": "her", "Carlos": "him", "Emma": "her", "Kwame": "him", "Lena": "her",
    "Mateo": "him", "Zoe": "her", "Ann Lee": "her", "David Kim": "him", "Sara Novak": "her", "Pedro Alves": "him",
    "Julia Schmidt": "her", "Noah": "him", "Olivia": "her", "Ethan": "him", "Hana": "her", "Ivan": "him",
    "Mum": "her", "Dad": "him", "Jordan": "them", "Elif": "her", "Tariq": "him", "Rosa": "her",
}

SMS_TEXTS: tuple[str, ...] = (
    "I'll be {n} minutes late", "I'm on my way", "dinner is at {h}", "the meeting moved to {day}",
    "I left the keys under the mat", "I'm running {n} minutes behind", "I'll pick you up at {h}",
    "the package arrived", "I'm outside", "I'll call you back in {n} minutes", "the train is delayed",
    "I got the tickets", "can we push our call to {day}", "happy birthday", "I'm at the cafe on the corner",
    "the doctor's appointment is at {h}", "I'll bring the wine", "don't forget the charger",
    "I can't make it to the gym {day}", "the kids are asleep", "I'm stuck in traffic",
    "the movie starts at {h}", "we're out of coffee", "thanks for your help {day}", "I finished the report",
    "the plumber comes at {h}", "let's meet at the station", "I'll be home by {h}",
)

# (what to say, subject line)
EMAIL_TOPICS: tuple[tuple[str, str], ...] = (
    ("the report is ready", "Report ready"), ("I'll miss the standup tomorrow", "Missing the standup"),
    ("the budget review moved to {day}", "Budget review moved"), ("the contract is signed", "Contract signed"),
    ("we need to reschedule our call", "Rescheduling our call"), ("the invoice has been paid", "Invoice paid"),
    ("I'm out of office next week", "Out of office next week"), ("the launch went well", "Launch update"),
    ("the venue is booked", "Venue booked"), ("the slides are ready for review", "Slides ready for review"),
    ("the deadline moved to {day}", "New deadline"), ("the client approved the design", "Design approved"),
    ("I'd like to set up a call {day}", "Call {day}"), ("the offsite is confirmed", "Offsite confirmed"),
    ("the server is back up", "Server back up"), ("I sent the draft", "Draft sent"),
    ("the interview is at {h} {day}", "Interview {day}"), ("lunch is on me {day}", "Lunch {day}"),
    ("the workshop starts at {h}", "Workshop start time"), ("the team dinner is {day} at {h}", "Team dinner"),
    ("the tickets are booked", "Tickets booked"), ("I reviewed your pull request", "Pull request review"),
    ("the budget was approved", "Budget approved"), ("the flight lands at {h}", "Flight arrival"),
)

FILES: tuple[str, ...] = (
    "slides", "quarterly report", "budget spreadsheet", "project proposal", "lease agreement", "tax return",
    "resume", "travel itinerary", "design spec", "March invoice", "onboarding guide", "research paper",
    "contract draft", "sales deck", "meeting minutes", "user manual", "annual report", "insurance certificate",
    "press release", "product roadmap", "expense report", "grant application", "course syllabus", "floor plan",
    "marketing brief", "release notes", "interview questions", "board presentation", "safety checklist",
)

# (how a question says it, the event's title)
EVENTS: tuple[tuple[str, str], ...] = (
    ("a dentist appointment", "Dentist appointment"), ("yoga class", "Yoga class"), ("lunch with the team", "Team lunch"),
    ("a haircut", "Haircut"), ("the quarterly review", "Quarterly review"), ("a doctor's appointment", "Doctor's appointment"),
    ("piano lessons", "Piano lessons"), ("a focus block", "Focus block"), ("the product demo", "Product demo"),
    ("a parent-teacher meeting", "Parent-teacher meeting"), ("a run with the club", "Club run"),
    ("the all-hands meeting", "All-hands meeting"), ("a car service", "Car service"), ("date night", "Date night"),
    ("the book club", "Book club"), ("a job interview", "Job interview"), ("a vet visit", "Vet visit"),
    ("the design review", "Design review"), ("a flight to Berlin", "Flight to Berlin"), ("movie night", "Movie night"),
    ("a team retrospective", "Team retrospective"), ("the budget planning session", "Budget planning session"),
)

# (what to do, the reminder's title)
TASKS: tuple[str, ...] = (
    "buy milk", "call the dentist", "water the plants", "pay the rent", "renew my passport", "pick up the dry cleaning",
    "send the invoice", "book a table for Friday", "take out the recycling", "call Mum", "charge the camera",
    "return the library books", "submit the expense report", "feed the cat", "check the oven", "back up my laptop",
    "buy a birthday card", "order printer ink", "cancel the gym trial", "pack the charger", "move the car",
    "reply to the landlord", "stretch", "pick up the kids", "defrost the chicken", "print the boarding pass",
    "update the budget", "buy batteries", "call the bank", "book the flights",
)

NOTES: dict[str, tuple[str, ...]] = {
    "Shopping list": ("buy oat milk", "eggs and bread", "coffee beans", "dish soap and sponges"),
    "Trip ideas": ("Lisbon and Porto", "a weekend in Kyoto", "hiking in the Dolomites", "a road trip along the coast"),
    "Book recommendations": ("Piranesi by Susanna Clarke", "The Overstory", "Project Hail Mary", "Middlemarch"),
    "Gift ideas": ("a pottery class for Mum", "a cycling jacket for Leo", "noise-cancelling headphones", "a plant for Ann"),
    "Meeting notes": ("ship the beta on May 14", "Priya owns the backend", "budget review next week", "hire two engineers"),
    "Recipes to try": ("lentil soup", "shakshuka", "lemon risotto", "banana bread"),
    "Packing list": ("passport and chargers", "rain jacket", "sunscreen", "hiking boots"),
    "Project ideas": ("a budget tracker app", "a home weather station", "a family recipe site", "a bird feeder camera"),
    "Workout plan": ("squats and rows on Monday", "a 5 km run on Wednesday", "yoga on Friday", "rest on Sunday"),
    "Questions for the doctor": ("ask about the blood test results", "ask about the knee pain", "ask about allergy tablets", "ask about the vaccine"),
    "Movies to watch": ("Past Lives", "Spirited Away", "The Third Man", "Arrival"),
    "Weekly goals": ("finish the report", "call three clients", "read two chapters", "clean the garage"),
    "Party planning": ("order the cake", "invite the neighbours", "buy balloons", "make a playlist"),
    "Home repairs": ("fix the leaky tap", "paint the hallway", "replace the smoke alarm battery", "oil the squeaky door"),
}

PLACES: tuple[str, ...] = (
    "Golden Gate Bridge", "Ferry Building", "Central Park", "the Louvre", "Union Station", "Coit Tower",
    "Pier 39", "Stanford University", "the Eiffel Tower", "Brooklyn Bridge", "the British Museum", "Alcatraz Island",
    "Times Square", "the Colosseum", "Sagrada Familia", "Buckingham Palace", "the Space Needle", "Millennium Park",
    "the Sydney Opera House", "Kings Cross station", "the city library", "Dolores Park", "the Tate Modern",
    "Grand Central Terminal", "the Rijksmuseum", "Alexanderplatz", "the Botanic Garden", "Ocean Beach",
)
ORIGINS: tuple[str, ...] = ("home", "the office", "the airport", "Union Square", "the hotel", "the train station", "work")
MODES: tuple[tuple[str, str | None], ...] = (
    ("", None), (" by car", "driving"), (" on foot", "walking"), (" walking", "walking"), (" by bike", "cycling"),
    (" cycling", "cycling"), (" driving", "driving"),
)
TOPICS: tuple[str, ...] = (
    "budget", "design review", "hiring plan", "Q3 roadmap", "launch retro", "marketing plan", "onboarding",
    "sprint planning", "customer feedback", "pricing", "website redesign", "team offsite", "security audit",
    "grant proposal", "quarterly results", "mobile app",
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TIMES = ("9am", "10am", "10:30am", "11am", "noon", "1pm", "2pm", "2:30pm", "3pm", "4pm", "4:45pm", "5pm", "6pm", "7:30pm", "8 pm", "15:00", "9:15 am")


# --- slot values ----------------------------------------------------------------------


def when(rng: random.Random, *, offsets: bool = False) -> tuple[str, str]:
    """(how a question says a moment, how the plan writes it)."""
    kind = rng.random()
    at = rng.choice(TIMES)
    if offsets and kind < 0.15:
        count, unit = rng.choice(((2, "hours"), (30, "minutes"), (3, "days"), (1, "hour"), (45, "minutes"), (2, "days"), (1, "week")))
        text = f"in {count} {unit}"
        return text, text
    if kind < 0.4:
        day = rng.choice(("today", "tomorrow", "tomorrow"))
        return f"{day} at {at}", f"{day} at {at}"
    if kind < 0.8:
        day = rng.choice(WEEKDAYS)
        prefix = rng.choice(("on ", "on ", "next "))
        text = f"{prefix}{day} at {at}"
        return text, (f"next {day.lower()}" if prefix == "next " else day.lower()) + f" at {at}"
    if kind < 0.9:
        hour = rng.choice((9, 10, 11, 13, 14, 15, 16))
        day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        return f"on {day} at {hour}:00", f"{day}T{hour:02d}:00"
    return f"at {at}", at


def day_phrase(rng: random.Random) -> tuple[str, str]:
    """(how a question names a day, the plan's `day`)."""
    kind = rng.random()
    if kind < 0.35:
        day = rng.choice(("today", "tomorrow"))
        return day, day
    if kind < 0.75:
        day = rng.choice(WEEKDAYS)
        return f"on {day}", day.lower()
    if kind < 0.9:
        day = rng.choice(WEEKDAYS)
        return f"next {day}", f"next {day.lower()}"
    day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return f"on {day}", day


def _fill(text: str, rng: random.Random) -> str:
    return text.format(
        n=rng.choice((5, 10, 15, 20, 30, 45)), h=rng.choice(("7", "8", "6:30", "noon", "7pm", "9am")),
        day=rng.choice(("tomorrow", "Friday", "Monday", "next week", "Thursday", "tonight")),
    )


def _people(rng: random.Random, count: int) -> list[str]:
    return rng.sample(list(PEOPLE), count)


def _first(name: str) -> str:
    return name.split()[0]


# --- requests: one intent each --------------------------------------------------------


def sms_request(phrasing: str, rng: random.Random, *, tool: str = "send_sms", people: int = 1) -> Draft:
    names = _people(rng, people)
    text = _fill(rng.choice(SMS_TEXTS), rng)
    lookups = tuple(Call.of("get_phone_number", name=n) for n in names)
    send = Call.of(tool, recipients=[f"${i}" for i in range(1, people + 1)], message=sentence(text) + ".")
    question = phrasing.format(name=names[0], a=names[0], b=names[-1], msg=text, Msg=sentence(text))
    return Draft(question, (*lookups, send))


def email_request(phrasing: str, rng: random.Random, *, tool: str = "send_email", cc: bool = False) -> Draft:
    names = _people(rng, 2)
    said, subject = rng.choice(EMAIL_TOPICS)
    slots = {"day": rng.choice(("Friday", "Monday", "tomorrow", "Thursday", "next week")), "h": rng.choice(("10am", "2pm", "3:30pm", "noon"))}
    said, subject = said.format(**slots), subject.format(**slots)
    body = f"Hi {_first(names[0])}, {said}."
    calls = [Call.of("get_email_address", name=names[0])]
    args: dict[str, object] = {"recipients": ["$1"], "subject": sentence(subject), "body": body}
    if cc:
        calls.append(Call.of("get_email_address", name=names[1]))
        args["cc"] = ["$2"]
    calls.append(Call.of(tool, **args))
    question = phrasing.format(name=names[0], a=names[0], b=names[1], said=said, Said=sentence(said))
    return Draft(question, tuple(calls))


def email_file_request(phrasing: str, rng: random.Random) -> Draft:
    name, file = _people(rng, 1)[0], rng.choice(FILES)
    calls = (
        Call.of("get_email_address", name=name),
        Call.of("find_file", name=file),
        Call.of("send_email", recipients=["$1"], subject=sentence(file), body=f"Hi {_first(name)}, I've attached the {file}.", attachments=["$2"]),
    )
    return Draft(phrasing.format(name=name, file=file), calls)


def meeting_event_request(phrasing: str, rng: random.Random, name: str | None = None, moment: tuple[str, str] | None = None) -> Draft:
    """A meeting with someone, invited by address; `phrasing` may name the event kind in {kind}."""
    name = name or _people(rng, 1)[0]
    said, start = moment or when(rng)
    kind = rng.choice(("meeting", "call", "catch-up")) if "{kind}" in phrasing else "meeting"
    calls = (
        Call.of("get_email_address", name=name),
        Call.of("create_calendar_event", title=f"{sentence(kind)} with {name}", start=start, attendees=["$1"]),
    )
    return Draft(phrasing.format(name=name, when=said, kind=kind, pron=PEOPLE[name]), calls)


def event_request(phrasing: str, rng: random.Random) -> Draft:
    said, title = rng.choice(EVENTS)
    moment, start = when(rng)
    args: dict[str, object] = {"title": title, "start": start}
    minutes = rng.choice((15, 30, 45, 90, 120))
    place = rng.choice(PLACES)
    if "{minutes}" in phrasing:
        args["duration_minutes"] = minutes
    if "{place}" in phrasing:
        args["location"] = place
    question = phrasing.format(event=said, when=moment, minutes=minutes, place=place)
    return Draft(question, (Call.of("create_calendar_event", **args),))


def list_events_request(phrasing: str, rng: random.Random) -> Draft:
    if "{days}" in phrasing:
        days = rng.randint(2, 10)
        return Draft(phrasing.format(days=days), (Call.of("list_calendar_events", day="today", days=days),))
    if "week" in phrasing:
        return Draft(phrasing, (Call.of("list_calendar_events", day="today", days=7),))
    said, day = day_phrase(rng)
    return Draft(phrasing.format(day=said), (Call.of("list_calendar_events", day=day),))


def reminder_request(phrasing: str, rng: random.Random) -> Draft:
    task = rng.choice(TASKS)
    if "{when}" not in phrasing:
        return Draft(phrasing.format(task=task), (Call.of("create_reminder", title=sentence(task)),))
    said, due = when(rng, offsets=True)
    return Draft(phrasing.format(task=task, when=said), (Call.of("create_reminder", title=sentence(task), due=due),))


def note_request(phrasing: str, rng: random.Random, tool: str) -> Draft:
    title = rng.choice(list(NOTES))
    content = rng.choice(NOTES[title])
    args = {"title": title} if tool == "open_note" else {"title": title, "content": content}
    return Draft(phrasing.format(title=title.lower(), Title=title, content=content), (Call.of(tool, **args),))


def file_request(phrasing: str, rng: random.Random, then: str | None) -> Draft:
    file = rng.choice(FILES)
    calls = [Call.of("find_file", name=file)]
    if then:
        calls.append(Call.of(then, path="$1"))
    return Draft(phrasing.format(file=file), tuple(calls))


def location_request(phrasing: str, rng: random.Random) -> Draft:
    place = rng.choice(PLACES)
    return Draft(phrasing.format(place=place), (Call.of("open_location", place=place),))


def directions_request(phrasing: str, rng: random.Random) -> Draft:
    place, origin = rng.choice(PLACES), rng.choice(ORIGINS)
    said, mode = rng.choice(MODES)
    args: dict[str, object] = {"destination": place}
    if "{origin}" in phrasing:
        args["origin"] = origin
    if mode:
        args["mode"] = mode
    return Draft(phrasing.format(place=place, origin=origin, mode=said), (Call.of("get_directions", **args),))


def meeting_link_request(phrasing: str, rng: random.Random) -> Draft:
    topic = rng.choice(TOPICS)
    return Draft(phrasing.format(topic=topic), (Call.of("create_meeting_link", topic=sentence(topic)),))


def video_call_request(phrasing: str, rng: random.Random) -> Draft:
    """A meeting link, put in a calendar event with the person, and mailed to them."""
    topic, name = rng.choice(TOPICS), _people(rng, 1)[0]
    said, start = when(rng)
    calls = (
        Call.of("create_meeting_link", topic=sentence(topic)),
        Call.of("get_email_address", name=name),
        Call.of("create_calendar_event", title=f"{sentence(topic)} call with {name}", start=start, location="$1", attendees=["$2"]),
        Call.of("send_email", recipients=["$2"], subject=f"{sentence(topic)} call", body=f"Join the {topic} call {said}: $1"),
    )
    return Draft(phrasing.format(topic=topic, name=name, when=said, pron=PEOPLE[name]), calls)


def email_and_meeting_request(phrasing: str, rng: random.Random) -> Draft:
    """Send someone a file and put a meeting with them on the calendar (one address lookup)."""
    mail = email_file_request("{name}|{file}", rng)
    name, file = mail.question.split("|")
    moment = when(rng)
    meeting = meeting_event_request("{name}", rng, name=name, moment=moment)
    question = phrasing.format(name=name, file=file, when=moment[0], pron=PEOPLE[name])
    return combine(question, [mail, meeting])


def no_tool_request(phrasing: str, rng: random.Random) -> Draft:
    return Draft(phrasing.format(
        work=rng.choice(list(AUTHORS)), country=rng.choice(list(CAPITALS)),
        name=rng.choice(("", " there", " assistant")), mark=rng.choice(("!", ".", "")),
    ))


# --- clause forms for requests joined in one question ---------------------------------

CLAUSES: tuple[tuple[str, Callable[[str, random.Random], Draft]], ...] = (
    ("text {name} that {msg}", sms_request),
    ("send {name} a text saying {msg}", sms_request),
    ("email {name} that {said}", email_request),
    ("send {name} an email saying {said}", email_request),
    ("remind me to {task} {when}", reminder_request),
    ("add a reminder to {task} {when}", reminder_request),
    ("add {event} to my calendar {when}", event_request),
    ("put {event} on my calendar {when}", event_request),
    ("put a meeting with {name} on my calendar {when}", meeting_event_request),
    ('add "{content}" to my {title} note', lambda p, r: note_request(p, r, "append_note_content")),
    ('make a note called "{Title}" that says {content}', lambda p, r: note_request(p, r, "create_note")),
    ("show me {place} on the map", location_request),
    ("get me directions to {place}{mode}", directions_request),
    ("make a meeting link for the {topic} sync", meeting_link_request),
    ("open the {file}", lambda p, r: file_request(p, r, "open_file")),
    ("summarize the {file}", lambda p, r: file_request(p, r, "summarize_file")),
    ("tell me what's on my calendar {day}", list_events_request),
)


def multi_request(connector: str, rng: random.Random) -> Draft:
    count = connector.count("{")
    drafts: list[Draft] = []
    used: list[Callable[[str, random.Random], Draft]] = []
    while len(drafts) < count:
        phrasing, make = rng.choice(CLAUSES)
        if make in used:
            continue
        used.append(make)
        drafts.append(make(phrasing, rng))
    question = connector.format(**{k: d.question for k, d in zip("abc", drafts)})
    return combine(sentence(question), drafts)


# --- the templates --------------------------------------------------------------------

INTENT_WEIGHTS: dict[str, float] = {
    "sms": 1.0, "sms_group": 0.5, "compose_sms": 0.4, "email": 1.0, "email_cc": 0.5, "compose_email": 0.5,
    "email_file": 0.8, "meeting": 0.8, "event": 0.9, "list_events": 0.6, "reminder": 1.0, "note_create": 0.5,
    "note_open": 0.4, "note_append": 0.5, "file_open": 0.5, "file_summarize": 0.5, "file_find": 0.3,
    "location": 0.4, "directions": 0.6, "meeting_link": 0.4, "video_call": 0.6, "email_and_meeting": 0.6,
    "multi": 3.0, "no_tool": 0.4,
}

PHRASINGS: dict[str, tuple[str, ...]] = {
    "sms": (
        "Text {name} that {msg}.", "Send {name} a text saying {msg}.", "Message {name}: {Msg}.",
        "Let {name} know by text that {msg}.", "Tell {name} over SMS that {msg}.", "Shoot {name} a quick text that {msg}.",
        "Can you text {name} that {msg}?", "SMS {name}: {Msg}.",
        '"{Msg}" - text that to {name}, please.', "I need to tell {name} something by text: {Msg}.",
    ),
    "sms_group": (
        "Text {a} and {b} that {msg}.", "Send a text to {a} and {b} saying {msg}.",
        "Let {a} and {b} know by text that {msg}.", 'Send "{Msg}" to {a} and {b} by text.',
        "Can you message both {a} and {b} to say {msg}?", "Group text to {a} and {b}: {Msg}.",
        'I want to text {a} and {b}; the message is "{Msg}".',
    ),
    "compose_sms": (
        "Draft a text to {name} saying {msg}.", "Write a text message to {name} that {msg}, but don't send it yet.",
        "Prepare an SMS for {name}: {Msg}.",
        "Start a text to {name} that says {msg}; I'll send it myself.",
        'Can you get a text ready for {name}? It should say "{Msg}". Leave it unsent.',
        "Don't send anything yet, just draft an SMS to {name}: {Msg}.",
        'I want to text {name} "{Msg}". Open it as a draft so I can check it first.',
    ),
    "email": (
        "Email {name} that {said}.", "Send an email to {name} saying {said}.", "Write to {name} by email that {said}.",
        "Let {name} know by email that {said}.", "Shoot {name} an email: {Said}.", "Mail {name} that {said}.",
        "Could you send {name} a quick email to say {said}?",
    ),
    "email_cc": (
        "Email {a} that {said}, and cc {b}.", "Send {a} an email saying {said}, copying {b}.",
        "Let {a} know by email that {said} and cc {b} on it.", "Send an email to {a}, cc {b}: {Said}.",
        "Can you email {a} to say {said}? Put {b} on cc.", "With {b} on cc, email {a} that {said}.",
        "Write {a} an email saying {said} and copy {b} in.",
    ),
    "compose_email": (
        "Draft an email to {name} saying {said}.", "Write an email to {name} that {said}, but let me review it first.",
        "Prepare a draft email for {name}: {Said}.",
        "Start an email to {name} that says {said}, and leave it as a draft.",
        "Don't send it yet: I need an email to {name} saying {said}.",
        "Could you write up a draft to {name}? {Said}.",
        "I want to email {name} that {said}. Open a draft so I can check it before it goes.",
    ),
    "email_file": (
        "Email {name} the {file}.", "Send the {file} to {name}.", "Can you email {name} my {file}?",
        "Mail the {file} to {name}.", "Could you send {name} a copy of the {file} by email?",
        "Attach my {file} to an email for {name}.", "{name} needs the {file}; can you email it over?",
    ),
    "meeting": (
        "Put a {kind} with {name} on my calendar {when}.", "Schedule a {kind} with {name} {when}.",
        "Set up a {kind} with {name} {when}.", "Book a {kind} with {name} {when} and invite {pron}.",
        "Add a {kind} with {name} to my calendar {when}.",
        "{when}, I'd like a {kind} with {name}. Put it in my calendar.", "Could you invite {name} to a {kind} {when}?",
    ),
    "event": (
        "Add {event} to my calendar {when}.", "Put {event} on my calendar {when}.", "Schedule {event} {when}.",
        "I have {event} {when}, add it to my calendar.", "Block {minutes} minutes {when} for {event}.",
        "Schedule {event} at {place} {when}.", "Add {event} {when}, {minutes} minutes long.",
        "Put {event} at {place} on my calendar {when}.", "{when} I've got {event} - can you put it in my calendar?",
        "Could you add {event} at {place} {when}, for {minutes} minutes?",
    ),
    "list_events": (
        "What's on my calendar {day}?", "Do I have anything scheduled {day}?", "Show me my events {day}.",
        "What meetings do I have {day}?", "What does my week look like?", "List my events for the next {days} days.",
        "Am I busy {day}?", "Anything on my schedule {day}?", "What have I got coming up over the next {days} days?",
    ),
    "reminder": (
        "Remind me to {task} {when}.", "Set a reminder to {task} {when}.", "Add a reminder: {task}, {when}.",
        "Don't let me forget to {task} {when}.", "Create a reminder for me to {task} {when}.", "Remind me {when} to {task}.",
        "Put {task} on my to-do list.", "Add a reminder to {task}.", "I need to {task} {when} - can you remind me?",
        'Can you add "{task}" to my reminders?',
    ),
    "note_create": (
        'Make a note called "{Title}" that says {content}.', 'Create a new note titled {Title} with "{content}" in it.',
        "Write a note named {Title}: {content}.", "Start a {title} note with {content}.",
        'New note, title "{Title}": {content}.', 'Can you jot down "{content}" in a new note called {Title}?',
        "Create a {title} note and write {content} in it.",
    ),
    "note_open": (
        "What's in my {title} note?", "Open my {title} note.", "Read me the note called {title}.",
        "Show me the {title} note.", 'Pull up the note titled "{Title}".', "Can you read my {title} note to me?",
        "I need to see what I wrote in the {title} note.",
    ),
    "note_append": (
        'Add "{content}" to my {title} note.', "Append {content} to the {title} note.",
        "Put {content} on my {title} note.", "Update my {title} note with {content}.",
        'In my {title} note, add "{content}".', "Can you add {content} to the note called {Title}?",
        'Stick "{content}" at the end of my {title} note.',
    ),
    "file_open": (
        "Open the {file}.", "Pull up my {file}.", "Find my {file} and open it.", "Can you open the {file} for me?",
        "I need the {file} open.", "Could you bring up the {file}?", "Where's my {file}? Open it up.",
    ),
    "file_summarize": (
        "Summarize the {file}.", "Give me a summary of my {file}.", "What's the {file} about? Summarize it.",
        "Find the {file} and summarize it.", "Can you give me the gist of the {file}?",
        "I don't have time to read the {file}; what are the main points?", "Summarise my {file} for me, please.",
    ),
    "file_find": (
        "Where is my {file}?", "Find the {file} file.", "Locate my {file}.", "Can you find my {file}?",
        "I can't find the {file}, where did I save it?", "Search my files for the {file}.",
        "Which folder is the {file} in?",
    ),
    "location": (
        "Show me {place} on the map.", "Where is {place}? Show me on the map.", "Open {place} in maps.",
        "Pull up {place} on a map.", "Can you show me where {place} is on a map?", "I want to see {place} on a map.",
        "Map of {place}, please.",
    ),
    "directions": (
        "How do I get to {place}{mode}?", "Give me directions to {place}{mode}.", "Navigate to {place}{mode}.",
        "Directions from {origin} to {place}{mode}, please.", "Route me from {origin} to {place}{mode}.",
        "What's the best way to get to {place}{mode}?", "I'm at {origin}; how do I get to {place}{mode}?",
    ),
    "meeting_link": (
        "Make a video call link for the {topic} meeting.", "Create a meeting link for the {topic} sync.",
        "I need a video meeting link about {topic}.", "Can you generate a video link for our {topic} call?",
        "Get me a meeting link, the topic is {topic}.", "We need a link for the {topic} video call.",
        "Make me a video call link; it's for the {topic} discussion.",
    ),
    "video_call": (
        "Set up a video call about {topic} with {name} {when} and send {pron} the link.",
        "Schedule a video meeting on {topic} with {name} {when}, and email {pron} the link.",
        "Create a call link for {topic}, put it in a calendar event with {name} {when}, and mail {pron} the link.",
        "I need a video call with {name} {when} (topic: {topic}): make the link, add it to my calendar "
        "and email it to {pron}.",
        "Can you set up a {topic} video meeting with {name} {when} and send {pron} the link by email?",
        "{when}, I've got a {topic} video call with {name}. Book it and email {pron} the link.",
        "Invite {name} to a video call {when} re: {topic}, and mail {pron} the join link.",
    ),
    "email_and_meeting": (
        "Email {name} the {file} and put a meeting with {pron} on my calendar {when}.",
        "Send the {file} to {name} and schedule a meeting with {pron} {when}.",
        "Mail {name} my {file}, and add a meeting with {pron} to my calendar {when}.",
        "Can you send {name} my {file} by email and book a meeting with {pron} {when}?",
        "I'm meeting {name} {when}; add it to my calendar and email {pron} the {file} beforehand.",
        "Schedule a meeting with {name} {when}, and email {pron} the {file} too.",
        "{name} needs the {file}. Email it over and put a meeting with {pron} in my calendar {when}.",
    ),
    "multi": (
        "{a} and {b}.", "{a}, and also {b}.", "Please {a} and {b}.", "{a}. Also {b}.", "Can you {a} and {b}?",
        "{a}; {b}; and {c}.", "I need you to {a}, {b}, and {c}.", "{a}, {b} and {c}, please.", "Quick favours: {a}, and {b}.",
        "{a}. After that, {b}.", "Could you {a}, and then {b}?", "First {a}; then {b}; finally {c}.",
    ),
    "no_tool": (
        "Thanks{mark}", "Hi{name}{mark}", "What can you do?", "Who wrote {work}?", "What is the capital of {country}?",
        "Good morning{name}{mark}", "How are you today?", "Thank you, that's all{mark}",
        "Do you know the capital of {country}?", "Cheers, that's everything for now{mark}",
    ),
}

MAKERS: dict[str, Callable[[str, random.Random], Draft]] = {
    "sms": sms_request,
    "sms_group": lambda p, r: sms_request(p, r, people=2),
    "compose_sms": lambda p, r: sms_request(p, r, tool="compose_sms"),
    "email": email_request,
    "email_cc": lambda p, r: email_request(p, r, cc=True),
    "compose_email": lambda p, r: email_request(p, r, tool="compose_email"),
    "email_file": email_file_request,
    "meeting": meeting_event_request,
    "event": event_request,
    "list_events": list_events_request,
    "reminder": reminder_request,
    "note_create": lambda p, r: note_request(p, r, "create_note"),
    "note_open": lambda p, r: note_request(p, r, "open_note"),
    "note_append": lambda p, r: note_request(p, r, "append_note_content"),
    "file_open": lambda p, r: file_request(p, r, "open_file"),
    "file_summarize": lambda p, r: file_request(p, r, "summarize_file"),
    "file_find": lambda p, r: file_request(p, r, None),
    "location": location_request,
    "directions": directions_request,
    "meeting_link": meeting_link_request,
    "video_call": video_call_request,
    "email_and_meeting": email_and_meeting_request,
    "multi": multi_request,
    "no_tool": no_tool_request,
}


def templates() -> list[Template]:
    """Every desktop phrasing template, ids `intent/NN`."""
    return [
        Template(f"{intent}/{i:02d}", intent, lambda r, p=p, m=MAKERS[intent]: m(p, r))
        for intent, phrasings in PHRASINGS.items()
        for i, p in enumerate(phrasings)
    ]

