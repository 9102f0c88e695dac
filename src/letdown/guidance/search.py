"""Full-text search over the guidance topics: SQLite FTS5 with BM25 ranking.

Queries are forgiving: punctuation and apostrophes are dropped ("won't" → "wont"), words
run together are split when both halves are known ("handexpress" → "hand express"), small
typos are corrected against the words the topics and the synonym list use (a SymSpell-style
index of deletions), and any phrase from ``synonyms.yaml`` pulls in the rest of its group
("rock hard" also looks for "engorged", "swollen"...); filler words ("how", "do", "i")
are not searched on their own. The index is built once, in memory,
the first time it is needed.

Correction is careful: everyday words listed as ``known`` in ``synonyms.yaml`` are never
"corrected" into a topic word ("starving" stays "starving", it does not become "storing"),
two edits are allowed only in long words and only when the first letter is kept, and a
correction's cost is bounded: a query is at most ``MAX_QUERY_CHARS`` characters and a word
longer than ``MAX_CORRECTED_LETTERS`` is searched as it is, so the deletions tried for one
word are never more than ``MAX_CANDIDATES``.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from letdown.domain.errors import InvalidInput
from letdown.guidance import library
from letdown.guidance.library import CITATION, MAX_QUERY_CHARS, Topic

#: Column weights for BM25: id (not indexed), title, tags, body, hints (search-only tags
#: kept in ``synonyms.yaml``, e.g. the baby-illness words that lead to *When to call*).
WEIGHTS = (0.0, 8.0, 5.0, 1.0, 5.0)
MAX_LIMIT = 15
#: Longer words are not spell-corrected or split (no real topic word is this long).
MAX_CORRECTED_LETTERS = 20
#: Upper bound on the deletion variants tried when correcting one word: a word of
#: ``MAX_CORRECTED_LETTERS`` letters at two edits gives 1 + 20 + 190.
MAX_CANDIDATES = 1 + MAX_CORRECTED_LETTERS + MAX_CORRECTED_LETTERS * (MAX_CORRECTED_LETTERS - 1) // 2
#: A word run together from two known words is split only when each part has this many letters.
MIN_PART_LETTERS = 3

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
    """Edits allowed when correcting ``word``: none for short words, numbers or very long ones."""
    if len(word) < 4 or word.isdigit() or len(word) > MAX_CORRECTED_LETTERS:
        return 0
    return 1 if len(word) < 9 else 2


def correction_candidates(word: str) -> set[str]:
    """The deletion variants looked up to correct ``word`` (empty when it is not corrected).

    Bounded by ``MAX_CANDIDATES`` whatever the input: a word longer than
    ``MAX_CORRECTED_LETTERS`` is not corrected at all.
    """
    limit = _max_edits(word)
    return _deletions(word, limit) if limit else set()


def check_query(query: str) -> None:
    """Refuse an empty or over-long query with a message that says what to do."""
    if not query.strip():
        raise InvalidInput("q", "type a few words to search for")
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(
            "q",
            f"too long ({len(query)} characters); a search can be at most {MAX_QUERY_CHARS} "
            "characters, and a few words are enough",
        )


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
        *,
        hints: Mapping[str, Sequence[str]] | None = None,
        known: Iterable[str] = (),
    ) -> None:
        self._topics = {topic.id: topic for topic in topics}
        hints = dict(hints or {})
        unknown = sorted(set(hints) - set(self._topics))
        if unknown:
            raise ValueError(f"Search hints name unknown topics: {', '.join(unknown)}")
        self._filler = frozenset(filler)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE doc USING fts5(id UNINDEXED, title, tags, body, hints, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        frequency: Counter[str] = Counter()
        for topic in self._topics.values():
            body = plain_text(topic.body)
            tags = " ; ".join(topic.tags)
            extra = " ; ".join(hints.get(topic.id, ()))
            self._db.execute(
                "INSERT INTO doc (id, title, tags, body, hints) VALUES (?, ?, ?, ?, ?)",
                (topic.id, topic.title, tags, body, extra),
            )
            frequency.update(normalise(f"{topic.title} {tags} {body} {extra}"))
        self._groups: list[list[tuple[str, ...]]] = []
        self._phrases_by_first: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        for number, group in enumerate(synonyms):
            entries = [tuple(normalise(entry)) for entry in group if normalise(entry)]
            self._groups.append(entries)
            for entry in entries:
                self._phrases_by_first[entry[0]].append((entry, number))
                frequency.update(entry)
        frequency.update(self._filler)
        # Everyday words with no topic of their own: known, so never "corrected", but not
        # indexed as correction targets either.
        self._known = frozenset(w for entry in known for w in normalise(entry))
        self._frequency = frequency
        self._deletes: dict[str, list[str]] = defaultdict(list)
        for word in frequency:
            for variant in correction_candidates(word) or {word}:
                self._deletes[variant].append(word)

    # -- query side -------------------------------------------------------------------
    def is_known(self, word: str) -> bool:
        return word in self._frequency or word in self._known

    def correct(self, word: str) -> str:
        """The closest known word within a small edit distance, or the word unchanged.

        Two edits are accepted only when the first letter is kept, so a real word is not
        turned into an unrelated one that happens to be close ("starving" is not "storing").
        """
        if self.is_known(word):
            return word
        limit = _max_edits(word)
        candidates = {c for v in correction_candidates(word) for c in self._deletes.get(v, ())}
        scored = [
            (distance, c[0] != word[0], -self._frequency[c], c)
            for c in candidates
            if (distance := osa_distance(word, c)) <= limit and (distance < 2 or c[0] == word[0])
        ]
        return min(scored)[3] if scored else word

    def split(self, word: str) -> list[str] | None:
        """``word`` as two known words run together ("handexpress"), or ``None``.

        Each part has at least ``MIN_PART_LETTERS`` letters and neither is a filler word;
        where several splits fit, the one whose rarer part is commoner wins.
        """
        if self.is_known(word) or not MIN_PART_LETTERS * 2 <= len(word) <= MAX_CORRECTED_LETTERS:
            return None
        best: tuple[int, int, list[str]] | None = None
        for cut in range(MIN_PART_LETTERS, len(word) - MIN_PART_LETTERS + 1):
            left, right = word[:cut], word[cut:]
            if left in self._filler or right in self._filler:
                continue
            if left in self._frequency and right in self._frequency:
                score = (min(self._frequency[left], self._frequency[right]), cut, [left, right])
                best = max(best, score) if best else score
        return best[2] if best else None

    def words(self, query: str) -> list[str]:
        """A query's words as searched: run-together words split, small typos fixed."""
        result: list[str] = []
        for word in normalise(query):
            parts = self.split(word)
            result.extend(parts if parts else [self.correct(word)])
        return result

    def expand(self, query: str) -> list[str]:
        """The FTS5 phrases searched for a query: its words (typos fixed) plus synonyms."""
        words = self.words(query)
        phrases: dict[str, None] = {}
        for position, word in enumerate(words):
            if word not in self._filler:
                phrases.setdefault(word, None)
            matches = [
                (len(entry), group)
                for entry, group in self._phrases_by_first.get(word, ())
                if tuple(words[position : position + len(entry)]) == entry
            ]
            # The longest phrase wins: "breast milk" pulls in its own group, not every
            # word for breasts.
            longest = max((length for length, _ in matches), default=0)
            for length, group in matches:
                if length == longest:
                    for synonym in self._groups[group]:
                        phrases.setdefault(" ".join(synonym), None)
        return list(phrases)

    def search(self, query: str, limit: int = 5) -> list[SearchResult]:
        """Topics that match ``query``, best first."""
        check_query(query)
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
    return SearchIndex(
        library.topics().values(),
        data["groups"],
        data["filler"],
        hints=data.get("hints", {}),
        known=data.get("known", ()),
    )


def search(query: str, limit: int = 5) -> list[SearchResult]:
    """Search the shipped guidance topics."""
    return default_index().search(query, limit)
