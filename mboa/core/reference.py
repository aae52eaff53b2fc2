"""Reference data (regions, structures, roles, bodies, ...) is loaded by data migrations.

Tests that run in a flushed database (transactional tests, the browser tests) need it
back: ``reload_reference_data()`` replays the forward code of every Mboa data migration,
in migration order, against the current models. Loaders are idempotent (update_or_create),
so replaying them on a full database changes nothing.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython


def reload_reference_data() -> None:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    seen: set[tuple[str, str]] = set()
    plan: list[tuple[str, str]] = []
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                plan.append(key)
    for key in plan:
        migration = loader.graph.nodes[key]
        if not migration.__module__.startswith("mboa."):
            continue
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                operation.code(global_apps, None)  # type: ignore[arg-type]  # loaders only use apps.get_model
