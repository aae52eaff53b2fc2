"""One accessor for Mboa's own settings; their defaults live in one place,
``config/settings/base.py`` (read from the environment there).

``setting("CASES", "HOME_STRUCTURE")`` reads ``settings.MBOA_CASES["HOME_STRUCTURE"]``;
``setting("", "HEALTH_STRUCTURES")`` reads ``settings.MBOA["HEALTH_STRUCTURES"]``. It is
read at each call (no module-level copy), so tests and ``override_settings`` take effect.
A missing group or key is a configuration error that names what is missing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def settings_group(group: str) -> dict[str, Any]:
    name = f"MBOA_{group}" if group else "MBOA"
    try:
        return getattr(settings, name)
    except AttributeError:
        raise ImproperlyConfigured(f"settings.{name} is missing (see config/settings/base.py)") from None


def setting(group: str, key: str) -> Any:
    values = settings_group(group)
    try:
        return values[key]
    except KeyError:
        name = f"MBOA_{group}" if group else "MBOA"
        raise ImproperlyConfigured(f"settings.{name}[{key!r}] is missing (see config/settings/base.py)") from None
