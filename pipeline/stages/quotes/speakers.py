"""Speakers: the names met in the text, in order, and the resolution of every quote's speaker
(fullest name, pronouns by gender, role nouns by title, continued speech)."""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from pipeline.lexicon import words as _words
from pipeline.lexicon.names import is_outlet, pronoun_gender
from pipeline.lexicon.nouns import is_role_word
from pipeline.stages.quotes.document import Doc, ParagraphRow, Quote
from pipeline.stages.quotes.names import fullest, person_gender


@dataclass(frozen=True)
class Mention:
    at: int
    name: str
    gender: str
    person: bool
    salient: bool = True    # a subject, not inside an object, a prepositional phrase or an apposition


# a subject (or the owner of one, `Dan Ericssons budskap`), where the parse is known
SALIENT_DEPS = ("nsubj", "nsubj:pass", "root", "ROOT", "nmod:poss")
SALIENCE_WINDOW = 250       # characters: a salient name this close beats a nearer one inside an apposition
APPOSITION_BEFORE = re.compile(r",[ \t]+(?:[a-zåäöé][\w-]*[ \t]+){1,6}$")


def _in_apposition(text: str, start: int, end: int) -> bool:
    """`Erik Dahl, statssekreterare hos ministern Olle Berg, …`: Olle Berg is inside the apposition."""
    return bool(APPOSITION_BEFORE.search(text, max(0, start - 80), start)) and text[end:end + 1] == ","

def timeline(doc: Doc, paragraphs: list[ParagraphRow], quotes: list[Quote]) -> list[Mention]:
    """Names met in the running text (captions and direct speech left out), in order."""
    skipped = sorted([(int(p.start), int(p.end)) for p in paragraphs if p.kind == "caption"] +
                     [(q.start, q.end) for q in quotes if q.kind == "direct"])
    starts = [a for a, _ in skipped]
    reach = list(itertools.accumulate((b for _, b in skipped), max))    # furthest end up to each span
    out = []
    for start, end, name, _ in doc.names:
        k = bisect.bisect_right(starts, start) - 1
        if k >= 0 and start < reach[k]:
            continue            # inside a caption or a direct quote
        canonical = fullest(doc, name)
        person = canonical in doc.persons or name in doc.persons
        salient = (not doc.deps or doc.deps.get(start, "") in SALIENT_DEPS) and not _in_apposition(doc.text, start, end)
        out.append(Mention(start, canonical, person_gender(canonical), person, salient))
    return out


def resolve(doc: Doc, quotes: list[Quote], mentions: list[Mention]) -> None:
    """Fill `speaker` for every quote: names as the fullest form, pronouns and roles resolved.

    A paragraph of direct speech without attribution continues the quote of the paragraph before;
    when the paragraph before holds no quote, the speaker is the one named in the next paragraph
    (`– A.` / `– B, säger X.`), else the last speaker.
    """
    history: list[Mention] = list(mentions)
    genders: dict[str, str] = {}
    ordered = sorted(quotes, key=lambda q: q.start)
    for n, q in enumerate(ordered):
        if q.speaker or q.title:
            continue
        if q.continues:
            q.speaker = _continued_speaker(doc, ordered, n, history, genders)
        else:
            _resolve_one(doc, q, history, genders, ordered)
    for q in ordered:
        if q.title:             # the first speaker the article names after it
            q.speaker = next((o.speaker for o in ordered if o.start > q.start and o.name and o.speaker), "")


def _continued_speaker(doc: Doc, ordered: list[Quote], n: int, history: list[Mention], genders: dict[str, str]) -> str:
    q = ordered[n]
    previous = ordered[n - 1] if n > 0 else None
    question = doc.questions.get(q.paragraph_id - 1)
    if question:                    # an answer: the person the question addresses, else who answered before
        addressed = [name for start, _, name, _ in doc.names if question[0] <= start < question[0] + 3]
        if addressed:
            return fullest(doc, addressed[0])
        if previous and previous.kind == "direct" and previous.speaker:
            return previous.speaker
    if previous and previous.paragraph_id >= q.paragraph_id - 1:
        return previous.speaker
    following = ordered[n + 1] if n + 1 < len(ordered) else None
    if following and following.kind == "direct" and following.paragraph_id == q.paragraph_id + 1 \
            and not following.continues:
        _resolve_one(doc, following, history, genders, ordered)
        return following.speaker
    if previous:
        return previous.speaker
    people = [m for m in history if m.person and m.at < q.start]
    return max(people, key=lambda m: m.at).name if people else ""


def _resolve_one(doc: Doc, q: Quote, history: list[Mention], genders: dict[str, str], quotes: list[Quote]) -> None:
    if q.speaker:
        return
    q.speaker = fullest(doc, q.name) if q.name else _resolve_words(doc, q, history, genders, quotes)
    if not q.speaker:
        return
    if q.name and q.kind == "direct" and not q.speaker.isupper() and not is_outlet(q.speaker):
        doc.persons.add(q.speaker)
    if q.speaker.lower() in pronoun_gender():
        return                      # a pronoun nobody could be found for is no antecedent for the next one
    at = q.m_start if q.m_start is not None else q.start
    gender = genders.get(q.speaker, person_gender(q.speaker))
    person = q.speaker in doc.persons or (q.name is None and q.mention.lower() in pronoun_gender())
    history.append(Mention(at, q.speaker, gender, person))


def _resolve_words(doc: Doc, q: Quote, history: list[Mention], genders: dict[str, str],
                   quotes: list[Quote]) -> str:
    words = q.mention.split()
    if not words:
        return ""
    mention = q.mention
    if len(words) == 1 and _genitive_role(words[0]):
        words = [words[0][:-1]]     # `enligt regeringens förslag`: the owner, regeringen
        mention = words[0]
    at = q.m_start if q.m_start is not None else q.start
    before = sorted((m for m in history if m.at < at and not (q.start <= m.at < q.end)), key=lambda m: m.at)
    first = words[0].lower()
    if len(words) == 1 and first in pronoun_gender():
        gender = pronoun_gender()[first]
        if gender == "plural":  # `De säger att` after `Löfven och Romson påstår att`
            groups = [o for o in quotes if o.start < q.start and o.speaker and
                      (" och " in o.speaker or (not o.name and o.mention.lower() not in pronoun_gender()))]
            return max(groups, key=lambda o: o.start).speaker if groups else mention
        fitting = [m for m in reversed(before)
                   if m.person and (gender == "any" or genders.get(m.name, m.gender) in (gender, "any"))]
        if fitting:
            # `Det var Dan Ericssons, statssekreterare till Peter Kullgren, budskap när han …`: han is the
            # subject, not the name inside the apposition
            chosen = next((m for m in fitting if m.salient and fitting[0].at - m.at <= SALIENCE_WINDOW), fitting[0])
            if gender in ("male", "female"):
                genders.setdefault(chosen.name, gender)
            return chosen.name
        return mention
    # `klimat- och miljöministern`: a coordinated title's head is its last word (regeringen-tune5)
    coordinated = len(words) == 3 and words[0].endswith("-") and words[1].lower() in ("och", "samt")
    head = words[2] if coordinated else _head(words)
    if head and _definite_singular(head):
        titled = {fullest(doc, n) for n, titles in doc.titles.items() if any(_title_matches(t, head) for t in titles)}
        for m in reversed(before):
            if m.name in titled:
                return m.name
        if titled:
            return sorted(titled, key=lambda n: min((s for s, _, x, _ in doc.names if fullest(doc, x) == n),
                                                   default=0))[0]
        # `förbundet` after `Vårdförbundet`: a name that is a compound ending in the role noun
        compound = re.compile(r"\b[A-ZÅÄÖ][\w-]*" + re.escape(head.lower()) + r"\b")
        found = [m.group() for m in compound.finditer(doc.text, doc.origin, at)]
        if found:
            return fullest(doc, found[-1])
    if any(w.lower() in ("och", "samt") for w in words):
        return mention            # `Sverige och flera andra medlemsstater`: a list is its own speaker
    for other in sorted(quotes, key=lambda o: o.start, reverse=True):
        if other.start < q.start and other.speaker and other.speaker.split()[-1].lower() == words[-1].lower():
            return other.speaker
    return mention


def _genitive_role(word: str) -> bool:
    """`regeringens`, `polisens`: a role noun in the genitive, lower case; also any definite noun in the genitive
    (`enligt utredningens förslag`: utredningen, regeringen-tune8)."""
    return word.islower() and word.endswith("s") and len(word) > 4 and \
        (is_role_word(word[:-1]) or (len(word) > 6 and word.endswith(("ens", "ets", "ans"))))


def _head(words: list[str]) -> str:
    stop = _words("speech_stopwords")
    kept = []
    for w in words:
        if w.lower() in stop:
            break
        kept.append(w)
    return kept[-1] if kept else ""


def _definite_singular(word: str) -> bool:
    low = word.lower()
    return len(low) > 4 and low.endswith(("en", "et", "an", "n")) and not low.endswith(("na", "erna", "arna"))


def _stem(word: str) -> str:
    low = word.lower()
    for suffix in ("en", "et", "an", "n", "t"):
        if low.endswith(suffix) and len(low) - len(suffix) >= 4:
            return low[: -len(suffix)]
    return low


def _title_matches(title: str, head: str) -> bool:
    t, h = title.lower(), head.lower()
    return t == h or t.endswith(h) or _stem(t).endswith(_stem(h)) or t.endswith(_stem(h))
