"""The registry's identity fields, declared sensitive: every page, API response and export
that shows them logs the read (mboa.core.sensitive.log_read)."""

from mboa.core.sensitive import register

IDENTITY = "identity"
register(
    "registry.Person",
    family_name=IDENTITY, given_names=IDENTITY, sex=IDENTITY, birth_year=IDENTITY, birth_month=IDENTITY,
    birth_day=IDENTITY, place_of_birth=IDENTITY, place_of_birth_text=IDENTITY, nationality=IDENTITY,
    address=IDENTITY, photo=IDENTITY,
)
register("registry.PersonName", family_name=IDENTITY, given_names=IDENTITY)
register("registry.IdentityDocument", number=IDENTITY, kind=IDENTITY, issuing_country=IDENTITY)
register("registry.PersonPhone", number=IDENTITY)

PERSON_FIELDS_SHOWN = ["family_name", "given_names", "sex", "birth_year", "birth_month", "birth_day",
                       "place_of_birth", "place_of_birth_text", "nationality", "address", "documents", "phones",
                       "aliases"]
# What a list of people shows (people list and search, review queue, matches).
PERSON_FIELDS_LISTED = ["family_name", "given_names", "sex", "birth_year", "birth_month", "birth_day",
                        "place_of_birth", "place_of_birth_text"]
