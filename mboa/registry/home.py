from mboa.core.navigation import HomePanel, register_panel
from mboa.core.permissions import check

from .models import DuplicateCandidate, ReviewStatus


def _open_duplicates(user) -> dict | None:
    if not check(user, "registry.review_duplicates"):
        return None
    count = DuplicateCandidate.objects.filter(status=ReviewStatus.OPEN).count()
    return {"open_duplicates": count} if count else None


register_panel(HomePanel("registry.duplicates", "registry/partials/home_duplicates.html", _open_duplicates, order=40))
