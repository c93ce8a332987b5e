"""Writes pipeline/lexicon/english_words.txt: common English words that English writes in lower case.

Source: the English word probabilities of spacy-lookups-data (`en_lexeme_prob`, MIT), a dependency of citat.
A word is kept when it is three ASCII letters or more, its lower-case form has a log probability of -12.5 or
more, and it is used more often in lower case than capitalised (by 0.5 in log probability: `team`, `response`,
not `smith`, `obama`, `brown`). Known first names of pipeline/lexicon are left out.

    python data/lexicon/build_english_words.py
"""

from __future__ import annotations

from pathlib import Path

import spacy_lookups_data
import srsly

MIN_LOG_PROB = -12.5
LOWER_MARGIN = 0.5
HEADER = """# Common English words that English writes in lower case (three letters or more), from spacy-lookups-data's
# en_lexeme_prob (MIT): log probability >= -12.5, and more often in lower case than capitalised by 0.5; known
# first names left out. A name without a known first name made only of these (`Response Team`, `Net Zero
# Roadmap`, `Masked Singer`) is no person's. Built by data/lexicon/build_english_words.py.
"""


def main() -> None:
    root = Path(__file__).resolve().parents[2]
    table = srsly.read_gzip_json(Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz")
    lexicon = root / "pipeline" / "lexicon"
    first = set()
    for name in ("first_names", "female_names", "male_names"):
        for line in (lexicon / f"{name}.txt").read_text(encoding="utf-8").splitlines():
            entry = line.split("#", 1)[0].split()
            if entry:
                first.add(entry[0].lower())
    kept = sorted(w for w, p in table.items()
                  if len(w) >= 3 and w.isascii() and w.isalpha() and w.islower() and p >= MIN_LOG_PROB
                  and p > table.get(w.title(), -99.0) + LOWER_MARGIN and w not in first)
    (lexicon / "english_words.txt").write_text(HEADER + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} words")


if __name__ == "__main__":
    main()
