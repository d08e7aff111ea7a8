"""Comment bodies for the load benchmark: news-comment-like text of varied length, mostly
civil, with a few rude ones so the review and hold paths (and their explanations) run too."""

SENTENCES = (
    "The talks in Beijing went on longer than anyone expected.",
    "I read the whole piece and I still do not see what was actually agreed.",
    "Both sides seem to want a calmer relationship, which is good news.",
    "Trade was barely mentioned, and that is the part that matters to most of us.",
    "My family runs a small export business, so we follow these meetings closely.",
    "Thanks for the balanced article, I learned a lot about the background.",
    "It would help to see the full statement from the foreign ministry.",
    "Diplomacy is slow, but it beats the alternative every time.",
    "The photo caption says Tuesday but the article says Monday; which was it?",
    "As a retired teacher I appreciate how clearly this was explained.",
    "I am sceptical that anything will change before the next election.",
    "Good to see the climate cooperation point included at the end.",
    "Could you add a timeline of the previous visits for context?",
    "Several readers asked about the students' visas; any update on that?",
    "The last paragraph quotes an analyst who makes a fair point about Taiwan.",
    "This is the first report I have seen that mentions the fentanyl talks.",
    "As a gay Muslim veteran, I think both governments owe their citizens more openness.",
    "Markets barely moved, which tells you how much people expected from this.",
    "Let us hope the working groups actually meet this time.",
    "I disagree with the editorial line, but the reporting here is solid.",
)
RUDE = (
    "Anyone who believes this nonsense is a complete idiot.",
    "What a pathetic, worthless excuse for journalism, you clowns.",
    "Shut up, you ignorant moron, nobody asked you.",
)
RUDE_SHARE = 0.05


def comment_body(rng):
    """One comment: one to five sentences, now and then a rude line among them."""
    body = rng.sample(SENTENCES, rng.randint(1, 5))
    if rng.random() < RUDE_SHARE:
        body.insert(rng.randrange(len(body) + 1), rng.choice(RUDE))
    return " ".join(body)
