"""Full-text search over the guidance topics: SQLite FTS5 with BM25 ranking.

Queries are forgiving: punctuation and apostrophes are dropped ("won't" → "wont"), small
typos are corrected against the words the topics and the synonym list use (a SymSpell-style
index of deletions), and any phrase from ``synonyms.yaml`` pulls in the rest of its group
("rock hard" also looks for "engorged", "swollen"...); filler words ("how", "do", "i")
are not searched on their own. The index is built once, in memory,
the first time it is needed.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from letdown.domain.errors import InvalidInput
from letdown.guidance import library
from letdown.guidance.library import CITATION, Topic

#: Column weights for BM25: id (not indexed), title, tags, body.
WEIGHTS = (0.0, 8.0, 5.0, 1.0)
MAX_LIMIT = 15

_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHE = re.compile(r"['’‘`´]")


def normalise(text: str) -> list[str]:
    """Lower-case words with apostrophes removed and every other mark treated as a space."""
    return _WORD.findall(_APOSTROPHE.sub("", text.lower()))


def plain_text(markdown: str) -> str:
    """A topic body as plain prose for indexing and snippets (no citations, marks, disclaimer)."""
    lines = []
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith(">") or re.fullmatch(r"\|?[-|: ]+\|?", stripped or "x"):
            continue
        heading = stripped.startswith("#")
        stripped = re.sub(r"\s*" + CITATION.pattern, "", stripped)
        stripped = re.sub(r"^#+\s*|^\d+\.\s+|^[-*]\s+", "", stripped)
        stripped = re.sub(r"[*`_]", "", stripped).replace("|", " ")
        if heading:
            stripped += ":"
        if stripped:
            lines.append(" ".join(stripped.split()))
    return " ".join(lines)


def osa_distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbouring letters as one edit."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _deletions(word: str, depth: int) -> set[str]:
    """Every string made by removing up to ``depth`` letters from ``word``."""
    found = {word}
    for count in range(1, min(depth, len(word) - 1) + 1):
        for positions in combinations(range(len(word)), count):
            found.add("".join(c for k, c in enumerate(word) if k not in positions))
    return found


def _max_edits(word: str) -> int:
    if len(word) < 4 or word.isdigit():
        return 0
    return 1 if len(word) < 7 else 2


@dataclass(frozen=True)
class SearchResult:
    id: str
    title: str
    snippet: str
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "snippet": self.snippet,
            "sources": list(self.sources),
        }


class SearchIndex:
    """An in-memory FTS5 index of the topics, plus a speller and the synonym groups."""

    def __init__(
        self,
        topics: Iterable[Topic],
        synonyms: Sequence[Sequence[str]],
        filler: Iterable[str] = (),
    ) -> None:
        self._topics = {topic.id: topic for topic in topics}
        self._filler = frozenset(filler)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE doc USING fts5(id UNINDEXED, title, tags, body, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        frequency: Counter[str] = Counter()
        for topic in self._topics.values():
            body = plain_text(topic.body)
            tags = " ; ".join(topic.tags)
            self._db.execute(
                "INSERT INTO doc (id, title, tags, body) VALUES (?, ?, ?, ?)",
                (topic.id, topic.title, tags, body),
            )
            frequency.update(normalise(f"{topic.title} {tags} {body}"))
        self._groups: list[list[tuple[str, ...]]] = []
        self._phrases_by_first: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        for number, group in enumerate(synonyms):
            entries = [tuple(normalise(entry)) for entry in group if normalise(entry)]
            self._groups.append(entries)
            for entry in entries:
                self._phrases_by_first[entry[0]].append((entry, number))
                frequency.update(entry)
        frequency.update(self._filler)
        self._frequency = frequency
        self._deletes: dict[str, list[str]] = defaultdict(list)
        for word in frequency:
            for variant in _deletions(word, _max_edits(word)):
                self._deletes[variant].append(word)

    # -- query side -------------------------------------------------------------------
    def correct(self, word: str) -> str:
        """The closest known word within a small edit distance, or the word unchanged."""
        if word in self._frequency:
            return word
        limit = _max_edits(word)
        if limit == 0:
            return word
        candidates = {c for v in _deletions(word, limit) for c in self._deletes.get(v, ())}
        scored = [
            (distance, -self._frequency[c], c)
            for c in candidates
            if (distance := osa_distance(word, c)) <= limit
        ]
        return min(scored)[2] if scored else word

    def expand(self, query: str) -> list[str]:
        """The FTS5 phrases searched for a query: its words (typos fixed) plus synonyms."""
        words = [self.correct(word) for word in normalise(query)]
        phrases: dict[str, None] = {}
        for position, word in enumerate(words):
            if word not in self._filler:
                phrases.setdefault(word, None)
            for entry, group in self._phrases_by_first.get(word, ()):
                if tuple(words[position : position + len(entry)]) == entry:
                    for synonym in self._groups[group]:
                        phrases.setdefault(" ".join(synonym), None)
        return list(phrases)

    def search(self, query: str, limit: int = 5) -> list[SearchResult]:
        """Topics that match ``query``, best first."""
        if not query.strip():
            raise InvalidInput("q", "type a few words to search for")
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput("limit", f"must be between 1 and {MAX_LIMIT}, not {limit}")
        phrases = self.expand(query)
        if not phrases:
            return []
        match = " OR ".join(f'"{phrase}"' for phrase in phrases)
        weights = ", ".join(str(w) for w in WEIGHTS)
        sql = (
            f"SELECT id, snippet(doc, 3, '', '', '…', 24) FROM doc "
            f"WHERE doc MATCH ? ORDER BY bm25(doc, {weights}) LIMIT ?"
        )
        with self._lock:
            rows = self._db.execute(sql, (match, limit)).fetchall()
        return [
            SearchResult(
                id=ident,
                title=self._topics[ident].title,
                snippet=snippet,
                sources=self._topics[ident].sources,
            )
            for ident, snippet in rows
        ]


@lru_cache(maxsize=1)
def default_index() -> SearchIndex:
    """The index over the shipped topics and synonyms, built on first use."""
    data = library.read_yaml("synonyms.yaml")
    return SearchIndex(library.topics().values(), data["groups"], data["filler"])


def search(query: str, limit: int = 5) -> list[SearchResult]:
    """Search the shipped guidance topics."""
    return default_index().search(query, limit)
