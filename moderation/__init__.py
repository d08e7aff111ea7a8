"""Parley's toxicity scoring library (no Flask here).

    from moderation import get_scorer
    scores = get_scorer().score(["Thanks for the article."])

torch and transformers are imported only when a Scorer is first built, so
importing this package stays cheap.
"""

from .labels import LABELS

__all__ = ["LABELS", "ModelLoadError", "Scorer", "get_scorer"]


def __getattr__(name):
    # Lazy: `from moderation import Scorer` pulls in torch only when used.
    if name in ("Scorer", "ModelLoadError", "get_scorer"):
        from . import scorer

        return getattr(scorer, name)
    raise AttributeError(name)
