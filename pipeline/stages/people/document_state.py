"""What every step of one document's analysis shares: its state (text, paragraphs, mentions, clusters,
anaphors) and the helpers they all use: the paragraph at an offset, a `Mention` from a span, whether a
word starts a sentence."""

from __future__ import annotations

import bisect
import re
from collections import Counter

from pipeline.lexicon.names import is_first_name_like
from pipeline.lexicon.nouns import is_common_word
from pipeline.stages.people.mentions import Anaphor, Cluster, Mention, split_mention
from pipeline.stages.people.run_names import RunNames
from pipeline.stages.people.thing_signs import common_noun_compound
from pipeline.text import Paragraph

# the word right before an offset on its line: spaces or tabs between, no line break (`Elisabeth Svantesson,
# finansminister\nGunnar Strömmer`: the title ends the line before and is not Strömmer's)
WORD_BEFORE = re.compile(r"([^\W\d_][\w-]*)[ \t\u00a0]+\Z")



def leading_noun(words: list[str]) -> bool:
    """Does a PER mention open with a common word or a common noun's compound before a capitalised name
    (`Namnet Melanin`, `Utöver Gudmund Erling`, `Kvinnorättskämpen Malú García Andrade`)?"""
    return len(words) > 1 and words[1][:1].isupper() and not is_first_name_like(words[0]) and \
        (is_common_word(words[0]) or common_noun_compound(words[0]))

class DocumentState:
    """The state of `DocumentPeople`, set by its `__init__`; the analysis steps are mixins on this class."""

    text: str
    speakers: list[tuple[int, int]]
    speaker_extents: list[tuple[int, int]]
    run: RunNames
    votes: dict[tuple[str, ...], Counter]
    surnames: set[str]
    paragraphs: list[Paragraph]
    _para_starts: list[int]
    mentions: list[Mention]
    others: list[Mention]
    added: list[Mention]
    _alias: dict[tuple[str, ...], tuple[str, ...]]
    unnamed: list[tuple[int, int, int]]
    clusters: list[Cluster]
    anaphors: list[Anaphor]
    _speech: bytearray              # 1 where pronouns are not resolved: quoted text, dash speech, captions

    def _paragraph(self, offset: int):
        i = bisect.bisect_right(self._para_starts, offset) - 1
        return self.paragraphs[max(i, 0)] if self.paragraphs else None

    def _mention(self, index: int, start: int, end: int, label: str) -> Mention | None:
        text = self.text[start:end]
        parts = split_mention(text)
        if not parts.words or not any(w[:1].isupper() for w in parts.words):
            return None
        if label == "PER" and leading_noun(parts.words):
            parts.words = parts.words[1:]        # `Namnet Melanin`, `Mormor Gurli`: a noun before the name
        paragraph = self._paragraph(start)
        return Mention(index, start, end, label, text, parts, caption=bool(paragraph and paragraph.kind == "caption"))

    def _word_before(self, start: int, reach: int) -> re.Match | None:
        """`WORD_BEFORE` in the `reach` characters before `start`."""
        return WORD_BEFORE.search(self.text, max(0, start - reach), start)

    def _sentence_initial(self, start: int) -> bool:
        before = self.text[max(0, start - 3):start].rstrip(" \t\u00a0")
        return not before or before[-1] in ".!?:;*•\n–—-”\"»"
