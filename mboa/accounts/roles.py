"""The roles of Mboa. A user has one or more; rules in each app's permissions.py use them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleCode(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    CASE_MANAGER = "case_manager", _("IOM case manager")
    INSERTION_COUNSELLOR = "insertion_counsellor", _("Insertion counsellor")
    PSYCHOSOCIAL_COUNSELLOR = "psychosocial_counsellor", _("Psychosocial counsellor")
    FOCAL_POINT = "focal_point", _("Structure focal point")
    SECRETARIAT = "secretariat", _("Secretariat")
    DONOR = "donor", _("Donor (read-only reports)")
    STATISTICIAN = "statistician", _("Statistician (anonymised statistics)")


ADMIN = RoleCode.ADMIN.value
CASE_MANAGER = RoleCode.CASE_MANAGER.value
INSERTION_COUNSELLOR = RoleCode.INSERTION_COUNSELLOR.value
PSYCHOSOCIAL_COUNSELLOR = RoleCode.PSYCHOSOCIAL_COUNSELLOR.value
FOCAL_POINT = RoleCode.FOCAL_POINT.value
SECRETARIAT = RoleCode.SECRETARIAT.value
DONOR = RoleCode.DONOR.value
STATISTICIAN = RoleCode.STATISTICIAN.value

# Roles that work with returnees' records (as opposed to reports and statistics).
CASEWORK_ROLES = (CASE_MANAGER, INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR)
