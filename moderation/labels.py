"""The six attributes every Parley model scores, in detoxify's naming."""

LABELS = (
    "toxicity",
    "severe_toxicity",
    "obscene",
    "threat",
    "insult",
    "identity_attack",
)

# detoxify's original (Jigsaw 2018) checkpoints use older names; scores are
# always reported under the names above whichever model produced them.
RENAMED = {
    "toxic": "toxicity",
    "severe_toxic": "severe_toxicity",
    "identity_hate": "identity_attack",
}
