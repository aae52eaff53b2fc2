def ready() -> None:
    """Register this area's rules, navigation items and home panels."""
