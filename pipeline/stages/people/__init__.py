"""People: every mention linked to a person (or organisation, place), within and across articles.

Within a document the named mentions of one person form a cluster: full name, surname alone, first name
alone, title + name, genitive (`Putins`), spelling variants that differ only in diacritics (`Jørgen`/
`Jörgen`). Pronouns (`han`, `hon`, ...) and role nouns used alone (`presidenten`, `riksåklagaren`) are
resolved to the most recent compatible person (gender; a person with that title); organisation nouns
(`tankesmedjan`, `facket`) to the most recent organisation described so; acronyms join their expansion
(`ISW` ↔ `Institute for the Study of War`). Photo credits (`Foto: Name/AFP`) are people with the title
`fotograf`, never antecedents.

A PER cluster is a person only when the evidence agrees (`non_persons`: what its words, the words around
it and the run's other mentions say); the others become organisations, places or MISC.

Across documents the same full name is one person; a surname alone or a two-word surname joins a full name
when exactly one full name in the run ends with it. Ids are `p`/`o`/`l` + a short hash of the folded
canonical name, so re-runs give the same ids. The `people` table (`registry`) holds every person,
organisation and place with its `kind`, counts that add up, titles, role, gender and documents.
"""

from pipeline.stages.people.canonical import canonical_name
from pipeline.stages.people.document import DocumentPeople
from pipeline.stages.people.mentions import Anaphor, Cluster, Mention, NameParts, acronym, split_mention
from pipeline.stages.people.stage import link_people

__all__ = ["Anaphor", "Cluster", "DocumentPeople", "Mention", "NameParts", "acronym", "canonical_name",
           "link_people", "split_mention"]


import pandas as pd  # noqa: E402

from pipeline.run.registry import stage  # noqa: E402


@stage("people", reads=("documents", "entities", "quotes"), writes=("people", "linked_entities", "linked_quotes"),
       scope="corpus", uses_workers=True,
       lexicons=("adverbs", "common_words", "direct_verbs", "english_words", "female_names", "finite_verbs",
                 "first_names",
                 "gendered_nouns", "group_endings", "honorifics", "language_words", "male_names", "more_places",
                 "name_heads", "name_ngrams", "name_particles", "name_stopwords", "nationality_plurals",
                 "noun_suffixes",
                 "org_name_words", "org_nouns", "outlets", "owner_nouns", "party_abbreviations", "person_nouns",
                 "person_pronouns", "phrase_joiners", "place_nouns", "places", "reporting_nouns", "speech_verbs",
                 "surname_endings", "thing_nouns", "thing_openers", "titles", "word_verbs"))
def people_stage(documents, entities: pd.DataFrame, quotes: pd.DataFrame, map_batches) -> dict[str, pd.DataFrame]:
    """The people of the run, and the entities and quotes linked to them (the stage tables stay as they are).

    `documents` is an iterable of batches: only one batch of texts is in memory at a time; each batch's
    documents are analysed on the run's workers (`map_batches`), the linking across the run is done here."""
    linked = link_people(documents, entities, quotes, map_batches)
    return {"people": linked["people"], "linked_entities": linked["entities"], "linked_quotes": linked["quotes"]}
