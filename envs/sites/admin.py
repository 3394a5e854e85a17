"""The admin/report site: a date-filtered sales report and a customer table with an edit form.

Report tables are paginated and show no grand totals, so totals over a date
range need the rows of every page.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from typing import Any

from agentc.envs.sites.database import SiteDatabase
from agentc.envs.sites.pages import PAGE_SIZE, paginate, templates

FIRST_NAMES = ["Olivia", "Noah", "Mia", "Liam", "Zoe", "Ethan", "Aria", "Lucas", "Isla", "Mason", "Ruby", "Kai"]
LAST_NAMES = ["Smith", "Garcia", "Chen", "Okafor", "Novak", "Silva", "Khan", "Dubois", "Rossi", "Berg"]
CITIES = ["Austin", "Boston", "Denver", "Seattle", "Chicago", "Portland"]
PRODUCTS = {"Desk Lamp": 34.0, "Office Chair": 149.0, "Monitor Stand": 45.5, "USB Hub": 22.0, "Notebook Pack": 9.5, "Standing Mat": 59.0}
REGIONS = ["North", "South", "East", "West"]

SCHEMA = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, email TEXT, city TEXT);
CREATE TABLE sales (id INTEGER PRIMARY KEY, day TEXT, customer_id INTEGER, product TEXT,
    quantity INTEGER, amount REAL, region TEXT);
"""


def seed_admin(conn: sqlite3.Connection, seed: int) -> None:
    """Fill an empty admin database deterministically from `seed`."""
    rng = random.Random(f"admin-{seed}")
    conn.executescript(SCHEMA)
    names = rng.sample([f"{f} {l}" for f in FIRST_NAMES for l in LAST_NAMES], 24)
    for name in names:
        email = name.lower().replace(" ", ".") + "@example.com"
        conn.execute("INSERT INTO customers (name, email, city) VALUES (?,?,?)", (name, email, rng.choice(CITIES)))
    day = date(2024, 1, 1)
    rows = []
    while day < date(2024, 7, 1):
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            product = rng.choice(list(PRODUCTS))
            quantity = rng.randint(1, 4)
            rows.append((day.isoformat(), rng.randint(1, len(names)), product, quantity, PRODUCTS[product] * quantity, rng.choice(REGIONS)))
        day += timedelta(days=1)
    conn.executemany("INSERT INTO sales (day, customer_id, product, quantity, amount, region) VALUES (?,?,?,?,?,?)", rows)


def admin_app(db: SiteDatabase) -> Any:
    """The admin site as a Starlette app over `db`."""
    from urllib.parse import urlencode

    from starlette.applications import Starlette
    from starlette.responses import RedirectResponse
    from starlette.routing import Route

    pages = templates()

    def render(request: Any, name: str, status_code: int = 200, **context: Any) -> Any:
        return pages.TemplateResponse(request, f"admin/{name}", context, status_code=status_code)

    async def home(request: Any) -> Any:
        return render(request, "home.html")

    async def sales(request: Any) -> Any:
        params = request.query_params
        start, end = params.get("start", "").strip(), params.get("end", "").strip()
        region = params.get("region", "").strip()
        errors = []
        for label, value in (("Start date", start), ("End date", end)):
            if value:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    errors.append(f"{label} must look like 2024-03-31, got {value!r}")
        where, args = ["1"], []
        if start and not errors:
            where.append("s.day >= ?")
            args.append(start)
        if end and not errors:
            where.append("s.day <= ?")
            args.append(end)
        if region:
            where.append("s.region = ?")
            args.append(region)
        clause = " AND ".join(where)
        with db.connect() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM sales s WHERE {clause}", args).fetchone()[0]
            page = paginate(total, params.get("page"))
            rows = conn.execute(
                f"SELECT s.*, c.name AS customer FROM sales s JOIN customers c ON c.id = s.customer_id "
                f"WHERE {clause} ORDER BY s.day, s.id LIMIT ? OFFSET ?",
                args + [PAGE_SIZE, page.offset],
            ).fetchall()
        base = "/sales?" + urlencode({"start": start, "end": end, "region": region})
        return render(request, "sales.html", sales=rows, page=page, start=start, end=end, region=region,
                      regions=REGIONS, errors=errors, base=base)

    async def customers(request: Any) -> Any:
        with db.connect() as conn:
            total = conn.execute("SELECT COUNT(*) FROM customers").fetchone()[0]
            page = paginate(total, request.query_params.get("page"))
            rows = conn.execute(
                "SELECT c.*, (SELECT COUNT(*) FROM sales s WHERE s.customer_id = c.id) AS sale_count "
                "FROM customers c ORDER BY c.name LIMIT ? OFFSET ?",
                (PAGE_SIZE, page.offset),
            ).fetchall()
        return render(request, "customers.html", customers=rows, page=page)

    async def customer(request: Any) -> Any:
        customer_id = request.path_params["customer_id"]
        with db.connect() as conn:
            row = conn.execute("SELECT * FROM customers WHERE id = ?", (customer_id,)).fetchone()
        if row is None:
            return render(request, "not_found.html", status_code=404, what=f"customer {customer_id}")
        if request.method == "GET":
            return render(request, "customer.html", customer=row, cities=CITIES, errors=[], saved=request.query_params.get("saved"))
        form = await request.form()
        email, city = str(form.get("email", "")).strip(), str(form.get("city", "")).strip()
        errors = []
        if "@" not in email:
            errors.append(f"Email must contain @, got {email!r}")
        if city not in CITIES:
            errors.append("Choose a city")
        if errors:
            return render(request, "customer.html", status_code=400, customer=row, cities=CITIES, errors=errors, saved=None)
        with db.connect() as conn:
            conn.execute("UPDATE customers SET email = ?, city = ? WHERE id = ?", (email, city, customer_id))
        return RedirectResponse(f"/customer/{customer_id}?saved=1", status_code=303)

    return Starlette(
        routes=[
            Route("/", home),
            Route("/sales", sales),
            Route("/customers", customers),
            Route("/customer/{customer_id:int}", customer, methods=["GET", "POST"]),
        ]
    )
