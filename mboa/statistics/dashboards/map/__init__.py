"""Cameroon's 10 regions as SVG paths (``cameroon_regions.json``, built by ``build.py`` from
Natural Earth admin-1, public domain; see ``SOURCE.md``)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path


@cache
def _data() -> dict:
    return json.loads(Path(__file__).with_name("cameroon_regions.json").read_text())


def region_paths() -> dict[str, str]:
    return _data()["paths"]


def viewbox() -> str:
    return _data()["viewbox"]
