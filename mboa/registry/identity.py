"""Identity comparison without the database: profiles, blocking keys and pair scoring.

Everything here is pure and deterministic, so that the same code serves the registry
(:mod:`mboa.registry.matching`, keys stored in :class:`~mboa.registry.models.MatchKey`),
the ``match_records`` command (keys held in memory) and the benchmark.

A *profile* is a small dict (JSON-serialisable, stored on each person as
``Person.match_profile``)::

    {"names": [["mbarga", "jean", "paul"], ...],   # one token list per name variant
     "sex": "M" | "F" | "",
     "y": 1990 | None, "m": 4 | None, "d": 12 | None,
     "docs": ["AB123456", ...], "phones": ["237699123456", ...],
     "place": "dept:MFOUNDI" | "txt:lagos" | "", "nat": "CM" | "", "addr": "quartier mvog ada"}

The score of a pair is a Fellegi-Sunter style sum of agreement weights (log-likelihood
ratios, one per field and level of agreement) mapped to [0, 1] by a logistic function.
The weights are constants below (tuned on the synthetic benchmark, see docs/registry.md),
so matching is deterministic at run time.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from rapidfuzz.distance import Indel, JaroWinkler

Profile = dict[str, Any]

# Name particles: kept for comparison, not used alone as blocking keys (too frequent).
PARTICLES = frozenset({
    "de", "du", "des", "la", "le", "el", "al", "ben", "bin", "ibn", "ould", "ngo", "nga", "epse", "ep", "veuve",
    "vve", "van", "von", "da", "dos", "abd", "abdel", "bint", "mme", "mr", "mrs", "m", "mlle",
})

_SPLIT = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`´ʼ]")
_DIGITS = re.compile(r"\D+")
_ALNUM = re.compile(r"[^A-Z0-9]+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_tokens(*parts: str | None) -> list[str]:
    """Lower-case, accent-free tokens: ``"N'Gono-Éyenga Marie"`` → ``["ngono", "eyenga", "marie"]``.

    Apostrophes join (``Eto'o`` → ``etoo``), any other separator splits.
    """
    text = " ".join(p for p in parts if p)
    text = _APOSTROPHES.sub("", strip_accents(text).lower())
    return [t for t in _SPLIT.split(text) if t]


# Spelling variants of the same sound in French, English and West African transliterations.
_PHONETIC_RULES = [
    ("tch", "x"), ("tsh", "x"), ("sch", "x"), ("ch", "x"), ("sh", "x"), ("dj", "j"), ("dy", "j"), ("ph", "f"),
    ("th", "t"), ("kh", "k"), ("gh", "g"), ("ck", "k"), ("qu", "k"), ("q", "k"), ("eau", "o"), ("au", "o"),
    ("ou", "u"), ("oo", "u"), ("w", "u"), ("y", "i"), ("ai", "e"), ("ei", "e"), ("z", "s"), ("h", ""),
]
_C_SOFT = re.compile(r"c(?=[eiy])")


@functools.lru_cache(maxsize=500_000)
def phonetic(token: str) -> str:
    """A coarse phonetic form: ``Tchakounté``/``Chakounte``/``Tshakunte`` → ``xakunt``;
    ``Mohammed``/``Mohamed`` → ``muamid``. Used for blocking and as a
    similarity floor, never alone as proof."""
    s = token
    s = _C_SOFT.sub("s", s)
    for old, new in _PHONETIC_RULES:
        s = s.replace(old, new)
    s = s.replace("c", "k")
    if len(s) > 3:
        s = s.rstrip("s")  # silent final s in French spellings (Serges / Serge)
    if len(s) > 3 and s.endswith("e"):
        s = s[:-1]
    # Vowel quality is the least reliable part of a transliteration: o/u and e/i merge.
    s = s.replace("o", "u").replace("e", "i")
    out = []
    for ch in s:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def normalize_document(number: str | None) -> str:
    return _ALNUM.sub("", strip_accents(number or "").upper())


def normalize_phone_digits(number: str | None) -> str:
    """Digits only, with Cameroon's 237 prefix added to 9-digit local numbers."""
    digits = _DIGITS.sub("", number or "")
    if digits.startswith("00"):
        digits = digits[2:]
    if len(digits) == 9 and digits[0] in "236":
        digits = "237" + digits
    return digits if len(digits) >= 8 else ""


DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y")


def parse_date_parts(value: Any) -> tuple[int | None, int | None, int | None]:
    """``(year, month, day)`` from a date, a ``YYYY-MM-DD`` / ``YYYYMMDD`` / ``DD/MM/YYYY``
    string, or a partial ``YYYY`` / ``YYYY-MM`` / ``00/00/YYYY``. Raises ValueError."""
    if value in (None, ""):
        return None, None, None
    if isinstance(value, dt.date):
        return value.year, value.month, value.day
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return parsed.year, parsed.month, parsed.day
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", text)
    if match:
        year, month = int(match.group(1)), match.group(2)
        return year, (int(month) or None) if month else None, None
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:  # 00/00/1990: day or month unknown
        day, month, year = (int(g) for g in match.groups())
        if month <= 12 and day <= 31 and 0 in (day, month):
            return year, month or None, (day or None) if month else None
    raise ValueError(text)


def _as_list(value: Any) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str | dict | tuple):
        return [value]
    return list(value)


def build_profile(data: Mapping[str, Any]) -> Profile:
    """The profile of a candidate dict (see :func:`mboa.registry.matching.find_candidates`).

    Unknown keys are ignored; every key is optional. Raises ValueError on an unreadable date.
    """
    names: list[list[str]] = []
    main = name_tokens(data.get("family_name"), data.get("given_names") or data.get("given_name"))
    if main:
        names.append(main)
    for alias in _as_list(data.get("aliases")):
        if isinstance(alias, dict):
            tokens = name_tokens(alias.get("family_name"), alias.get("given_names"))
        elif isinstance(alias, tuple):
            tokens = name_tokens(*alias)
        else:
            tokens = name_tokens(alias)
        if tokens and tokens not in names:
            names.append(tokens)
    if data.get("birth_year") is not None or data.get("date_of_birth") in (None, ""):
        y, m, d = data.get("birth_year"), data.get("birth_month"), data.get("birth_day")
    else:
        y, m, d = parse_date_parts(data.get("date_of_birth"))
    docs = []
    for doc in _as_list(data.get("documents")) + _as_list(data.get("document_number")):
        number = normalize_document(doc.get("number") if isinstance(doc, dict) else doc)
        if len(number) >= 4 and number not in docs:
            docs.append(number)
    phones = []
    for phone in _as_list(data.get("phones")) + _as_list(data.get("phone")):
        digits = normalize_phone_digits(phone.get("number") if isinstance(phone, dict) else phone)
        if digits and digits not in phones:
            phones.append(digits)
    place = data.get("place_of_birth") or ""
    if data.get("place_of_birth_code"):
        place = "dept:" + str(data["place_of_birth_code"]).upper()
    elif place and not str(place).startswith(("dept:", "txt:")):
        place = "txt:" + " ".join(name_tokens(str(place)))
    sex = str(data.get("sex") or "").strip().upper()[:1]
    sex = {"H": "M"}.get(sex, sex)  # French "homme"
    return {
        "names": names,
        "sex": sex if sex in {"M", "F"} else "",
        "y": int(y) if y else None,
        "m": int(m) if m else None,
        "d": int(d) if d else None,
        "docs": docs,
        "phones": phones,
        "place": place,
        "nat": str(data.get("nationality") or "").strip().upper()[:3],
        "addr": " ".join(name_tokens(data.get("address"))),
    }


# --- Blocking keys ------------------------------------------------------------------------
# Kinds, with their weight when ranking the people that share keys with a candidate.
KEY_DOCUMENT, KEY_PHONE, KEY_BIRTH, KEY_NAME_PAIR, KEY_NAME_YEAR = 1, 2, 3, 4, 5
KEY_WEIGHTS = {KEY_DOCUMENT: 10, KEY_PHONE: 6, KEY_BIRTH: 3, KEY_NAME_PAIR: 3, KEY_NAME_YEAR: 2}


def key_hash(text: str) -> int:
    """A stable signed 64-bit hash (stored in a bigint column, indexed)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def blocking_keys(profile: Profile) -> dict[int, int]:
    """``{key hash: kind}``: the keys under which a profile is filed.

    - every unordered pair of (phonetic) name tokens, over the name and its aliases:
      survives a missing date, swapped or missing name parts, accents, transliteration;
    - every name token with the birth year: survives a typo in the other name parts;
    - every name token with the full birth date, day and month unordered: survives typos
      in all the other name parts and a day/month swap, even when the token is so common
      that its name-year block is skipped (a Jean born on a given day is rare, a Jean
      born in 1992 is not);
    - each document number and phone number.
    """
    keys: dict[str, int] = {}
    year = profile.get("y")
    birth = ""
    if year and profile.get("m") and profile.get("d"):
        low, high = sorted((profile["m"], profile["d"]))
        birth = f"{year}|{low}|{high}"
    for tokens in profile.get("names", []):
        codes = sorted({phonetic(t) for t in tokens if t not in PARTICLES and len(t) > 1})
        for i, a in enumerate(codes):
            for b in codes[i + 1:]:
                keys[f"n|{a}|{b}"] = KEY_NAME_PAIR
            if year:
                keys[f"y|{a}|{year}"] = KEY_NAME_YEAR
            if birth:
                keys[f"b|{birth}|{a}"] = KEY_BIRTH
        if len(codes) == 1:
            keys[f"n|{codes[0]}"] = KEY_NAME_PAIR
    for doc in profile.get("docs", []):
        keys[f"d|{doc}"] = KEY_DOCUMENT
    for phone in profile.get("phones", []):
        keys[f"p|{phone}"] = KEY_PHONE
    return {key_hash(text): kind for text, kind in keys.items()}


# --- Comparison ---------------------------------------------------------------------------
# Weights: log2(m / u) rounded, where m = P(level | same person), u = P(level | different
# people sharing a blocking key). See docs/registry.md for the table and its estimation.
WEIGHTS = {
    "name": {"exact": 6.0, "high": 4.5, "medium": 1.5, "low": -7.0},
    "date_of_birth": {
        "exact": 6.0, "swapped": 4.5, "partial_agree": 1.5, "day_differs": 0.5, "year_only": -3.0,
        "near_year": -3.5, "differ": -7.0, "missing": 0.0,
    },
    "sex": {"agree": 0.5, "differ": -4.0, "missing": 0.0},
    "document": {"agree": 9.0, "differ": -1.0, "missing": 0.0},
    "phone": {"agree": 5.0, "differ": 0.0, "missing": 0.0},
    "place_of_birth": {"agree": 1.5, "differ": -3.0, "missing": 0.0},
    "nationality": {"agree": 0.2, "differ": -1.5, "missing": 0.0},
    "address": {"agree": 1.5, "differ": 0.0, "missing": 0.0},
}
# score = 1 / (1 + exp(-(sum of weights - CENTER) / SCALE))
CENTER = 7.0
SCALE = 1.5


_jaro_winkler = JaroWinkler.normalized_similarity
_indel = Indel.normalized_similarity


def _token_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    sim = _jaro_winkler(a, b)
    if sim < 0.95 and phonetic(a) == phonetic(b):
        return 0.95
    return sim


def _names_similarity(a: list[str], b: list[str]) -> float:
    """Similarity of two token lists, tolerant of order, missing and compound parts.

    Each token of the shorter name is aligned with its best counterpart. A name missing
    one part is at best "high" (0.97) when the other parts are alike (Jaro-Winkler >= 0.9);
    a name reduced to one token, missing two parts, or missing one with another only
    roughly alike is at best "medium" (0.86). Tokens written together in one name and
    apart in the other (``jeanpaul`` / ``jean paul``) compare as joined strings (Indel
    similarity, which unlike Jaro-Winkler gives no bonus to a shared prefix).
    """
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    used: set[int] = set()
    total = 0.0
    worst = 1.0
    for token in short:
        best, best_j = 0.0, -1
        for j, other in enumerate(long_):
            if j in used:
                continue
            sim = _token_similarity(token, other)
            if sim > best:
                best, best_j = sim, j
        if best_j >= 0 and best >= 0.85:
            used.add(best_j)
        total += best
        worst = min(worst, best)
    aligned = total / len(short)
    missing = len(long_) - len(short)
    if missing:
        # written together in one name and apart in the other (jeanpaul / jean paul)
        compound = max(_indel("".join(a), "".join(b)), _indel("".join(sorted(a)), "".join(sorted(b))))
        if compound >= 0.92:
            return min(compound, 0.97)
    sim = aligned
    if missing and (len(short) == 1 or missing >= 2 or worst < 0.9):
        # one token out of several, two parts missing, or a part missing and another
        # only roughly alike: weak evidence (namesakes share family and first names)
        sim = min(sim, 0.86)
    elif missing:
        sim = min(sim, 0.97)  # one name part missing, the others alike: strong, not exact
    if worst < 0.85:
        sim = min(sim, 0.8)  # a name part is different, not misspelt: another person
    return sim


def name_similarity(p: Profile, q: Profile) -> float:
    best = 0.0
    for a in p.get("names", []):
        for b in q.get("names", []):
            best = max(best, _names_similarity(a, b))
            if best == 1.0:
                return best
    return best


def _name_level(sim: float) -> str:
    if sim >= 0.999:
        return "exact"
    if sim >= 0.90:
        return "high"
    if sim >= 0.84:
        return "medium"
    return "low"


def _date_level(p: Profile, q: Profile) -> str:
    py, qy = p["y"], q["y"]
    if not py or not qy:
        return "missing"
    pm, pd, qm, qd = p["m"], p["d"], q["m"], q["d"]
    if py != qy:
        if abs(py - qy) == 1 and not (pm and qm and pd and qd and (pm, pd) != (qm, qd)):
            return "near_year"
        # a typo in the year: same day and month, one digit apart
        if pm and qm and pd and qd and (pm, pd) == (qm, qd) and _one_digit_apart(py, qy):
            return "day_differs"
        return "differ"
    if not (pm and qm):
        return "partial_agree"
    if pd and qd:
        if (pm, pd) == (qm, qd):
            return "exact"
        if (pm, pd) == (qd, qm):
            return "swapped"
        if pm == qm or pd == qd:
            return "day_differs"
        return "year_only"
    return "partial_agree" if pm == qm else "year_only"


def _one_digit_apart(a: int, b: int) -> bool:
    sa, sb = str(a), str(b)
    return len(sa) == len(sb) and sum(x != y for x, y in zip(sa, sb, strict=True)) == 1


def _sets(p: Profile, q: Profile, field: str) -> str:
    a, b = p.get(field), q.get(field)
    if not a or not b:
        return "missing"
    return "agree" if any(x in b for x in a) else "differ"


def _scalar(a: Any, b: Any) -> str:
    if not a or not b:
        return "missing"
    return "agree" if a == b else "differ"


def name_frequency_weight(count: int | None) -> float:
    """Term-frequency adjustment of a name agreement (Fellegi-Sunter): ``count`` is how
    many records share the rarest name-pair key the two profiles have in common. Agreeing
    on a name carried by two people in the registry says more than on one carried by 300."""
    if count is None:
        return 0.0
    for limit, weight in NAME_FREQUENCY_WEIGHTS:
        if count <= limit:
            return weight
    return NAME_COMMON_WEIGHT


NAME_FREQUENCY_WEIGHTS = ((2, 3.0), (5, 2.0), (20, 1.0), (200, 0.0))
NAME_COMMON_WEIGHT = -1.0


MAX_NAME_WEIGHT = WEIGHTS["name"]["exact"] + NAME_FREQUENCY_WEIGHTS[0][1]


@functools.lru_cache(maxsize=64)
def logit_of(score: float) -> float:
    """The weight sum at which :func:`score_of` gives ``score``."""
    score = min(max(score, 1e-9), 1 - 1e-9)
    return CENTER + SCALE * math.log(score / (1 - score))


def compare(
    p: Profile, q: Profile, *, name_count: int | None = None, min_score: float | None = None
) -> tuple[float, dict[str, str]] | None:
    """Score two profiles: ``(score in [0, 1], {field: level})``.

    Levels name which fields agree and which differ, e.g. ``{"name": "high",
    "date_of_birth": "swapped", "phone": "differ", "document": "missing", ...}``.
    ``name_count``: records sharing the pair's rarest common name key (see
    :func:`name_frequency_weight`); None when unknown or no name key is shared.
    With ``min_score``, returns None as soon as the pair cannot reach it: the cheap
    fields are compared first and the names (the costly part) only when the best name
    agreement could still lift the pair over ``min_score``.
    """
    date = _date_level(p, q)
    sex = _scalar(p["sex"], q["sex"])
    document = _sets(p, q, "docs")
    phone = _sets(p, q, "phones")
    place = _place_level(p["place"], q["place"])
    nationality = _scalar(p["nat"], q["nat"])
    address = _address_level(p["addr"], q["addr"])
    total = (_W_DATE[date] + _W_SEX[sex] + _W_DOCUMENT[document] + _W_PHONE[phone] + _W_PLACE[place]
             + _W_NATIONALITY[nationality] + _W_ADDRESS[address])
    if min_score is not None and total + MAX_NAME_WEIGHT < logit_of(min_score):
        return None
    reasons = {"name": "", "date_of_birth": date, "sex": sex, "document": document, "phone": phone,
               "place_of_birth": place, "nationality": nationality, "address": address}
    name = _name_level(name_similarity(p, q))
    reasons["name"] = name
    total += WEIGHTS["name"][name]
    if name in ("exact", "high"):
        total += name_frequency_weight(name_count)
    score = score_of(total)
    if min_score is not None and score < min_score:
        return None
    return score, reasons


_W_DATE, _W_SEX, _W_DOCUMENT, _W_PHONE = (WEIGHTS[f] for f in ("date_of_birth", "sex", "document", "phone"))
_W_PLACE, _W_NATIONALITY, _W_ADDRESS = (WEIGHTS[f] for f in ("place_of_birth", "nationality", "address"))


def _place_level(a: str, b: str) -> str:
    """Two departments (``dept:``) or two places abroad (``txt:``) agree or differ; a
    department on one side and free text on the other cannot be compared ("missing")."""
    if not a or not b or a[:4] != b[:4]:
        return "missing"
    return "agree" if a == b else "differ"


def _address_level(a: str | None, b: str | None) -> str:
    if not a or not b:
        return "missing"
    return "agree" if JaroWinkler.normalized_similarity(a, b) >= 0.9 else "differ"


def score_of(total: float) -> float:
    return round(1.0 / (1.0 + math.exp(-(total - CENTER) / SCALE)), 4)


def rank_shared_keys(
    keys: Mapping[int, int],
    hits: Mapping[int, Sequence[int]],
    *,
    exclude: int | None = None,
    after: int | None = None,
    includes_self: bool = False,
    max_block: int | None = None,
) -> tuple[dict[int, int], dict[int, int]]:
    """Rank the records sharing ``keys`` (``{key: kind}``) through ``hits`` (``{key: [ids]}``).

    Returns ``({id: summed key weight}, {id: name frequency})``. The name frequency is
    the number of other records under the rarest name-pair key the two share (the same
    figure the whole-registry scan computes, :mod:`mboa.registry.blocking`).
    ``exclude`` leaves one id out, ``after`` keeps only ids greater than it,
    ``includes_self``: the candidate itself is in ``hits`` (not counted);
    blocks larger than ``max_block`` are ignored.
    """
    ranks: dict[int, int] = {}
    name_counts: dict[int, int] = {}
    for key, kind in keys.items():
        ids = hits.get(key)
        if not ids:
            continue
        weight = KEY_WEIGHTS[kind]
        size = len(ids) - (1 if includes_self else 0)
        if max_block is not None and size > max_block:
            continue
        is_name_pair = kind == KEY_NAME_PAIR
        for other in ids:
            if other == exclude or (after is not None and other <= after):
                continue
            ranks[other] = ranks.get(other, 0) + weight
            if is_name_pair and size < name_counts.get(other, size + 1):
                name_counts[other] = size
    return ranks, name_counts
