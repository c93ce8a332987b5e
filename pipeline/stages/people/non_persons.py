"""PER clusters that look like no person (a place, an outlet, a photo agency, a one-word name with no sign of
a person) get the label they more likely have."""

from __future__ import annotations

import functools
import re
from collections import Counter

from pipeline.lexicon.names import fold, folded_outlets, is_first_name, is_listed_place, name_gender
from pipeline.lexicon.nouns import gendered_nouns, noun_base, org_noun_base, org_nouns, place_nouns
from pipeline.lexicon.verbs import direct_forms
from pipeline.stages.people.document_state import DocumentState
from pipeline.stages.people.mentions import Mention


@functools.lru_cache(maxsize=1)
def reporting_patterns() -> tuple[re.Pattern, re.Pattern]:
    """A reporting verb right after a name (``Löfven, säger``) and one right before it (``sade Löfven``,
    ``enligt Löfven``), from the quote stage's verb lexicons (pipeline/lexicon/*_verbs.txt)."""
    verbs = "(?:" + "|".join(sorted(map(re.escape, direct_forms()), key=len, reverse=True)) + ")"
    return (re.compile(r"[ \t\u00a0]*,?[ \t\u00a0]*" + verbs + r"\b"),
            re.compile(r"\b(?:" + verbs + r"|enligt)[ \t\u00a0]+$"))


NOT_A_VERB = {"och", "eller", "samt", "som", "i", "på", "av", "för", "med", "till", "från", "om", "mot", "hos", "vid",
              "under", "efter", "inför", "genom", "utan", "åt", "över", "bakom", "mellan", "bland", "kring", "enligt",
              "men", "utom", "via", "per", "the", "of", "and", "de", "la", "del", "y", "et", "och/eller"}
MAX_WORDS_NEEDING_EVIDENCE = 1   # names this long or shorter need a sign of a person (unless a known first name)


def _common_noun_end(words: list[str]) -> str:
    """LOC/ORG when a name ends in the definite form of a compound place or organisation noun
    (`Espresso House Konserthuset`, `Skolans Idrottsförbundet`), else ""."""
    last = words[-1] if words else ""
    if not last.endswith(("et", "en")) or len(last) < 8:
        return ""
    stem = last.lower()[:-2]
    for lexicon, label in ((place_nouns(), "LOC"), (org_nouns(), "ORG")):
        # a compound (konserthus), not the bare noun (Bergen)
        if any(stem[cut:] in lexicon for cut in range(3, len(stem) - 2)):
            return label
    return ""


def _named_after(words: list[str]) -> bool:
    """A place or thing named after someone: a genitive first name inside the name (`Prins Eugens
    Waldemarsudde`, `Eriks gata`), not a first name that ends in -s (`Hans Blix`)."""
    return any(w.endswith("s") and name_gender(w) == "unknown" and name_gender(w[:-1]) != "unknown"
               for w in words[:-1])


class NonPersons(DocumentState):
    """Mixin of `DocumentPeople`: rejecting PER clusters that are no person."""

    def _reject(self) -> None:
        """PER clusters that look like no person get another label (and no person_id).

        A place or outlet name, a name in a photo-agency credit, or a one-word name with no sign of a person
        (no title, no known first name, no reporting verb next to it, no full name ending in it in the run),
        or a name the run's other mentions mostly label otherwise or that follows a place/organisation noun.
        """
        for cluster in self.clusters:
            if cluster.label != "PER":
                continue
            words = cluster.mentions[0].parts.words if len(cluster.mentions[0].key) == len(cluster.key) else \
                [w for m in cluster.mentions if m.key == cluster.key for w in m.parts.words]
            votes = self.votes.get(cluster.key, Counter())
            other = Counter({k: v for k, v in votes.items() if k != "PER"})
            noun_before = [self._noun_before(m) for m in cluster.mentions]
            thing = next((n for n in noun_before if n), "") or \
                ("ORG" if any(m.parts.org_nouns for m in cluster.mentions) else "")
            first_known = any(is_first_name(m.parts.words[0]) for m in cluster.mentions
                              if len(m.parts.words) > 1 or len(cluster.key) == 1)
            evidence = bool(cluster.titles - {"fotograf"}) or first_known or cluster.photographer or \
                any(self._reporting_verb_next_to(m) or (self._person_context(m) and not self._sentence_initial(m.start))
                    for m in cluster.mentions)
            if len(cluster.key) == 1:
                evidence |= cluster.key[0] in self.surnames
            if thing and not cluster.titles and not first_known:  # `järnvägsbolaget Korail`
                evidence = False
            label = ""
            if is_listed_place(list(cluster.key)) and not cluster.titles:
                label = "LOC"
            elif fold(" ".join(words)) in folded_outlets() and not cluster.titles:
                label = "ORG"
            elif all(m.noise for m in cluster.mentions):
                label = "ORG"
            elif any(_named_after(m.parts.words) for m in cluster.mentions):
                label = other.most_common(1)[0][0] if other else "LOC"
            elif not cluster.titles and len(cluster.key) > 1 and (kind := _common_noun_end(words)):
                label = kind
            elif not evidence and (len(cluster.key) <= MAX_WORDS_NEEDING_EVIDENCE or thing or
                                   sum(other.values()) > votes.get("PER", 0)):
                label = other.most_common(1)[0][0] if other else (thing or "MISC")
            if label:
                cluster.rejected = label
                for m in cluster.mentions:
                    m.label, m.cluster = label, -1
                    self.others.append(m)
                cluster.mentions = []
        self.mentions = [m for m in self.mentions if m.cluster >= 0]

    def _noun_before(self, m: Mention) -> str:
        """LOC or ORG when a place or organisation noun stands right before the mention."""
        before = re.search(r"([^\W\d_][\w-]*)[ \t\u00a0]+$", self.text[max(0, m.start - 60):m.start])
        word = before.group(1) if before else ""
        if not word[:1].islower():
            return ""
        if noun_base(word, place_nouns()):
            return "LOC"
        return "ORG" if org_noun_base(word) else ""

    def _person_context(self, m: Mention) -> bool:
        """A name used as a subject (`Hirvonen har`, `Merkel väntas`: a lower-case word that is no preposition
        or conjunction follows a name that is no genitive), or after a nationality or kinship word
        (`serbiske Danijel`, `mamma Knota`)."""
        genitive = m.parts.words and m.name.split()[-1:] != m.parts.words[-1:]
        after = re.match(r"[ \t\u00a0]+([^\W\d_][\w-]*)", self.text[m.end:m.end + 40])
        if not genitive and after and after.group(1)[:1].islower() and after.group(1) not in NOT_A_VERB:
            return True
        before = re.search(r"([^\W\d_][\w-]*)[ \t\u00a0]+$", self.text[max(0, m.start - 40):m.start])
        word = before.group(1).lower() if before else ""
        return word.endswith(("iska", "iske", "ska", "ske")) and len(word) > 5 or word in gendered_nouns()

    def _reporting_verb_next_to(self, m: Mention) -> bool:
        after, before = reporting_patterns()
        return bool(after.match(self.text[m.end:m.end + 30]) or before.search(self.text[max(0, m.start - 30):m.start]))
