"""The demo content a fresh install shows: the seed page's story, in our own words."""

DEMO_ARTICLE = {
    "slug": "blinken-beijing-talks",
    "title": "Blinken starts round of talks with Chinese officials in Beijing",
    "summary": (
        "The US Secretary of State arrived in Beijing in June 2023 for two days of meetings, "
        "the first visit by America's top diplomat in about five years."
    ),
    "body": (
        "Antony Blinken, the US Secretary of State, opened a round of meetings with senior Chinese "
        "officials in Beijing on Sunday, 18 June 2023. He was the most senior American official to "
        "travel to China since the start of the Biden administration, and the first Secretary of State "
        "to visit in roughly five years.\n\n"
        "His first session was with Foreign Minister Qin Gang. Both sides described the talks as candid; "
        "officials said the aim was to keep lines of communication open and to stop competition between "
        "the two powers from sliding into conflict, rather than to announce breakthroughs.\n\n"
        "The trip had been planned for February but was called off after a Chinese balloon crossed the "
        "United States. Taiwan, export controls on advanced chips, fentanyl and detained Americans were "
        "all expected on the agenda, along with a possible meeting with President Xi Jinping.\n\n"
        "Analysts cautioned that a single visit would not reset relations, but said that regular contact "
        "between the two governments' senior officials would lower the risk of misunderstandings."
    ),
    "comments_mode": "open",
    "published_at": "2023-06-18T08:00:00",
}

DEMO_COMMENTS = [
    "Good to see the two sides talking again after the balloon episode. Low expectations, but contact matters.",
    "Does anyone know whether a meeting with Xi is confirmed? The article says it was only possible.",
]
