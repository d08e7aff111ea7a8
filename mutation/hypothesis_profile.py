"""A pytest plugin for mutation runs (setup.cfg loads it): Hypothesis draws the same examples
every run, so whether a mutant survives does not change from one run to the next, and has no
deadline, because a loaded machine makes a test slow, not wrong."""
from hypothesis import settings

settings.register_profile("mutation", derandomize=True, deadline=None, database=None, print_blob=False)
settings.load_profile("mutation")
