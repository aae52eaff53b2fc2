"""All API routes under /api/v1/: each app contributes its viewsets here."""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from mboa.accounts.api.views import MeView
from mboa.actors.api.views import FocalPointViewSet, StructureViewSet
from mboa.governance.api.views import BodyViewSet

router = DefaultRouter()
router.register("structures", StructureViewSet, basename="structure")
router.register("focal-points", FocalPointViewSet, basename="focalpoint")
router.register("bodies", BodyViewSet, basename="body")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", obtain_auth_token, name="token"),
    *router.urls,
]
