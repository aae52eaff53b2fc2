from typing import Any

from django import template

from ..permissions import check

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: dict, rule_name: str, obj: Any = None) -> bool:
    """``{% can "actors.change_structure" structure as allowed %}``: the same rules as views."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return bool(check(user, rule_name, obj))


@register.filter
def verbose(obj: Any, field_name: str) -> str:
    return str(obj._meta.get_field(field_name).verbose_name)


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``{{ grants|lookup:role }}``: a dict's value in a template ("" when absent)."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
