"""Promoters' identity shown in dossiers is personal data: reads are logged (see docs/projects.md)."""

from mboa.core.sensitive import register

register("projects.DossierMember", family_name="identity", given_names="identity")
