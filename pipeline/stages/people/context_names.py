"""Names the model missed or mislabelled that their context makes a person's (before clustering): a reader's
handle after `signaturen` (`Signaturen riddarfalken`, written in any case), a nickname in quotation marks as
the subject of an inverted reporting verb (`…, säger ”Zäta” när`), and a name after a noun for a person
(`En annan läsare, Einheri, upplevde`). Each took one missed person of news-sentences-dev's tuning half."""

from __future__ import annotations

import functools
import re

from pipeline.lexicon.names import fold, folded_outlets, is_known_place, party_abbreviations, person_pronouns
from pipeline.lexicon.nouns import (
    is_common_word,
    is_group_noun,
    name_head,
    org_noun_base,
    person_noun_base,
    title_base,
)
from pipeline.lexicon.verbs import direct_forms
from pipeline.stages.people.document_state import DocumentState
from pipeline.stages.people.mentions import Mention, split_mention

HANDLE = re.compile(r"(?<![\w-])[Ss]ignaturen[ \t\u00a0]+[”\"»“]?[ \t\u00a0]*(\w[\w.-]*\w|\w)")
NOUN_BEFORE = re.compile(r"(?<![\w-])([a-zåäöéü][\w-]*)(,?)[ \t\u00a0]+$")


@functools.lru_cache(maxsize=1)
def nickname_pattern() -> re.Pattern:
    """A reporting verb after a comma or a closing quotation mark (inverted: its subject follows) and one or
    two capitalised words filling quotation marks (`, säger ”Zäta”`, `” sade "Foppa"`); group 1 the name."""
    verbs = "|".join(sorted(map(re.escape, direct_forms()), key=len, reverse=True))
    return re.compile(r"[,”\"»–—][ \t\u00a0]*(?:" + verbs + r")[ \t\u00a0]*[”\"»“][ \t\u00a0]*"
                      r"([A-ZÅÄÖ][\w-]+(?:[ \t\u00a0][A-ZÅÄÖ][\w-]+)?)[ \t\u00a0]*[”\"«“](?![\w-])")


def known_as_something_else(word: str) -> bool:
    """Does a lexicon know a capitalised word as no name (a pronoun, title, organisation, group or thing noun,
    common word, place, party or outlet)?"""
    return (word.lower() in person_pronouns() or bool(title_base(word)) or bool(org_noun_base(word)) or
            is_common_word(word) or is_known_place([word]) or is_group_noun(word) or bool(name_head(word)) or
            word in party_abbreviations() or fold(word) in folded_outlets())


def apposed_person_noun(text: str, start: int, end: int) -> bool:
    """Does a lower-case noun for a person (person_nouns.txt) or a title stand right before the mention, or
    before it in an apposition closed by a comma (`eleven Sara`, `En annan läsare, Einheri, upplevde`)? 1 missed
    person of news-sentences-dev's tuning half."""
    before = NOUN_BEFORE.search(text, max(0, start - 40), start)
    if not before:
        return False
    noun = before.group(1)
    if before.group(2) and not text.startswith(",", end):
        return False
    return bool(person_noun_base(noun) or (before.group(2) and title_base(noun)))


class ContextNames(DocumentState):
    """Mixin of `DocumentPeople`: people whose context, not the model, says they are people."""

    def _handles(self) -> None:
        """A reader's or user's handle after `signaturen` is a person (origin `signature`), also in lower case:
        `Signaturen riddarfalken skriver`. 1 missed person of news-sentences-dev's tuning half."""
        for match in HANDLE.finditer(self.text):
            start, end = match.span(1)
            if any(m.start < end and start < m.end for m in self.mentions + self.others):
                continue
            parts = split_mention(self.text[start:end])
            if not parts.words or known_as_something_else(parts.words[0]):
                continue
            mention = Mention(-1, start, end, "PER", self.text[start:end], parts, origin="signature")
            self.mentions.append(mention)
            self.added.append(mention)
        self.mentions.sort(key=lambda m: m.start)

    def _nicknames(self) -> None:
        """A nickname in quotation marks as the subject of an inverted reporting verb is a person (origin
        `nickname`): `…, säger ”Zäta” när DN träffar honom`. Words a lexicon knows otherwise (`säger ”Nej”`) are
        left. 1 missed person of news-sentences-dev's tuning half."""
        for match in nickname_pattern().finditer(self.text):
            start, end = match.span(1)
            if any(m.start < end and start < m.end and m.label == "PER" for m in self.mentions):
                continue
            words = match.group(1).split()
            if any(known_as_something_else(w) for w in words):
                continue
            covered = [m for m in self.others if m.start < end and start < m.end]
            mention = self._mention(covered[0].index if len(covered) == 1 else -1, start, end, "PER")
            if mention is None:
                continue
            mention.origin = "nickname"
            for m in covered:
                self.others.remove(m)
            self.mentions.append(mention)
            if mention.index < 0:
                self.added.append(mention)
        self.mentions.sort(key=lambda m: m.start)
