"""Paragraph rules: talstreck paragraphs, paragraphs that continue a quote, quotes in quotation marks
over several paragraphs, running text sentence by sentence (`Det uppger polisen.`) and list items."""

from __future__ import annotations

import re

from pipeline.lexicon.names import is_first_name, is_outlet, pronoun_gender
from pipeline.lexicon.nouns import is_role_word
from pipeline.lexicon.verbs import direct_forms, speech_forms
from pipeline.stages.quotes.constants import CLOSE_MARKS, DASHES, FIRST_PERSON, OPEN_MARKS
from pipeline.stages.quotes.document import Attribution, Doc, ParagraphRow, Quote, Tok, sentence_spans
from pipeline.stages.quotes.names import is_name_word
from pipeline.stages.quotes.phrases import attribution_from, capable, find_source, inverted_speaker, speaker_phrase
from pipeline.stages.quotes.sentences import colon_attribution, make_quote, sentence_quotes, speech_kind, trim_end

COLON_DASH = re.compile(r":[ \t\u00a0]+[–—―-][ \t\u00a0]")
# `… stängs i maj. – Vi är glada …`: a talstreck after a full stop inside a paragraph opens speech, as at its start
SENTENCE_DASH = re.compile(r"[.!?…][ \t\u00a0]+[–—―-][ \t\u00a0]+(?=[A-ZÅÄÖ])")
EDITORIAL_MARKERS = re.compile(r"\s(?:Fotnot|Foto|Källa|Rättelse)\s*:")


def dash_start(text: str) -> int | None:
    """Offset after a talstreck that opens the text (`– `, `- `), else None."""
    stripped = text.lstrip().lstrip("\u00ad")     # a soft hyphen before the talstreck (regeringen.se)
    if len(stripped) > 2 and stripped[0] in DASHES and stripped[1] in " \u00a0":
        k = len(text) - len(stripped) + 1
        while k < len(text) and text[k].isspace():
            k += 1
        return k
    return None


# `Camilla Henemark: Jag var …`, `10:07 Stefan: Jag röstade …`: a transcript line, the name before the colon
NAMED_LINE = re.compile(r"(?P<time>\d{1,2}[:.]\d{2}\s+)?(?P<name>[A-ZÅÄÖ][\w.’'-]*(?:[ \t][A-ZÅÄÖ][\w.’'-]*){0,2})"
                        r"[ \t]*:[ \t]*(?=[A-ZÅÄÖ0-9”\"»])")


TITLE_QUOTE_MAX = 200


def quoted_title(doc: Doc, start: int, end: int, pid: int) -> Quote | None:
    """A first paragraph that is nothing but words in quotation marks (`”Landsbygdernas framtid är
    Sveriges framtid”`): a quote of the article's main speaker, whom `speakers.resolve` fills in."""
    text = doc.text[start:end].strip()
    if not (2 < len(text) <= TITLE_QUOTE_MAX and text[0] in OPEN_MARKS and text[-1] in CLOSE_MARKS):
        return None
    inner = text[1:-1]
    if any(mark in inner for mark in OPEN_MARKS + CLOSE_MARKS) or "\n" in inner:
        return None
    offset = doc.text.index(text, start)
    return Quote("direct", offset + 1, offset + len(text) - 1, pid, continues=True, title=True, confidence=0.5)


def named_line(doc: Doc, start: int, end: int, pid: int) -> Quote | None:
    """A paragraph of a transcript or live chat, `Name: words`: direct speech by Name.

    The name must be a known first name or a person of the article, unless a clock time opens the line
    (a chat log: `10:07 GJ: …`).
    """
    match = NAMED_LINE.match(doc.text, start, end)
    if not match:
        return None
    name = match.group("name")
    first = name.split()[0]
    if not match.group("time") and not (is_first_name(first) or name in doc.persons):
        return None
    q_start, q_end = trim_end(doc, match.end(), end)
    if doc.text[q_end:q_end + 1] and doc.text[q_end] in ".!?":
        q_end += 1
    if q_end <= q_start:
        return None
    m_start = match.start("name")
    return Quote("direct", q_start, q_end, pid, mention=name, m_start=m_start, m_end=m_start + len(name),
                 name=name, confidence=0.7)


# `Bron blir klar till sommaren.” Kommunen …`: sentences that end in a closing mark at the start of a text, with no
# opening mark (and no `...` of a cut before the mark, after which a mark opens the next excerpt)
LOST_OPENING = re.compile(r"[^”“»«\"]*?(?<!\.\.)[.!?][”»\"](?=\s+[A-ZÅÄÖ]|\s*$)")


def lost_opening(doc: Doc, start: int, end: int, pid: int) -> Quote | None:
    """The words of a first paragraph up to a closing mark that nothing opened: speech whose opening mark
    lay before the text (an excerpt), direct and by a speaker the text does not name (not `continues`: no
    speaker before it to go on from)."""
    match = LOST_OPENING.match(doc.text, start, end)
    if not match or len(doc.text[start:match.end()].split()) < 3:
        return None
    q_start, q_end = trim_end(doc, start, match.end() - 1)
    q_end += doc.text[q_end:q_end + 1] in ".!?"
    return Quote("direct", q_start, q_end, pid, confidence=0.6)


def direct_paragraph(doc: Doc, start: int, end: int, pid: int) -> tuple[list[Quote], int]:
    """Quotes of a talstreck paragraph from `start` (after the dash); returns them and where prose resumes."""
    toks = doc.tokens(start, end)
    for k, tok in enumerate(toks):
        if k + 1 >= len(toks) or toks[k + 1].low not in direct_forms() or toks[k + 1].text != toks[k + 1].low:
            continue
        if tok.text not in (",", "?", "!", "…") and not (k > 0 and tok.is_word and _bare_attribution(doc, toks, k + 1)):
            continue
        phrase = speaker_phrase(doc, toks, k + 2)
        if not phrase or phrase[0].low in ("att", "det") or \
                not (inverted_speaker(doc, phrase) or _ends_sentence(toks, k + 2 + len(phrase))):
            continue
        if tok.is_word:  # `– Det är bra säger hon.`: no comma before the verb
            tok = Tok("", tok.end, tok.end)
        attr = attribution_from(doc, toks, k + 1, phrase)
        stop = next((n for n in range(k + 2 + len(phrase), len(toks)) if toks[n].text in ".!?"), len(toks) - 1)
        tail = toks[k + 2 + len(phrase): stop]
        source = find_source(doc, tail)
        q_end = tok.end if tok.text in "?!…" else tok.start
        q_start, q_end = trim_end(doc, start, q_end)
        if tok.text in "?!…":
            q_end = tok.end
        quote = make_quote(doc, q_start, q_end, pid, attr, source, 0.9, kind="direct")
        resume = toks[stop].end if stop < len(toks) else end
        rest = doc.tokens(resume, end)
        if rest and rest[0].text not in DASHES and first_person(doc, resume, end):
            r_start, r_end = trim_end(doc, resume, end)
            r_end = r_end + 1 if doc.text[r_end:r_end + 1] and doc.text[r_end] in ".!?" else r_end
            return [quote, Quote("direct", r_start, r_end, pid, continues=True, confidence=0.6)], end
        return [quote], resume
    q_end = end
    marker = EDITORIAL_MARKERS.search(doc.text, start, end)
    if marker:
        q_end = marker.start()
    q_start, q_end = start, q_end
    while q_end > q_start and doc.text[q_end - 1].isspace():
        q_end -= 1
    quote = Quote("direct", q_start, q_end, pid, continues=True, dash=True, confidence=0.7)
    return [quote], end


def _bare_attribution(doc: Doc, toks: list[Tok], verb: int) -> bool:
    """`säger hon.` closing a paragraph of speech without the comma before it: a pronoun or name, or a lower-case
    title and a name (`säger migrationsminister Maria Malmer Stenergard.`, regeringen-tune11), then the end."""
    phrase = speaker_phrase(doc, toks, verb + 1)
    if not phrase or not _ends_sentence(toks, verb + 1 + len(phrase)) or verb + 1 + len(phrase) < len(toks) - 1:
        return False
    names = phrase[1:] if len(phrase) > 1 and phrase[0].text.islower() and is_role_word(phrase[0].text) else phrase
    return phrase[0].low in pronoun_gender() or all(is_name_word(doc, t, False) for t in names)


def _ends_sentence(toks: list[Tok], k: int) -> bool:
    return k >= len(toks) or toks[k].text in ".!?"


def first_person(doc: Doc, start: int, end: int, attributing: bool = False) -> bool:
    """Does the first sentence of text[start:end] speak in the first person? Unless `attributing`, a
    sentence with a reporting verb (`Jag tror …` aside, mostly an attribution) does not count."""
    spans = sentence_spans(doc.text, start, end)
    if not spans:
        return False
    toks = doc.tokens(*spans[0])
    speaks = any(t.low in FIRST_PERSON for t in toks)
    return speaks and (attributing or not any(t.low in speech_forms() for t in toks))


def first_person_tail(doc: Doc, quote: Quote) -> int | None:
    """Where journalist prose starts inside an unattributed talstreck paragraph, if it does.

    A paragraph whose first sentences speak in the first person (`vi`, `jag`) and whose last
    sentences name people in the third person without any first-person word has lost a
    paragraph break: the speech ends before those last sentences.
    """
    spans = sentence_spans(doc.text, quote.start, quote.end)
    if len(spans) < 2:
        return None
    flags = [any(t.low in FIRST_PERSON for t in doc.tokens(s, e)) for s, e in spans]
    if not any(flags):
        return None
    last_fp = max(k for k, f in enumerate(flags) if f)
    if last_fp == len(spans) - 1:
        return None
    tail_start = spans[last_fp + 1][0]
    named = any(tail_start <= s < quote.end and name in doc.persons for s, _, name, _ in doc.names)
    return spans[last_fp][1] if named else None


def paragraph_quotes(doc: Doc, paragraphs: list[ParagraphRow]) -> list[Quote]:
    """All quotes of one document, in text order, before the speakers are resolved."""
    quotes: list[Quote] = []
    body_seen: list[int] = []
    intro: Attribution | None = None
    open_quote = False
    last_sentence: tuple[int, int] | None = None
    for p in paragraphs:
        pid, start, end = int(p.paragraph_id), int(p.start), int(p.end)
        if int(pid) == 0 and (title := quoted_title(doc, start, end, pid)) is not None:
            quotes.append(title)
            continue
        if p.kind in ("caption", "headline"):
            intro, open_quote, last_sentence = None, False, None
            if p.kind == "headline":  # only when it says someone said it: `Facket kräver att …`
                spans = sentence_spans(doc.text, start, end)
                quotes.extend(q for s, e in spans for q in sentence_quotes(doc, s, e, pid) if q.cue)
            continue
        text = doc.text[start:end]
        found: list[Quote] = []
        prose_from: int | None = start
        dash = dash_start(text)
        if dash is not None:
            found, prose_from = direct_paragraph(doc, start + dash, end, pid)
            if found and found[0].continues:
                cut = first_person_tail(doc, found[0])
                if cut is not None:
                    found[0].end = cut
                    prose_from = cut
            last_sentence = None
        elif (intro or open_quote) and (text[:1] in OPEN_MARKS or open_quote):
            found, open_quote = marked_paragraph(doc, start, end, pid)
            prose_from = end
        elif (line := named_line(doc, start, end, pid)) is not None:
            found, prose_from = [line], end
        elif not body_seen and (lost := lost_opening(doc, start, end, pid)) is not None:
            found, prose_from = [lost], lost.end + 1
        else:
            _attribute_back(doc, quotes, start, end, body_seen)
        if found and found[0].continues and intro:
            _apply(found[0], intro)
        intro = None
        while prose_from is not None and prose_from < end:
            dash = dash_start(doc.text[prose_from:end])
            if dash is not None:
                more, nxt = direct_paragraph(doc, prose_from + dash, end, pid)
                if more and more[0].continues and intro:
                    _apply(more[0], intro)
                intro = None
                found.extend(more)
                prose_from = nxt if nxt > prose_from else end
                continue
            colon = COLON_DASH.search(doc.text, prose_from, end) or \
                SENTENCE_DASH.search(doc.text, prose_from, end)     # `Hon sammanfattar: – Det är ett svek.`
            stop = colon.start() + 1 if colon else end
            more, intro, last_sentence = prose_quotes(doc, prose_from, stop, pid, last_sentence,
                                                      whole=prose_from == start and stop == end)
            found.extend(more)
            prose_from = colon.start() + 1 if colon else None
        if dash is None and len(body_seen) < LEAD_PARAGRAPHS:
            _written_lead(doc, found, start, end)
        body_seen.append(pid)
        quotes.extend(q for q in found if q.end > q.start)
    body = [p for p in paragraphs if p.kind not in ("caption", "headline")]
    return drop_list_items(doc, quotes, body)


LEAD_PARAGRAPHS = 2
WRITING = {"skriva"}


def _written_lead(doc: Doc, found: list[Quote], start: int, end: int) -> None:
    """The lead of a debate article, `A. B. C, skriver X.`: X wrote the whole paragraph, not only C.

    Only in the first two body paragraphs, only for `skriver` and only when the attribution closes the
    paragraph and nothing before it in the paragraph is quoted (the debate-dev convention).
    """
    if len(found) != 1 or found[0].cue_lemma not in WRITING or found[0].kind == "direct":
        return
    q = found[0]
    if doc.text[q.end:end].count(".") > 1 or q.start <= start:
        return
    first = doc.tokens(start, q.start)
    if first:
        q.start = first[0].start


def drop_list_items(doc: Doc, quotes: list[Quote], rows: list[ParagraphRow]) -> list[Quote]:
    """Drop dash paragraphs that are list items, not speech.

    An unattributed talstreck paragraph is speech when the paragraph before holds a quote or is a question
    (an interview), the next one is attributed direct speech, or it speaks in the first person; else it
    is a bullet point. A list has two items or an introduction ending in `:`, so a talstreck paragraph
    with neither is speech too (`lone`; tune quote F1 0.897 -> 0.904, attribution F1 0.842 -> 0.848).
    """
    body = [int(p.paragraph_id) for p in rows]
    listed = _list_paragraphs(doc, rows)
    before = {pid: body[n - 1] for n, pid in enumerate(body) if n > 0}
    after = {pid: body[n + 1] for n, pid in enumerate(body) if n + 1 < len(body)}
    kept: list[Quote] = []
    for q in quotes:
        if q.continues and not q.cue and q.dash:
            prev_ok = any(k.paragraph_id in (q.paragraph_id, before.get(q.paragraph_id)) for k in kept)
            next_ok = any(o.paragraph_id == after.get(q.paragraph_id) and o.kind == "direct" and not o.continues
                          for o in quotes)
            answer = before.get(q.paragraph_id) in doc.questions      # an interview: question, then answer
            q.lone = q.paragraph_id not in listed
            if not (prev_ok or next_ok or answer or q.lone or first_person(doc, q.start, q.end, attributing=True)):
                continue
        kept.append(q)
    return kept


def _list_paragraphs(doc: Doc, rows: list[ParagraphRow]) -> set[int]:
    """Paragraphs that may be items of a list: beside another talstreck paragraph or after a `…:`."""
    dashed = [dash_start(doc.text[int(p.start):int(p.end)]) is not None for p in rows]
    colon = [doc.text[int(p.start):int(p.end)].rstrip().endswith(":") for p in rows]
    return {int(p.paragraph_id) for n, p in enumerate(rows)
            if (n > 0 and (dashed[n - 1] or colon[n - 1])) or (n + 1 < len(rows) and dashed[n + 1])}


def prose_quotes(doc: Doc, start: int, end: int, pid: int, before: tuple[int, int] | None, whole: bool = False
                 ) -> tuple[list[Quote], Attribution | None, tuple[int, int] | None]:
    """Quotes of running text (`whole`: all of a paragraph); also the attribution of a final `… skriver han:`
    and the last sentence."""
    found: list[Quote] = []
    intro = None
    spans = sentence_spans(doc.text, start, end)
    for s, e in spans:
        toks = doc.tokens(s, e)
        back = backward_attribution(doc, toks)
        if back and before and not any(q.start < before[1] and before[0] < q.end for q in found):
            q_start, q_end = trim_end(doc, *before)
            kind = speech_kind(doc, q_start, q_end)
            found.append(make_quote(doc, q_start, q_end, pid if before[0] >= start else pid - 1, back, back.source, 0.7,
                                kind=kind))
        else:
            found.extend(new := sentence_quotes(doc, s, e, pid))
            if not new and (resumed := _resumed_speech(doc, s, e, found)):
                found.append(resumed)
        if e >= end - 1 and doc.text[s:end].rstrip().endswith(":"):
            intro = colon_attribution(doc, toks)
        before = (s, e)
    _whole_paragraph(doc, found, spans, whole)
    return found, intro, before


def _resumed_speech(doc: Doc, start: int, end: int, found: list[Quote]) -> Quote | None:
    """A sentence wholly in quotation marks right after an attributed direct quote of the same paragraph
    (`”…”, säger hon. ”…”`): her speech goes on (no attribution of its own)."""
    text = doc.text[start:end].rstrip()
    if not found or found[-1].kind != "direct" or not found[-1].cue or text[:1] not in OPEN_MARKS:
        return None
    body = text.rstrip(".!?")
    inner = body[1:-1] if body[-1:] in CLOSE_MARKS else ""
    if len(inner.split()) < 2 or any(mark in inner for mark in CLOSE_MARKS):
        return None
    q_start, q_end = trim_end(doc, start + 1, start + 1 + len(inner))
    return Quote("direct", q_start, q_end, found[-1].paragraph_id, continues=True, confidence=0.7)


def _whole_paragraph(doc: Doc, found: list[Quote], spans: list[tuple[int, int]], whole: bool) -> None:
    """`A. B, säger ministern.` as a paragraph of its own: the attribution closes the whole paragraph, when
    nothing before it in the paragraph is quoted (tune quote F1 0.931 -> 0.933, attribution F1 0.887 unchanged)."""
    if not whole or len(spans) < 2 or len(found) != 1 or not found[0].trailing or found[0].start < spans[-1][0]:
        return
    q = found[0]
    if doc.text[spans[-1][0]] in DASHES + OPEN_MARKS:
        return                              # `… – Det tog tid, säger X.`: the talstreck opens the speech
    q.start = trim_end(doc, spans[0][0], q.end)[0]
    q.kind = speech_kind(doc, q.start, q.end)


def _attribute_back(doc: Doc, quotes: list[Quote], start: int, end: int, body_seen: list[int]) -> None:
    """`– Vad ser du? ¶ Så inledde Anna Berg sitt tal.`: a paragraph opening with a backward attribution names
    the speaker of the unattributed speech paragraph before it (tune attribution F1 0.885 -> 0.887)."""
    if not quotes or not body_seen or quotes[-1].paragraph_id != body_seen[-1] or not quotes[-1].continues \
            or quotes[-1].cue:
        return
    spans = sentence_spans(doc.text, start, end)
    back = backward_attribution(doc, doc.tokens(*spans[0]), direct_forms()) if spans else None
    if back:
        _apply(quotes[-1], back)


def backward_attribution(doc: Doc, toks: list[Tok], forms: dict[str, str] | None = None) -> Attribution | None:
    """`Det uppger polisen för TT.`: an attribution of the sentence before (`forms`: the verbs that count)."""
    if len(toks) < 3 or toks[0].low not in ("det", "detta", "så") or toks[1].text not in (forms or speech_forms()):
        return None
    phrase = speaker_phrase(doc, toks, 2)
    if not phrase or not capable(doc, phrase) or phrase[0].low in ("att", "det"):
        return None
    rest = toks[2 + len(phrase):]
    if any(t.low == "att" for t in rest[:2]):
        return None
    attr = attribution_from(doc, toks, 1, phrase)
    attr.source = "" if is_outlet(attr.name) else find_source(doc, rest)
    return attr


def marked_paragraph(doc: Doc, start: int, end: int, pid: int) -> tuple[list[Quote], bool]:
    """A paragraph of speech in quotation marks after `… skriver han:`; True while the quote stays open."""
    s = start
    if doc.text[s] in OPEN_MARKS:
        s += 1
    close = next((k for k in range(s, end) if doc.text[k] in CLOSE_MARKS), None)
    e = close if close is not None else end
    q_start, q_end = s, e
    while q_start < q_end and doc.text[q_start].isspace():
        q_start += 1
    while q_end > q_start and doc.text[q_end - 1].isspace():
        q_end -= 1
    if close is not None and doc.text[q_end - 1:q_end] == ",":
        q_end -= 1
    return [Quote("direct", q_start, q_end, pid, continues=True, confidence=0.7)], close is None


def _apply(quote: Quote, attr: Attribution) -> None:
    quote.cue, quote.cue_lemma, quote.mention = attr.cue, attr.cue_lemma, attr.mention
    quote.m_start, quote.m_end, quote.name, quote.source = attr.m_start, attr.m_end, attr.name, attr.source
    quote.continues = False
