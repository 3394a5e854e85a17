"""The forum: posts in a few forums, comments, up/down votes and a new-post form.

The visitor is always signed in as `CURRENT_USER`; one vote per user per post or
comment, so voting twice in the same direction changes nothing.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from agentc.envs.sites.database import SiteDatabase
from agentc.envs.sites.pages import PAGE_SIZE, paginate, templates

CURRENT_USER = "alex_m"
FORUMS = {
    "books": ["Best fantasy series of the decade?", "Re-reading the classics", "Audiobooks vs paper", "Book club picks"],
    "movies": ["Underrated sci-fi films", "Favourite soundtrack", "Cinema or streaming?", "Director retrospectives"],
    "technology": ["Which laptop for students?", "Self-hosting tips", "Mechanical keyboards", "Learning Rust in 2024"],
    "cooking": ["Sourdough starter help", "Quick weeknight dinners", "Best cast iron care", "Spicy food recipes"],
    "travel": ["Backpacking on a budget", "Hidden gems in Portugal", "Night trains in Europe", "Packing light"],
}
USERS = ["maria_k", "tom_h", "lee_w", "sara_p", "omar_b", "nina_r", "jack_d", "ivy_c"]
COMMENT_TEXTS = [
    "Totally agree with this.",
    "I had the opposite experience.",
    "Thanks for sharing!",
    "Could you give more details?",
    "This is the best advice here.",
    "Not sure about that one.",
    "Bookmarked for later.",
]

SCHEMA = """
CREATE TABLE posts (id INTEGER PRIMARY KEY, forum TEXT, title TEXT, body TEXT, author TEXT, created TEXT, base_score INTEGER);
CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER, author TEXT, body TEXT, created TEXT, base_score INTEGER);
CREATE TABLE votes (user TEXT, kind TEXT, target INTEGER, value INTEGER, PRIMARY KEY (user, kind, target));
"""


def seed_forum(conn: sqlite3.Connection, seed: int) -> None:
    """Fill an empty forum database deterministically from `seed`."""
    rng = random.Random(f"forum-{seed}")
    conn.executescript(SCHEMA)
    titles = [(forum, title) for forum, items in FORUMS.items() for title in items]
    rng.shuffle(titles)
    moment = datetime(2024, 3, 1, 9, 0)
    for forum, title in titles:
        moment += timedelta(hours=rng.randint(3, 40))
        author = rng.choice(USERS)
        body = f"{title} - {author} wants to hear what the {forum} community thinks."
        cur = conn.execute(
            "INSERT INTO posts (forum, title, body, author, created, base_score) VALUES (?,?,?,?,?,?)",
            (forum, title, body, author, moment.isoformat(sep=" "), rng.randint(-3, 60)),
        )
        when = moment
        for _ in range(rng.randint(0, 6)):
            when += timedelta(minutes=rng.randint(5, 300))
            conn.execute(
                "INSERT INTO comments (post_id, author, body, created, base_score) VALUES (?,?,?,?,?)",
                (cur.lastrowid, rng.choice(USERS), rng.choice(COMMENT_TEXTS), when.isoformat(sep=" "), rng.randint(-2, 25)),
            )


POST_SELECT = """
SELECT p.*, p.base_score + COALESCE((SELECT SUM(value) FROM votes v WHERE v.kind = 'post' AND v.target = p.id), 0) AS score,
       (SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id) AS comment_count
FROM posts p
"""


def forum_app(db: SiteDatabase) -> Any:
    """The forum as a Starlette app over `db`."""
    from starlette.applications import Starlette
    from starlette.responses import RedirectResponse
    from starlette.routing import Route

    pages = templates()

    def render(request: Any, name: str, status_code: int = 200, **context: Any) -> Any:
        context = {"user": CURRENT_USER, "forums": list(FORUMS), **context}
        return pages.TemplateResponse(request, f"forum/{name}", context, status_code=status_code)

    def listing(request: Any, where: str, params: tuple, heading: str, base: str) -> Any:
        with db.connect() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM posts p WHERE {where}", params).fetchone()[0]
            page = paginate(total, request.query_params.get("page"))
            rows = conn.execute(
                f"{POST_SELECT} WHERE {where} ORDER BY p.created DESC LIMIT ? OFFSET ?", params + (PAGE_SIZE, page.offset)
            ).fetchall()
        return render(request, "list.html", posts=rows, page=page, heading=heading, base=base)

    async def home(request: Any) -> Any:
        return listing(request, "1", (), "All posts", "/")

    async def forum(request: Any) -> Any:
        name = request.path_params["name"]
        if name not in FORUMS:
            return render(request, "not_found.html", status_code=404, what=f"forum {name!r}")
        return listing(request, "p.forum = ?", (name,), f"f/{name}", f"/f/{name}")

    async def user(request: Any) -> Any:
        name = request.path_params["name"]
        return listing(request, "p.author = ?", (name,), f"Posts by {name}", f"/user/{name}")

    async def search(request: Any) -> Any:
        query = request.query_params.get("q", "").strip()
        from urllib.parse import quote

        return listing(request, "(p.title LIKE ? OR p.body LIKE ?)", (f"%{query}%",) * 2, f'Search: "{query}"', f"/search?q={quote(query)}")

    async def post(request: Any) -> Any:
        post_id = request.path_params["post_id"]
        with db.connect() as conn:
            row = conn.execute(f"{POST_SELECT} WHERE p.id = ?", (post_id,)).fetchone()
            comments = conn.execute(
                "SELECT c.*, c.base_score + COALESCE((SELECT SUM(value) FROM votes v WHERE v.kind = 'comment' "
                "AND v.target = c.id), 0) AS score FROM comments c WHERE c.post_id = ? ORDER BY c.created",
                (post_id,),
            ).fetchall()
        if row is None:
            return render(request, "not_found.html", status_code=404, what=f"post {post_id}")
        return render(request, "post.html", post=row, comments=comments)

    async def vote(request: Any) -> Any:
        kind, target = request.path_params["kind"], request.path_params["target"]
        form = await request.form()
        value = {"up": 1, "down": -1}.get(str(form.get("direction")))
        table = {"post": "posts", "comment": "comments"}.get(kind)
        if value is None or table is None:
            return render(request, "not_found.html", status_code=400, what=f"vote {kind}/{form.get('direction')}")
        with db.connect() as conn:
            found = conn.execute(f"SELECT {'id' if kind == 'post' else 'post_id'} FROM {table} WHERE id = ?", (target,)).fetchone()
            if found is None:
                return render(request, "not_found.html", status_code=404, what=f"{kind} {target}")
            conn.execute(
                "INSERT INTO votes (user, kind, target, value) VALUES (?,?,?,?) "
                "ON CONFLICT(user, kind, target) DO UPDATE SET value = excluded.value",
                (CURRENT_USER, kind, target, value),
            )
        return RedirectResponse(f"/post/{found[0]}", status_code=303)

    async def comment(request: Any) -> Any:
        post_id = request.path_params["post_id"]
        form = await request.form()
        body = str(form.get("body", "")).strip()
        with db.connect() as conn:
            if conn.execute("SELECT 1 FROM posts WHERE id = ?", (post_id,)).fetchone() is None:
                return render(request, "not_found.html", status_code=404, what=f"post {post_id}")
            if body:
                last = conn.execute("SELECT MAX(created) FROM comments").fetchone()[0]
                conn.execute(
                    "INSERT INTO comments (post_id, author, body, created, base_score) VALUES (?,?,?,?,0)",
                    (post_id, CURRENT_USER, body, _after(last)),
                )
        return RedirectResponse(f"/post/{post_id}", status_code=303)

    async def submit(request: Any) -> Any:
        if request.method == "GET":
            return render(request, "submit.html", errors=[], form={})
        form = await request.form()
        values = {key: str(form.get(key, "")).strip() for key in ("forum", "title", "body")}
        errors = []
        if values["forum"] not in FORUMS:
            errors.append("Choose a forum")
        if not values["title"]:
            errors.append("Title is required")
        if errors:
            return render(request, "submit.html", status_code=400, errors=errors, form=values)
        with db.connect() as conn:
            last = conn.execute("SELECT MAX(created) FROM posts").fetchone()[0]
            cur = conn.execute(
                "INSERT INTO posts (forum, title, body, author, created, base_score) VALUES (?,?,?,?,?,1)",
                (values["forum"], values["title"], values["body"], CURRENT_USER, _after(last)),
            )
        return RedirectResponse(f"/post/{cur.lastrowid}", status_code=303)

    return Starlette(
        routes=[
            Route("/", home),
            Route("/f/{name}", forum),
            Route("/user/{name}", user),
            Route("/search", search),
            Route("/post/{post_id:int}", post),
            Route("/post/{post_id:int}/comment", comment, methods=["POST"]),
            Route("/vote/{kind}/{target:int}", vote, methods=["POST"]),
            Route("/submit", submit, methods=["GET", "POST"]),
        ]
    )


def _after(last: str | None) -> str:
    """A timestamp one minute after `last`, so new content sorts first without reading the clock."""
    moment = datetime.fromisoformat(last) if last else datetime(2024, 1, 1)
    return (moment + timedelta(minutes=1)).isoformat(sep=" ")
