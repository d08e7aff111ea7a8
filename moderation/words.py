"""Banned and suspect word matching that survives disguises, in linear time by construction.

A listed word matches on word boundaries, case-folded, however it is disguised: the
text goes through moderation.normalize once (look-alikes, leet, separators, emoji),
then a trie of the listed words is walked from each word start. There is no regular
expression, so nothing can backtrack: the work per word start is bounded by the
longest listed word, whatever the text holds.

Runs of a letter are compared as runs: a run written once or twice must be written the
same in the listed word ("as" is not "ass"), and a run of three or more is stretching
and stands for one, two or as many ("stuuupid", "a$$$"). A digit that may be two
letters ("1" is i or l) matches either; a '*' inside a word masks one letter or none
("f*ck", "i*d*i*o*t").
"""

from dataclasses import dataclass, field
from functools import lru_cache

from .normalize import STRETCH, for_matching


@dataclass
class _Node:
    # char -> [(run length, child)]: each edge is one run of a letter in a listed word.
    children: dict = field(default_factory=dict)
    words: list = field(default_factory=list)


def _runs(text):
    """A listed word's folded text as (char, length) runs."""
    runs = []
    for char in text:
        if runs and runs[-1][0] == char and char != " ":
            runs[-1][1] += 1
        else:
            runs.append([char, 1])
    return runs


@lru_cache(maxsize=64)
def compile_words(words):
    """The trie of the listed words; `words` is a tuple so the result can be cached."""
    root = _Node()
    for word in words:
        folded = for_matching(word).text
        if not folded:
            continue
        node = root
        for char, length in _runs(folded):
            edges = node.children.setdefault(char, [])
            child = next((c for m, c in edges if m == length), None)
            if child is None:
                child = _Node()
                edges.append((length, child))
            node = child
        node.words.append(word)
    return root


def _fits(text_run, word_run):
    """A run of the text stands for a run of the listed word (stretching is 3+ repeats)."""
    return text_run == word_run or (text_run >= STRETCH and word_run <= text_run)


@dataclass
class Counter:
    """Edges the matcher looked at: the work done, which tests bound by the text's length."""

    steps: int = 0


def _text_runs(folded):
    """The folded text as runs (char, alt, is_mask, start, stop), split at soft boundaries."""
    text, runs, p = folded.text, [], 0
    while p < len(text):
        q = p + 1
        if p not in folded.masks and text[p] != " ":
            while (
                q < len(text)
                and text[q] == text[p]
                and q not in folded.soft
                and q not in folded.masks
                and folded.alts.get(q) == folded.alts.get(p)
            ):
                q += 1
        runs.append((text[p], folded.alts.get(p), p in folded.masks, p, q))
        p = q
    return runs


def _boundary(folded, position):
    text = folded.text
    return (
        position == 0
        or position == len(text)
        or text[position - 1] == " "
        or text[position] == " "
        or position in folded.soft
    )


def _step(active, run, counter):
    """The trie nodes reached from `active` by one run of the text."""
    char, alt, mask, start, stop = run
    length = 1 if mask else stop - start
    reached = {}
    for node in active:
        if mask:
            reached[id(node)] = node  # a '*' may stand for nothing ("i*d*i*o*t")
            groups = [edges for c, edges in node.children.items() if c != " "]
        else:
            groups = [node.children.get(char, ()), node.children.get(alt, ()) if alt else ()]
        for edges in groups:
            counter.steps += len(edges)
            for word_run, child in edges:
                if _fits(length, word_run):
                    # Keyed by identity: a node reached twice would double the work after it.
                    reached[id(child)] = child
    return list(reached.values())


def _walk(root, folded, runs, first, found, counter):
    """Every listed word that starts at runs[first] and ends on a word boundary."""
    active = [root]
    for index in range(first, len(runs)):
        run = runs[index]
        active = _step(active, run, counter)
        if not active:
            return
        if _boundary(folded, run[4]):
            for node in active:
                for word in node.words:
                    found.setdefault(word, (runs[first][3], run[4]))


@lru_cache(maxsize=32)
def _folded(text):
    # The policy looks up the banned and then the suspect list in the same text: fold once.
    return for_matching(text)


def find_words(text, words, counter=None):
    """The listed words that occur in `text`, each with the first character span that matched."""
    root = compile_words(tuple(words))
    if not root.children:
        return []
    counter = counter or Counter()
    folded = _folded(text)
    runs = _text_runs(folded)
    found = {}
    for first, run in enumerate(runs):
        if run[0] != " " and not run[2] and _boundary(folded, run[3]):
            _walk(root, folded, runs, first, found, counter)
    return [(word, folded.original_span(*found[word])) for word in dict.fromkeys(words) if word in found]


def normalise(text):
    """The folded form the word lists are matched against."""
    return for_matching(text).text
