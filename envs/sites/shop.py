"""The shop: search, categories, product pages with reviews, cart, checkout, orders.

One shopper is always signed in. Order history is paginated (newest first) so
questions about past orders need more than one page.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from typing import Any

from agentc.envs.sites.database import SiteDatabase
from agentc.envs.sites.pages import PAGE_SIZE, paginate, templates

CATEGORIES = {
    "clothing": ["Shirt", "Hoodie", "Jacket", "Scarf", "Sneakers", "Cap"],
    "electronics": ["Headphones", "Speaker", "Charger", "Keyboard", "Mouse", "Webcam"],
    "home": ["Lamp", "Mug", "Blanket", "Vase", "Cushion", "Kettle"],
    "books": ["Cookbook", "Atlas", "Novel", "Notebook", "Journal", "Guide"],
    "sports": ["Yoga Mat", "Water Bottle", "Dumbbell", "Tennis Racket", "Backpack", "Jump Rope"],
}
ADJECTIVES = ["Classic", "Compact", "Deluxe", "Eco", "Urban", "Vintage", "Trail", "Cozy"]
COLORS = ["Red", "Blue", "Green", "Black", "White", "Grey"]
REVIEWERS = ["Ana", "Ben", "Chloe", "Dev", "Emma", "Farid", "Gia", "Hugo"]
REVIEW_TEXTS = {
    1: "Broke after a week.",
    2: "Not what I expected.",
    3: "Does the job.",
    4: "Very good value.",
    5: "Excellent, would buy again!",
}
STATUSES = ["Complete", "Complete", "Complete", "Shipped", "Pending", "Canceled"]
SHIPPING = {"Standard": 5.0, "Express": 15.0}

SCHEMA = """
CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, category TEXT, color TEXT,
    price REAL, stock INTEGER, description TEXT);
CREATE TABLE reviews (id INTEGER PRIMARY KEY, product_id INTEGER, author TEXT, rating INTEGER, body TEXT);
CREATE TABLE cart_items (product_id INTEGER PRIMARY KEY, quantity INTEGER);
CREATE TABLE orders (id INTEGER PRIMARY KEY, placed TEXT, status TEXT, total REAL,
    ship_name TEXT, ship_address TEXT, ship_city TEXT, shipping TEXT);
CREATE TABLE order_items (order_id INTEGER, product_id INTEGER, quantity INTEGER, price REAL);
"""


def seed_shop(conn: sqlite3.Connection, seed: int) -> None:
    """Fill an empty shop database deterministically from `seed`."""
    rng = random.Random(f"shop-{seed}")
    conn.executescript(SCHEMA)
    products = []
    used: set[str] = set()
    for category, nouns in CATEGORIES.items():
        for noun in nouns:
            for _ in range(2):
                name = f"{rng.choice(ADJECTIVES)} {noun}"
                while name in used:
                    name = f"{rng.choice(ADJECTIVES)} {noun}"
                used.add(name)
                color = rng.choice(COLORS)
                price = round(rng.uniform(5, 120), 2)
                stock = rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 35])
                description = f"A {name.lower()} in {color.lower()}, part of our {category} range."
                products.append((name, category, color, price, stock, description))
    conn.executemany(
        "INSERT INTO products (name, category, color, price, stock, description) VALUES (?,?,?,?,?,?)", products
    )
    for product_id in range(1, len(products) + 1):
        for _ in range(rng.randint(0, 4)):
            rating = rng.randint(1, 5)
            conn.execute(
                "INSERT INTO reviews (product_id, author, rating, body) VALUES (?,?,?,?)",
                (product_id, rng.choice(REVIEWERS), rating, REVIEW_TEXTS[rating]),
            )
    day = date(2023, 1, 5)
    for _ in range(27):
        day += timedelta(days=rng.randint(5, 25))
        items = []
        for product_id in rng.sample(range(1, len(products) + 1), rng.randint(1, 3)):
            items.append((product_id, rng.randint(1, 3), products[product_id - 1][3]))
        shipping = rng.choice(list(SHIPPING))
        total = round(sum(q * p for _, q, p in items) + SHIPPING[shipping], 2)
        cur = conn.execute(
            "INSERT INTO orders (placed, status, total, ship_name, ship_address, ship_city, shipping) "
            "VALUES (?,?,?,?,?,?,?)",
            (day.isoformat(), rng.choice(STATUSES), total, "Alex Morgan", "12 Elm Street", "Springfield", shipping),
        )
        conn.executemany(
            "INSERT INTO order_items (order_id, product_id, quantity, price) VALUES (?,?,?,?)",
            [(cur.lastrowid, pid, q, p) for pid, q, p in items],
        )


def shop_app(db: SiteDatabase) -> Any:
    """The shop as a Starlette app over `db`."""
    from starlette.applications import Starlette
    from starlette.responses import RedirectResponse
    from starlette.routing import Route

    pages = templates()

    def render(request: Any, name: str, status_code: int = 200, **context: Any) -> Any:
        with db.connect() as conn:
            count = conn.execute("SELECT COALESCE(SUM(quantity), 0) FROM cart_items").fetchone()[0]
        return pages.TemplateResponse(request, f"shop/{name}", {"cart_count": count, **context}, status_code=status_code)

    async def home(request: Any) -> Any:
        with db.connect() as conn:
            featured = conn.execute("SELECT * FROM products ORDER BY id LIMIT 6").fetchall()
        return render(request, "home.html", categories=list(CATEGORIES), products=featured)

    async def search(request: Any) -> Any:
        query = request.query_params.get("q", "").strip()
        pattern = f"%{query}%"
        where = "name LIKE ? OR category LIKE ? OR color LIKE ?"
        with db.connect() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM products WHERE {where}", (pattern,) * 3).fetchone()[0]
            page = paginate(total, request.query_params.get("page"))
            rows = conn.execute(
                f"SELECT * FROM products WHERE {where} ORDER BY name LIMIT ? OFFSET ?",
                (pattern,) * 3 + (PAGE_SIZE, page.offset),
            ).fetchall()
        return render(request, "search.html", query=query, products=rows, page=page)

    async def category(request: Any) -> Any:
        slug = request.path_params["slug"]
        if slug not in CATEGORIES:
            return render(request, "not_found.html", status_code=404, what=f"category {slug!r}")
        with db.connect() as conn:
            total = conn.execute("SELECT COUNT(*) FROM products WHERE category = ?", (slug,)).fetchone()[0]
            page = paginate(total, request.query_params.get("page"))
            rows = conn.execute(
                "SELECT * FROM products WHERE category = ? ORDER BY name LIMIT ? OFFSET ?", (slug, PAGE_SIZE, page.offset)
            ).fetchall()
        return render(request, "category.html", category=slug, products=rows, page=page)

    async def product(request: Any) -> Any:
        product_id = request.path_params["product_id"]
        with db.connect() as conn:
            row = conn.execute("SELECT * FROM products WHERE id = ?", (product_id,)).fetchone()
            reviews = conn.execute("SELECT * FROM reviews WHERE product_id = ? ORDER BY id", (product_id,)).fetchall()
        if row is None:
            return render(request, "not_found.html", status_code=404, what=f"product {product_id}")
        average = round(sum(r["rating"] for r in reviews) / len(reviews), 1) if reviews else None
        return render(request, "product.html", product=row, reviews=reviews, average=average)

    async def add_to_cart(request: Any) -> Any:
        product_id = request.path_params["product_id"]
        form = await request.form()
        quantity = int(form.get("quantity", 1))
        with db.connect() as conn:
            if conn.execute("SELECT 1 FROM products WHERE id = ?", (product_id,)).fetchone() is None:
                return render(request, "not_found.html", status_code=404, what=f"product {product_id}")
            conn.execute(
                "INSERT INTO cart_items (product_id, quantity) VALUES (?, ?) "
                "ON CONFLICT(product_id) DO UPDATE SET quantity = quantity + excluded.quantity",
                (product_id, quantity),
            )
        return RedirectResponse("/cart", status_code=303)

    def cart_rows(conn: sqlite3.Connection) -> list[Any]:
        return conn.execute(
            "SELECT p.id, p.name, p.price, c.quantity FROM cart_items c JOIN products p ON p.id = c.product_id ORDER BY p.name"
        ).fetchall()

    async def cart(request: Any) -> Any:
        with db.connect() as conn:
            rows = cart_rows(conn)
        subtotal = round(sum(r["price"] * r["quantity"] for r in rows), 2)
        return render(request, "cart.html", items=rows, subtotal=subtotal)

    async def remove_from_cart(request: Any) -> Any:
        with db.connect() as conn:
            conn.execute("DELETE FROM cart_items WHERE product_id = ?", (request.path_params["product_id"],))
        return RedirectResponse("/cart", status_code=303)

    async def checkout(request: Any) -> Any:
        with db.connect() as conn:
            rows = cart_rows(conn)
        if request.method == "GET":
            return render(request, "checkout.html", items=rows, shipping=SHIPPING, errors=[], form={})
        form = await request.form()
        values = {key: str(form.get(key, "")).strip() for key in ("name", "address", "city", "shipping")}
        errors = [f"{label} is required" for key, label in (("name", "Full name"), ("address", "Address"), ("city", "City")) if not values[key]]
        if values["shipping"] not in SHIPPING:
            errors.append("Choose a shipping method")
        if not rows:
            errors.append("Your cart is empty")
        if errors:
            return render(request, "checkout.html", status_code=400, items=rows, shipping=SHIPPING, errors=errors, form=values)
        total = round(sum(r["price"] * r["quantity"] for r in rows) + SHIPPING[values["shipping"]], 2)
        with db.connect() as conn:
            last = conn.execute("SELECT MAX(placed) FROM orders").fetchone()[0]
            placed = (date.fromisoformat(last) + timedelta(days=1)).isoformat()
            cur = conn.execute(
                "INSERT INTO orders (placed, status, total, ship_name, ship_address, ship_city, shipping) VALUES (?,?,?,?,?,?,?)",
                (placed, "Pending", total, values["name"], values["address"], values["city"], values["shipping"]),
            )
            conn.executemany(
                "INSERT INTO order_items (order_id, product_id, quantity, price) VALUES (?,?,?,?)",
                [(cur.lastrowid, r["id"], r["quantity"], r["price"]) for r in rows],
            )
            conn.execute("DELETE FROM cart_items")
        return RedirectResponse(f"/order/{cur.lastrowid}", status_code=303)

    async def orders(request: Any) -> Any:
        with db.connect() as conn:
            total = conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
            page = paginate(total, request.query_params.get("page"))
            rows = conn.execute(
                "SELECT * FROM orders ORDER BY placed DESC, id DESC LIMIT ? OFFSET ?", (PAGE_SIZE, page.offset)
            ).fetchall()
        return render(request, "orders.html", orders=rows, page=page)

    async def order(request: Any) -> Any:
        order_id = request.path_params["order_id"]
        with db.connect() as conn:
            row = conn.execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
            items = conn.execute(
                "SELECT p.id, p.name, i.quantity, i.price FROM order_items i JOIN products p ON p.id = i.product_id "
                "WHERE i.order_id = ? ORDER BY p.name",
                (order_id,),
            ).fetchall()
        if row is None:
            return render(request, "not_found.html", status_code=404, what=f"order {order_id}")
        return render(request, "order.html", order=row, items=items)

    return Starlette(
        routes=[
            Route("/", home),
            Route("/search", search),
            Route("/category/{slug}", category),
            Route("/product/{product_id:int}", product),
            Route("/product/{product_id:int}/add", add_to_cart, methods=["POST"]),
            Route("/cart", cart),
            Route("/cart/remove/{product_id:int}", remove_from_cart, methods=["POST"]),
            Route("/checkout", checkout, methods=["GET", "POST"]),
            Route("/orders", orders),
            Route("/order/{order_id:int}", order),
        ]
    )
