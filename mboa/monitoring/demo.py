"""Demo data of monitoring: each area's ``demo.seed(ctx)``."""

from .feedback import demo as feedback
from .surveys import demo as surveys


def seed(ctx) -> None:
    surveys.seed(ctx)
    feedback.seed(ctx)
