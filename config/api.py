"""All API routes under /api/v1/: the router that wires each app's viewsets (config/ wires, apps do not import each other for it)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from mboa.accounts.api.views import MeView, TokenView
from mboa.actors.api.views import FocalPointViewSet, StructureViewSet
from mboa.cases.api.views import (
    AssessmentViewSet,
    CaseViewSet,
    ConsentViewSet,
    NicheViewSet,
    SessionViewSet,
    TrainingOfferViewSet,
)
from mboa.core.ids import ID_PATTERN
from mboa.governance.api.views import (
    BodyViewSet,
    BroadcastViewSet,
    CommitmentViewSet,
    DecisionViewSet,
    MeetingViewSet,
)
from mboa.monitoring.feedback.api.views import (
    AwarenessActivityViewSet,
    CommunityProjectViewSet,
    FeedbackFiguresView,
    FeedbackViewSet,
    SatisfactionViewSet,
)
from mboa.notifications.api.views import MessageViewSet
from mboa.projects.api.views import (
    DossierViewSet,
    PurchaseViewSet,
    ReviewViewSet,
    SurvivalView,
    ValidationSessionViewSet,
    VisitViewSet,
)
from mboa.reception.api.views import ArrivalViewSet, GtaTaskViewSet, ManifestViewSet, PassengerViewSet
from mboa.referrals.api.views import (
    AgreementViewSet,
    ReferralDelaysView,
    ReferralViewSet,
    ServicePointViewSet,
    ServiceViewSet,
)
from mboa.registry.api.views import DuplicateViewSet, PersonViewSet
from mboa.statistics.release.api import Dhis2View, IndicatorsView


class Router(DefaultRouter):
    """Detail routes of viewsets looked up by id accept only ids the database can hold:
    ``/api/v1/people/abc/`` or a 30-digit id is a 404, never a server error."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        queryset = getattr(viewset, "queryset", None)
        integer_pk = queryset is None or queryset.model._meta.pk.get_internal_type() in (
            "AutoField", "BigAutoField", "IntegerField", "BigIntegerField")
        if (getattr(viewset, "lookup_field", "pk") in ("pk", "id") and integer_pk
                and not hasattr(viewset, "lookup_value_regex")):
            viewset.lookup_value_regex = ID_PATTERN
        return super().get_lookup_regex(viewset, lookup_prefix)


router = Router()
router.register("structures", StructureViewSet, basename="structure")
router.register("focal-points", FocalPointViewSet, basename="focalpoint")
router.register("bodies", BodyViewSet, basename="body")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("messages", MessageViewSet, basename="message")
router.register("broadcasts", BroadcastViewSet, basename="broadcast")
router.register("services", ServiceViewSet, basename="service")
router.register("service-points", ServicePointViewSet, basename="servicepoint")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("people", PersonViewSet, basename="person")
router.register("duplicates", DuplicateViewSet, basename="duplicate")
router.register("cases", CaseViewSet, basename="case")
router.register("consents", ConsentViewSet, basename="consent")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("sessions", SessionViewSet, basename="session")
router.register("niches", NicheViewSet, basename="niche")
router.register("trainings", TrainingOfferViewSet, basename="training")
router.register("arrivals", ArrivalViewSet, basename="arrival")
router.register("manifests", ManifestViewSet, basename="manifest")
router.register("gta-tasks", GtaTaskViewSet, basename="gtatask")
router.register("arrival-returnees", PassengerViewSet, basename="arrivalreturnee")
router.register("project-dossiers", DossierViewSet, basename="project-dossier")
router.register("validation-sessions", ValidationSessionViewSet, basename="validation-session")
router.register("project-reviews", ReviewViewSet, basename="project-review")
router.register("project-purchases", PurchaseViewSet, basename="project-purchase")
router.register("feedback", FeedbackViewSet, basename="feedback")
router.register("satisfaction", SatisfactionViewSet, basename="satisfaction")
router.register("community-projects", CommunityProjectViewSet, basename="community-project")
router.register("awareness-activities", AwarenessActivityViewSet, basename="awareness-activity")
router.register("project-visits", VisitViewSet, basename="project-visit")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("referral-delays/", ReferralDelaysView.as_view(), name="referral-delays"),
    path("indicators/", IndicatorsView.as_view(), name="indicators"),
    path("indicators/dhis2/", Dhis2View.as_view(), name="indicators-dhis2"),
    path("feedback-figures/", FeedbackFiguresView.as_view(), name="feedback-figures"),
    path("project-survival/", SurvivalView.as_view(), name="project-survival"),
    *router.urls,
]
