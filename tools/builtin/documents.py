"""`search_documents`: BM25 search over text files the user points at.

Files are split into passages (blank-line separated, long ones cut), indexed
once with bm25s when the tool is built, and searched per call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from agentc.errors import ToolDefinitionError
from agentc.tools.tool import Tool, tool

TEXT_SUFFIXES = {".txt", ".md", ".rst", ".csv", ".json", ".html", ".py", ".org"}
MAX_PASSAGE_CHARS = 800


class DocumentIndex:
    """Passages of the files under `paths`, indexed for BM25 search."""

    def __init__(self, paths: Iterable[str | Path]) -> None:
        import bm25s

        self.passages: list[dict[str, str]] = []
        for file in _text_files(paths):
            text = file.read_text(encoding="utf-8", errors="replace")
            for passage in _passages(text):
                self.passages.append({"source": str(file), "text": passage})
        if not self.passages:
            raise ToolDefinitionError(
                f"no text found under {', '.join(map(str, paths))}; point the document search at "
                f"files ending in {', '.join(sorted(TEXT_SUFFIXES))}"
            )
        self._bm25 = bm25s.BM25()
        self._bm25.index(bm25s.tokenize([p["text"] for p in self.passages], stopwords="en", show_progress=False), show_progress=False)

    def search(self, query: str, k: int = 3) -> list[dict[str, Any]]:
        import bm25s

        k = max(1, min(k, len(self.passages)))
        tokens = bm25s.tokenize([query], stopwords="en", show_progress=False)
        if not tokens.vocab:
            return []
        ids, scores = self._bm25.retrieve(tokens, k=k, show_progress=False)
        return [
            {**self.passages[int(i)], "score": round(float(s), 3)} for i, s in zip(ids[0], scores[0]) if float(s) > 0
        ]


def document_search_tool(paths: Iterable[str | Path]) -> Tool:
    """A `search_documents` tool over the files under `paths`."""
    index = DocumentIndex(list(paths))

    def search_documents(query: str, k: int = 3) -> list[dict[str, Any]]:
        """Search the user's documents and return the best passages with their file names.

        Args:
            query: words to look for, e.g. "population of Lyon"
            k: how many passages to return
        """
        return index.search(query, k)

    return tool(idempotent=True)(search_documents)


def _text_files(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        if not path.exists():
            raise ToolDefinitionError(f"document path {path} does not exist")
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        files += [p for p in candidates if p.suffix.lower() in TEXT_SUFFIXES]
    return files


def _passages(text: str) -> list[str]:
    out: list[str] = []
    for block in (b.strip() for b in text.split("\n\n")):
        while block:
            out.append(block[:MAX_PASSAGE_CHARS])
            block = block[MAX_PASSAGE_CHARS:].strip()
    return out
