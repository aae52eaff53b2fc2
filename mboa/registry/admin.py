"""The registry is not in the Django admin: people, their duplicates and merges hold
returnees' identity, read only through the registry's pages and API (user-scoped selectors
that log each read) and changed only through its services."""
