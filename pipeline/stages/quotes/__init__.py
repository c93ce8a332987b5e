"""Quotes and their speakers: direct, indirect and mixed speech in Swedish news.

The rules rest on surface patterns that every Swedish news text uses, so that they work with
the blank fallback model as well as with a trained one (tags are used where present):

* a paragraph opened by a talstreck (`– `) is direct speech; the attribution follows a comma
  (`…, säger hon.`); a paragraph without one continues the previous speaker;
* words in quotation marks are direct speech when an attribution is attached to them;
* a reporting verb from a whitelist with an `att` clause, or `enligt X`, is indirect speech;
* `…, säger X.` after a plain clause makes that clause an indirect quote, and so does
  `Det uppger polisen.` for the sentence before it;
* pronouns and role nouns (`han`, `Presidenten`, `tankesmedjan`) are resolved to the
  most recent fitting name; outlets (`skriver Reuters`, `enligt nyhetsbyrån AFP`) become the
  `source`, unless they are the only one the quote is attributed to.

Word lists live in `pipeline/lexicon/*.txt`.
"""

from pipeline.stages.quotes.document import Doc, Tok
from pipeline.stages.quotes.extract import extract_quotes
from pipeline.stages.quotes.phrases import enligt_phrase

__all__ = ["Doc", "Tok", "enligt_phrase", "extract_quotes"]


import pandas as pd  # noqa: E402

from pipeline.run.registry import stage  # noqa: E402
from pipeline.stages.quotes.stance import StanceFinder, model_vectors  # noqa: E402


@stage("quotes", reads=("documents", "paragraphs", "tokens", "entities"), writes=("quotes",),
       uses_model=True,
       columns={"tokens": ("doc_id", "token_id", "sentence_id", "paragraph_id", "start", "end", "text", "lemma",
                           "pos", "morph", "head", "dep")},
       lexicons=("adverbs", "bare_clause_verbs", "cue_stance", "direct_verbs", "enligt_not_speakers", "female_names",
                 "finite_verbs", "first_names", "group_words", "learned_cues", "male_names", "media_nouns",
                 "name_particles", "noun_cue_verbs", "org_nouns", "outlet_words", "outlets", "owner_nouns",
                 "particle_speech_forms", "particle_speech_verbs", "pronouns", "quote_breaks",
                 "reporting_adjectives", "reporting_nouns", "role_nouns", "speech_stopwords", "speech_verbs",
                 "time_nouns"))
def quotes_stage(documents: pd.DataFrame, paragraphs: pd.DataFrame, tokens: pd.DataFrame, entities: pd.DataFrame,
                 nlp) -> dict[str, pd.DataFrame]:
    """Direct, indirect and mixed quotes of `documents` with their speakers; the model is used for its word
    vectors only (the stance of a cue not listed). The model's sentences are not read: the rules split
    sentences themselves (a 20 MB article's sentences table alone is 150 MB in memory)."""
    stance = StanceFinder(model_vectors(nlp))
    return {"quotes": extract_quotes(documents, paragraphs, None, tokens, entities, stance)}
