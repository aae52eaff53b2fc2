"""Find duplicates in a list, or link two lists, with the registry's matcher (no database).

    python manage.py match_records LEFT.csv [RIGHT.csv] --out pairs.csv [--threshold T]
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mboa.registry import identity
from mboa.registry.linkage import link
from mboa.registry.matching import registry_settings

COLUMNS = ("id", "family_name", "given_name", "sex", "date_of_birth", "place_of_birth", "nationality",
           "document_number", "phone", "address")
SEXES = {"", "M", "F", "H", "U", "MALE", "FEMALE", "HOMME", "FEMME"}


def read_records(path: Path) -> tuple[list[str], list[identity.Profile], list[str]]:
    """``(ids, profiles, warnings)`` from a CSV file; raises CommandError naming file, row and column.

    All-or-nothing: the first error stops the command before anything is written.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(_("%(file)s: file not found.") % {"file": path}) from None
    except UnicodeDecodeError:
        raise CommandError(_("%(file)s: not UTF-8 text (save the file as CSV UTF-8).") % {"file": path}) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise CommandError(_("%(file)s: empty file, or no header line.") % {"file": path})
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(lines, delimiter=delimiter)
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    reader.fieldnames = header
    if "id" not in header:
        raise CommandError(_("%(file)s, row 1: no “id” column (columns: %(columns)s).")
                           % {"file": path, "columns": ", ".join(COLUMNS)})
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise CommandError(_("%(file)s, row 1: column “%(column)s” appears twice.")
                           % {"file": path, "column": duplicated[0]})
    warnings = []
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        warnings.append(_("%(file)s: ignored unknown columns: %(columns)s.")
                        % {"file": path, "columns": ", ".join(unknown)})
    ids: list[str] = []
    profiles: list[identity.Profile] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(reader, start=2):
        if None in row:
            raise CommandError(_("%(file)s, row %(row)d: more values than columns.")
                               % {"file": path, "row": row_number})
        values = {key: (value or "").strip() for key, value in row.items() if key in COLUMNS}
        if not any(values.values()):
            continue  # blank line
        record_id = values.get("id", "")
        if not record_id:
            raise CommandError(_("%(file)s, row %(row)d, column id: empty.") % {"file": path, "row": row_number})
        if record_id in seen:
            raise CommandError(_("%(file)s, row %(row)d, column id: “%(id)s” already used on row %(first)d.")
                               % {"file": path, "row": row_number, "id": record_id, "first": seen[record_id]})
        seen[record_id] = row_number
        if values.get("sex", "").upper() not in SEXES:
            raise CommandError(_("%(file)s, row %(row)d, column sex: “%(value)s” is not M or F.")
                               % {"file": path, "row": row_number, "value": values["sex"]})
        try:
            profile = identity.build_profile(values)
        except ValueError:
            raise CommandError(
                _("%(file)s, row %(row)d, column date_of_birth: “%(value)s” is not a date "
                  "(use YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY).")
                % {"file": path, "row": row_number, "value": values.get("date_of_birth", "")}
            ) from None
        if not profile["names"] and not profile["docs"] and not profile["phones"]:
            raise CommandError(_("%(file)s, row %(row)d: no name, document or phone to match on.")
                               % {"file": path, "row": row_number})
        ids.append(record_id)
        profiles.append(profile)
    return ids, profiles, warnings


class Command(BaseCommand):
    help = "Find duplicates within LEFT.csv, or link LEFT.csv to RIGHT.csv; writes left_id,right_id,score."

    def add_arguments(self, parser) -> None:
        parser.add_argument("left", type=Path)
        parser.add_argument("right", type=Path, nargs="?")
        parser.add_argument("--out", type=Path, required=True, help="output CSV (left_id,right_id,score)")
        parser.add_argument("--threshold", type=float, default=None,
                            help="minimum score in [0, 1] (default: the MATCH_THRESHOLD setting)")

    def handle(self, *args, **options) -> None:
        threshold = options["threshold"]
        if threshold is None:
            threshold = registry_settings()["MATCH_THRESHOLD"]
        if not 0 <= threshold <= 1:
            raise CommandError(_("--threshold must be between 0 and 1."))
        left_ids, left, warnings = read_records(options["left"])
        right_ids, right = left_ids, None
        if options["right"] is not None:
            right_ids, right, more = read_records(options["right"])
            warnings += more
        for warning in warnings:
            self.stderr.write(warning)
        conf = registry_settings()
        pairs = sorted(link(left, right, threshold=threshold, scored=conf["CANDIDATES_SCORED"],
                            min_weight=conf["MIN_KEY_WEIGHT"], max_block=conf["MAX_BLOCK_SIZE"]),
                       key=lambda p: (p[0], -p[2], p[1]))
        with options["out"].open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["left_id", "right_id", "score"])
            for i, j, score in pairs:
                writer.writerow([left_ids[i], right_ids[j], f"{score:.4f}"])
        self.stdout.write(_("%(n)d pairs written to %(file)s.") % {"n": len(pairs), "file": options["out"]})
