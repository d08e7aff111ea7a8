"""A pytest plugin for mutation runs (setup.cfg loads it).

Hypothesis draws the same examples every run, so whether a mutant survives does not change
from one run to the next, and has no deadline, because a loaded machine makes a test slow,
not wrong. The matcher's caches are emptied when a session starts: mutmut forks each mutant's
run from a process that already ran the tests, and a trie or fold cached there by the
unchanged code would hide the mutant (it is never called).
"""

from hypothesis import settings

settings.register_profile("mutation", derandomize=True, deadline=None, database=None, print_blob=False)
settings.load_profile("mutation")


def pytest_sessionstart(session):
    from moderation import normalize, words

    for module in (normalize, words):
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
