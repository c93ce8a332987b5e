"""Repairs of a document's model mentions before clustering: names the model split, ORG/LOC/MISC names next
to a person title (they are people), names it missed (after a title or organisation noun, quote speakers,
photo credits) and the genitive `-s`."""

from __future__ import annotations

import functools
import re

from pipeline.lexicon import load
from pipeline.lexicon.names import fold, folded_outlets, folded_places, is_listed_place, name_gender
from pipeline.lexicon.nouns import org_noun_base, title_base
from pipeline.stages.people.document_state import DocumentState
from pipeline.stages.people.mentions import Mention, split_mention

CREDIT = re.compile(r"\b(?:Foto|Bild|Photo)\s*:\s*([^\n]+)", re.IGNORECASE)
CREDIT_SPLIT = re.compile(r"\s*(?:/|,|;|\bvia\b|\boch\b|\band\b|\||\))\s*")
TITLED_NAME = re.compile(
    r"(?<![\w-])([a-zåäöéü][\w-]+)[ \t\u00a0]+((?:[A-ZÅÄÖÉØÆ][\w'’-]+)(?:[ \t\u00a0]+"
    r"(?:(?:de|la|del|di|da|dos|van|von|der|af|bin|al|le|du)[ \t\u00a0]+)*[A-ZÅÄÖÉØÆ][\w'’-]+){1,3})")
DESCRIBED_ORG = re.compile(r"(?<![\w-])([a-zåäö][\w-]+)[ \t\u00a0]+([A-ZÅÄÖ]{2,8}(?![\w-])|"
                           r"[A-ZÅÄÖ][\w-]+(?:[ \t\u00a0]+[A-ZÅÄÖ][\w-]+){0,3})")
CREDIT_NOISE = {"photo", "foto", "bild", "pool", "images", "image", "press", "news", "agency", "scanpix", "getty",
                "shutterstock", "kremlin", "pressbild", "privat", "arkiv", "arkivbild", "handout", "epa", "ntb"}


@functools.lru_cache(maxsize=1)
def _not_genitive_next() -> frozenset[str]:
    return frozenset(load("name_stopwords"))


class MentionFixes(DocumentState):
    """Mixin of `DocumentPeople`: the mention list as the clustering needs it."""

    def _join_split_names(self) -> None:
        """One name the model split in two (`Jörgen` + `Bach`), or whose first name it left out (`Jørgen`
        untagged before `Bach`), is one mention."""
        out: list[Mention] = []
        for m in self.mentions:
            prev = out[-1] if out else None
            if prev and prev.label == m.label == "PER" and re.fullmatch(r"[ \t\u00a0]+", self.text[prev.end:m.start]) \
                    and len(prev.parts.words) + len(m.parts.words) <= 4:
                joined = self._mention(prev.index, prev.start, m.end, "PER")
                if joined:
                    joined.joined = prev.joined + ([m.index] if m.index >= 0 else []) + m.joined
                    out[-1] = joined
                    continue
            out.append(m)
        taken = [(o.start, o.end) for o in out + self.others]
        for n, m in enumerate(out):
            if m.label != "PER":
                continue
            before = re.search(r"(?<![\w-])([A-ZÅÄÖØÆ][\w-]+)[ \t\u00a0]+$", self.text[max(0, m.start - 40):m.start])
            if before and name_gender(before.group(1)) != "unknown" and len(m.parts.words) < 4:
                start = m.start - len(before.group(0))
                if any(s < m.start and e > start for s, e in taken):
                    continue
                longer = self._mention(m.index, start, m.end, "PER")
                if longer:
                    longer.joined = m.joined
                    out[n] = longer
        self.mentions = out

    def _person_title_next_to(self, start: int, end: int) -> bool:
        before = re.search(r"([^\W\d_][\w-]*)[ \t\u00a0]+$", self.text[max(0, start - 60):start])
        after = re.match(r",[ \t\u00a0]+([^\W\d_][\w-]*)", self.text[end:end + 60])
        return any(w and w[:1].islower() and title_base(w) for w in
                   (before and before.group(1), after and after.group(1)))

    def _relabel_titled(self) -> None:
        """An ORG/LOC/MISC mention right after a person title or before an appositive title is a person
        (`diktatorn Park Chung-hee`, `Park Geun-hye, president och ...`)."""
        for m in list(self.mentions) + list(self.others):
            if m.label == "PER" or len(m.parts.words) > 4 or is_listed_place(m.parts.words):
                continue
            if self._person_title_next_to(m.start, m.end):
                m.label = "PER"
                if m in self.others:
                    self.others.remove(m)
                    self.mentions.append(m)
        self.mentions.sort(key=lambda m: m.start)

    def _titled_names(self) -> None:
        """Add names the model missed right after a person title (`talesperson Felipe de la Cruz`: PER, full
        names only) or an organisation noun (`tankesmedjan ISW`: ORG), and their other occurrences."""
        taken = [(m.start, m.end) for m in self.mentions + self.others]
        found: list[tuple[str, str, str]] = []
        for start, end in self.speakers:
            if self._add(start, end, "PER", taken, "speaker"):
                found.append((self.text[start:end], "PER", "speaker"))
        for pattern, label in ((TITLED_NAME, "PER"), (DESCRIBED_ORG, "ORG")):
            for match in pattern.finditer(self.text):
                noun = match.group(1)
                if not (title_base(noun) if label == "PER" else org_noun_base(noun)):
                    continue
                if self._add(match.start(2), match.end(2), label, taken):
                    found.append((match.group(2), label, "title"))
        for name, label, origin in found:
            words = split_mention(name).words
            forms = {" ".join(words)} | ({words[-1]} if label == "PER" and len(words[-1]) > 2 else set())
            for form in forms:
                for match in re.finditer(r"(?<![\w-])" + re.escape(form) + r"(?:s|:s)?(?![\w-])", self.text):
                    self._add(match.start(), match.end(), label, taken, origin)
        self.mentions.sort(key=lambda m: m.start)

    def _add(self, start: int, end: int, label: str, taken: list[tuple[int, int]], origin: str = "title") -> bool:
        if any(s < end and start < e for s, e in taken):
            return False
        mention = self._mention(-1, start, end, label)
        if mention is None or is_listed_place(mention.parts.words) or \
                fold(" ".join(mention.parts.words)) in folded_outlets():
            return False
        mention.origin = origin
        self.mentions.append(mention)
        self.added.append(mention)
        taken.append((start, end))
        return True

    def _credits(self, add: bool) -> None:
        """Mark people named in photo credits as photographers; add those the model did not tag."""
        outlets = folded_outlets()
        for match in CREDIT.finditer(self.text):
            pos = match.start(1)
            for chunk in CREDIT_SPLIT.split(match.group(1)):
                start = self.text.find(chunk, pos) if chunk else -1
                if start < 0:
                    continue
                end, pos = start + len(chunk), start + len(chunk)
                covering = [m for m in self.mentions if m.start < end and start < m.end]
                noise = any(fold(w) in CREDIT_NOISE for w in chunk.split())
                if any(m.label == "PER" for m in covering):
                    for m in covering:
                        if m.label == "PER":
                            m.noise, m.credit = noise, not noise
                    continue
                words = chunk.split()
                if covering or not add or not 2 <= len(words) <= 4 or fold(chunk) in outlets:
                    continue
                if not all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words):
                    continue
                if any(fold(w) in CREDIT_NOISE for w in words) or name_gender(words[0]) == "unknown":
                    continue
                mention = self._mention(-1, start, end, "PER")
                if mention:
                    mention.credit, mention.origin = True, "credit"
                    self.mentions.append(mention)
                    self.added.append(mention)
        self.mentions.sort(key=lambda m: m.start)

    def _genitives(self) -> None:
        """Remove a genitive `-s` where the name occurs without it, or a noun follows (`Karams presskonferens`)."""
        plain = {fold(w) for m in self.mentions + self.others for w in m.parts.words if not fold(w).endswith("s")}
        for m in self.mentions + self.others:
            words = list(m.parts.words)
            last = words[-1]
            if len(last) > 3 and last.endswith("s") and not last.endswith("ss") and last[-2].isalpha():
                base = last[:-1]
                genitive = fold(base) in plain or fold(" ".join(words[:-1] + [base])) in folded_places()
                if not genitive and not (len(words) == 1 and name_gender(last) != "unknown") and \
                        fold(" ".join(words)) not in folded_places():
                    after = re.match(r"\s+([^\W\d_][\w-]*)", self.text[m.end:m.end + 40])
                    genitive = bool(after and after.group(1)[:1].islower()
                                    and after.group(1) not in _not_genitive_next())
                if genitive:
                    words[-1] = base
            m.name = " ".join(words)
            m.key = tuple(fold(w) for w in words)
