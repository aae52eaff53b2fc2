"""Reads of accounts, always for a user: one's own tokens; for administrators, the
accounts and the requests that wait for a second administrator."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from mboa.core.permissions import require

from .models import AccessRequest, AccessRequestStatus, ApiToken, User


def api_tokens_for_user(*, user: Any) -> QuerySet[ApiToken]:
    """The user's own tokens (prefix, dates; never a secret: none is stored)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def api_token_get_for_user(*, user: Any, pk: int) -> ApiToken:
    token = api_tokens_for_user(user=user).select_related("user").filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


def user_list_for_user(*, user: Any, q: str = "") -> QuerySet[User]:
    require(user, "accounts.manage_users")
    users = User.objects.select_related("structure").prefetch_related("roles").order_by("username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
    return users


def user_get_for_user(*, user: Any, pk: int) -> User:
    account = user_list_for_user(user=user).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


def access_requests_pending_for_user(*, user: Any) -> QuerySet[AccessRequest]:
    require(user, "accounts.manage_users")
    return (AccessRequest.objects.filter(status=AccessRequestStatus.PENDING)
            .select_related("user", "requested_by", "structure").prefetch_related("roles"))


def access_request_get_for_user(*, user: Any, pk: int) -> AccessRequest:
    request = access_requests_pending_for_user(user=user).filter(pk=pk).first()
    if request is None:
        raise Http404
    return request
