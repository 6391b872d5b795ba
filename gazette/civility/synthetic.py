"""Training comments generated from templates, to teach contrasts the data lacks.

The tweets in the Davidson data teach that strong language is offensive; they
do not teach the difference the comment policy turns on. These templates put
the same insult words, strong language and news topics into contrasting frames:

- an insult aimed at the reader ("you're a clueless hack", "your ignorance is
  staggering", "Moron. The bond passed in 2019.") is an attack;
- the same words aimed at a third person, a policy or oneself are not;
- strong language aimed at no one ("what the hell was the board thinking") is
  bad taste, not an attack;
- civil replies that speak to the reader ("you make a fair point") are neither.

Every slot filler appears on both sides of a contrast wherever it can, so the
model learns the frame, not the filler. Generation is seeded and reproducible.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    """A training comment with its two labels."""

    text: str
    attack: int
    offensive: int


def words(text: str) -> list[str]:
    """The words of a block of text."""
    return text.split()


NOUNS = words("""
    idiot moron fool clown troll loser hack liar hypocrite coward imbecile buffoon
    dimwit nitwit simpleton halfwit ignoramus crank crackpot lunatic weasel bigot
    shill stooge joke disgrace fraud parasite creep dope dunce jerk numbskull
    bonehead sheep snowflake brat crybaby windbag charlatan degenerate lowlife
    scumbag nutcase cretin twit
""")
ADJECTIVES = words("""
    stupid dumb ignorant clueless pathetic brainless idiotic moronic delusional
    dishonest spineless gutless worthless useless dense thick gullible childish
    arrogant smug hypocritical miserable despicable vile small-minded unhinged
    deranged senile illiterate uneducated naive incompetent
""")
FLAWS = [
    "ignorance",
    "stupidity",
    "idiocy",
    "hypocrisy",
    "arrogance",
    "incompetence",
    "bigotry",
    "gullibility",
    "cowardice",
    "dishonesty",
    "ego",
    "drivel",
    "reading comprehension",
    "grasp of basic facts",
    "lack of education",
]
STRONG = {
    "staggering": 0,
    "astounding": 0,
    "breathtaking": 0,
    "embarrassing": 0,
    "on full display": 0,
    "truly something": 0,
    "sickening": 0,
    "hilarious": 0,
    "beyond belief": 0,
    "showing again": 0,
}
TOPICS = [
    "the rail project",
    "the new budget",
    "the tax hike",
    "the zoning plan",
    "the school board",
    "the council vote",
    "the stadium deal",
    "the ferry",
    "the water rates",
    "the bike lanes",
    "the parking fees",
    "the housing bill",
    "the harbor plan",
    "the bus schedule",
    "the tourism tax",
    "the sewer upgrade",
    "the new library",
    "the police budget",
    "the beach closure",
    "the fare increase",
    "the permit office",
    "the rezoning",
    "the state audit",
    "the election results",
]
FACTS = [
    "the bond passed in 2019",
    "the vote was six to three",
    "the audit is public",
    "the contract was signed last year",
    "the article says the opposite",
    "the state already pays for that",
    "ridership went up last year",
    "the hearing is next Tuesday",
    "the numbers are in the second table",
    "the law changed in 2020",
    "the fee pays for maintenance",
    "the council approved it unanimously",
]
THIRD = [
    "the mayor",
    "the governor",
    "the senator",
    "that councilman",
    "the CEO",
    "the developer",
    "the board chair",
    "the superintendent",
    "the president",
    "our representative",
    "the landlord",
    "the coach",
    "the police chief",
]
THIRD_PLURAL = [
    "the council members",
    "these politicians",
    "the board",
    "the developers",
    "those lobbyists",
    "the utility executives",
    "the legislators",
    "the referees",
]
THINGS = [
    "this plan",
    "the proposal",
    "that decision",
    "the new rule",
    "this budget",
    "the design",
    "the policy",
    "the whole scheme",
    "the ad campaign",
    "the law",
]
CURSES = words("""
    damn damned bloody freaking fucking goddamn effing crappy shitty
""")
EXCLAMATIONS = [
    "what the hell",
    "what the fuck",
    "holy shit",
    "holy crap",
    "damn it",
    "oh hell no",
    "bloody hell",
    "for fuck's sake",
    "goddamn it",
    "jesus christ",
]
CIVIL_OPENERS = [
    "I respectfully disagree",
    "You make a fair point",
    "Good question",
    "I see your point",
    "Thanks for the link",
    "You may be right",
    "With respect",
    "I agree with you",
    "Fair enough",
    "I think you're mistaken",
    "You're right",
    "I hear you",
    "Interesting point",
    "I'm not sure you're right",
]
YOU_CIVIL = [
    "you should read {topic} report, it's worth it",
    "you might want to check the numbers on {topic}",
    "you are right about {topic}",
    "you make a good point about {topic}",
    "did you see the update on {topic}?",
    "have you looked at the hearing notes on {topic}?",
    "you're wrong about {topic}, {fact}",
    "you are mistaken, {fact}",
    "you can find the details on {topic} online",
    "if you read on, {fact}",
    "you and I disagree about {topic}, and that's fine",
    "your point about {topic} is well taken",
    "your numbers on {topic} are off, {fact}",
    "thank you for explaining {topic}",
    "you may not like {topic}, but {fact}",
    "are you going to the meeting about {topic}?",
    "you're not alone, I'm worried about {topic} too",
    "if you're upset about {topic}, call your council member",
    "you'd think they would have learned from {topic}",
    "you can't blame the workers for {topic}",
    "you have to wonder who benefits from {topic}",
    "you know, I used to support {topic} until {fact}",
    "you said it, {topic} is long overdue",
    "your best bet is to testify on {topic}",
    "where did you read that about {topic}?",
    "you won't believe how long the line was for {topic}",
    "can you share the source on {topic}?",
    "you raise a fair question about {topic}",
    "I think you're overstating the cost of {topic}",
    "you and your neighbors should show up for {topic}",
    "your letter about {topic} was excellent",
    "you're welcome, glad the info on {topic} helped",
    "you guys at the paper should follow up on {topic}",
    "if you think {topic} is bad, wait for next year",
    "you have every right to be angry about {topic}",
    "I hope you're right about {topic}",
    "you might be right, {fact}",
    "you clearly care about {topic}, thank you",
    "you wrote that {fact}, and you're correct",
    "what do you think about {topic}?",
]
YOU_ARE = [
    "you are",
    "you're",
    "youre",
    "ur",
    "your",
    "u r",
    "you sound like",
    "you really are",
]
DISMISSALS = [
    "shut up",
    "go away",
    "get lost",
    "grow up",
    "get a clue",
    "learn to read",
    "go back to school",
    "crawl back under your rock",
    "nobody asked you",
    "sit down",
    "stop posting",
    "take your meds",
    "get a life",
]
# Real readers speak to each other civilly far more often than they insult each
# other: without many civil replies, "you" alone would read as an attack.
CIVIL_YOU_SHARE = 0.5
ENDINGS = [".", "!", "", "...", "!!", "?"]


def article_for(word: str) -> str:
    """'a' or 'an' before a word."""
    return "an" if word[0] in "aeiou" else "a"


def capitalised(text: str, shuffle: random.Random) -> str:
    """Vary the case as commenters do."""
    roll = shuffle.random()
    if roll < 0.08:
        return text.upper()
    if roll < 0.3:
        return text.lower()
    return text[0].upper() + text[1:]


def attacks(shuffle: random.Random) -> Iterator[Example]:
    """Insults aimed at the reader, with and without strong language."""
    noun, adjective = shuffle.choice(NOUNS), shuffle.choice(ADJECTIVES)
    flaw, topic, fact = (
        shuffle.choice(FLAWS),
        shuffle.choice(TOPICS),
        shuffle.choice(FACTS),
    )
    you_are = shuffle.choice(YOU_ARE)
    curse = shuffle.choice(CURSES)
    frames = [
        (f"{you_are} {article_for(noun)} {noun}", 0),
        (f"{you_are} {article_for(adjective)} {adjective} {noun}", 0),
        (f"{you_are} so {adjective}", 0),
        (f"you {adjective} {noun}", 0),
        (f"you {noun}", 0),
        (f"{noun}. {fact}", 0),
        (f"{fact}, {noun}", 0),
        (f"{fact}, you {noun}", 0),
        (f"your {flaw} is {shuffle.choice(list(STRONG))}", 0),
        (f"your {flaw} about {topic} is {shuffle.choice(list(STRONG))}", 0),
        (f"{shuffle.choice(DISMISSALS)}, {noun}", 0),
        (shuffle.choice(DISMISSALS), 0),
        (f"{shuffle.choice(DISMISSALS)} and {shuffle.choice(DISMISSALS)}", 0),
        (f"what {article_for(noun)} {noun}", 0),
        (f"{shuffle.choice(DISMISSALS)}, you {adjective} {noun}", 0),
        (f"only {article_for(noun)} {noun} like you would defend {topic}", 0),
        (f"people like you are why {topic} failed", 0),
        (f"{you_are} too {adjective} to understand {topic}", 0),
        (f"you're {article_for(curse)} {curse} {noun}", 1),
        (f"you {curse} {noun}", 1),
        (f"shut the hell up, {noun}", 1),
        (f"{fact}, you {curse} {noun}", 1),
        (f"screw you and your {adjective} take on {topic}", 1),
        (f"fuck off, {noun}", 1),
    ]
    text, offensive = shuffle.choice(frames)
    yield Example(capitalised(text + shuffle.choice(ENDINGS), shuffle), 1, offensive)


def non_attacks(shuffle: random.Random) -> Iterator[Example]:
    """The same words aimed elsewhere, strong language at no one, civil replies."""
    noun, adjective = shuffle.choice(NOUNS), shuffle.choice(ADJECTIVES)
    topic, fact = shuffle.choice(TOPICS), shuffle.choice(FACTS)
    third, plural = shuffle.choice(THIRD), shuffle.choice(THIRD_PLURAL)
    thing, curse = shuffle.choice(THINGS), shuffle.choice(CURSES)
    frames = [
        (f"{third} is {article_for(noun)} {noun}", 0),
        (f"{third} is {article_for(adjective)} {adjective} {noun}", 0),
        (f"{plural} are {adjective}", 0),
        (f"{plural} are {noun}s", 0),
        (f"{thing} is {adjective}", 0),
        (f"{thing} is {adjective} and {fact}", 0),
        (f"what {article_for(adjective)} {adjective} way to handle {topic}", 0),
        (f"I was {article_for(noun)} {noun} to trust {third}", 0),
        (
            f"I feel like {article_for(noun)} {noun} for missing the {topic} hearing",
            0,
        ),
        (f"{shuffle.choice(EXCLAMATIONS)}, {topic} costs more again", 1),
        (f"{shuffle.choice(EXCLAMATIONS)} was {third} thinking", 1),
        (f"{topic} is a {curse} mess", 1),
        (f"this {curse} traffic is the worst", 1),
        (f"{thing} is {curse} {adjective}", 1),
        (f"{third} is {article_for(curse)} {curse} {noun}", 1),
        (f"{plural} are full of shit about {topic}", 1),
        (f"{shuffle.choice(CIVIL_OPENERS)}, {fact}", 0),
        (f"damn, you're right about {topic}", 1),
        (f"holy crap, you're right, {fact}", 1),
        (f"{shuffle.choice(EXCLAMATIONS)}, you have to see {topic}", 1),
        (f"{shuffle.choice(CIVIL_OPENERS)}, but {thing} is {adjective}", 0),
        (f"calling people {noun}s won't fix {topic}", 0),
        (f"no need to call anyone {article_for(noun)} {noun}, {fact}", 0),
        (f"I'm not calling you {article_for(noun)} {noun}, but {fact}", 0),
        (f"you're not {adjective} for asking, {fact}", 0),
        (f"nobody thinks you're {article_for(noun)} {noun}, {fact}", 0),
    ]
    if shuffle.random() < CIVIL_YOU_SHARE:
        text, offensive = shuffle.choice(YOU_CIVIL).format(topic=topic, fact=fact), 0
    else:
        text, offensive = shuffle.choice(frames)
    yield Example(capitalised(text + shuffle.choice(ENDINGS), shuffle), 0, offensive)


def synthetic_examples(
    count: int, *, seed: int = 0, attack_share: float = 0.35
) -> list[Example]:
    """Generate `count` distinct comments, about `attack_share` of them attacks."""
    shuffle = random.Random(seed)
    seen: set[str] = set()
    examples: list[Example] = []
    attempts = 0
    while len(examples) < count and attempts < count * 20:
        attempts += 1
        source = attacks if shuffle.random() < attack_share else non_attacks
        for example in source(shuffle):
            if example.text.lower() not in seen:
                seen.add(example.text.lower())
                examples.append(example)
    return examples
