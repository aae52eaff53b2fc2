from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from mboa.core.actions import form_page, post_action

from .. import selectors, services
from ..forms import AccessForm, NamesForm, TokenForm
from ..login_limits import LIMITED_ATTRIBUTE


class LoginView(auth_views.LoginView):
    template_name = "accounts/pages/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        # Too many failed sign-ins from this address or everywhere (login_limits): say so,
        # rather than "wrong password", and answer 429.
        message = getattr(self.request, LIMITED_ATTRIBUTE, None)
        if message:
            return render(self.request, "accounts/pages/locked_out.html", {"message": message}, status=429)
        return super().form_invalid(form)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The account page: one's own API tokens, a new one shown once, each revocable."""
    form = TokenForm(request.POST or None)
    context = {"form": form, "tokens": selectors.api_tokens_for_user(user=request.user), "token": None,
               "now": timezone.now()}
    status = 200
    if request.method == "POST" and request.POST.get("action") == "token":
        if form.is_valid():
            _token, context["token"] = services.api_token_create(user=request.user, by=request.user,
                                                                 name=form.cleaned_data["name"])
            form = context["form"] = TokenForm()
        else:
            status = 400
    return render(request, "accounts/pages/profile.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_get_for_user(user=request.user, pk=pk)
    return post_action(request, lambda: services.api_token_revoke(token=token, by=request.user),
                       success=_("The token was revoked: it no longer works."), to="accounts:profile")


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    """Administrators: the accounts, and the changes of one's own access waiting for a second administrator."""
    q = request.GET.get("q", "").strip()[:100]
    users = selectors.user_list_for_user(user=request.user, q=q)[:200]
    pending = selectors.access_requests_pending_for_user(user=request.user)
    return render(request, "accounts/pages/user_list.html", {"users": users, "pending": pending, "q": q})


def _user_page(request: HttpRequest, account, names_form=None, access_form=None) -> dict:
    return {
        "account": account,
        "own": account.pk == request.user.pk,
        "names_form": names_form or NamesForm(initial={"first_name": account.first_name,
                                                       "last_name": account.last_name}),
        "access_form": access_form or AccessForm(initial={"structure": account.structure,
                                                          "roles": list(account.roles.all())}),
    }


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.user_get_for_user(user=request.user, pk=pk)
    return render(request, "accounts/pages/user_detail.html", _user_page(request, account))


@login_required
def user_names(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.user_get_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("accounts:user_detail", pk=account.pk)
    form = NamesForm(request.POST)
    return form_page(
        request, form,
        lambda: services.user_names_set(user=account, by=request.user, first_name=form.cleaned_data["first_name"],
                                        last_name=form.cleaned_data["last_name"]),
        template="accounts/pages/user_detail.html", context=_user_page(request, account, names_form=form),
        success=_("Names saved."), to="accounts:user_detail", pk=account.pk,
    )


@login_required
def user_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Another account's structure and roles change at once; one's own (the same form) become
    a request that another administrator approves."""
    account = selectors.user_get_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("accounts:user_detail", pk=account.pk)
    form = AccessForm(request.POST)
    if request.POST.get("action") == "request":
        def action():
            return services.access_request_create(user=account, by=request.user, structure=form.cleaned_data["structure"],
                                                  roles=form.cleaned_data["roles"], note=form.cleaned_data["note"])
        success = _("Request sent: another administrator must approve it.")
    else:
        def action():
            return services.user_access_set(user=account, by=request.user, structure=form.cleaned_data["structure"],
                                            roles=form.cleaned_data["roles"])
        success = _("Structure and roles saved.")
    return form_page(request, form, action, template="accounts/pages/user_detail.html",
                     context=_user_page(request, account, access_form=form), success=success,
                     to="accounts:user_detail", pk=account.pk)


@login_required
@require_POST
def access_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = selectors.access_request_get_for_user(user=request.user, pk=pk)
    approve = request.POST.get("decision") == "approve"
    return post_action(
        request, lambda: services.access_request_decide(request=access_request, by=request.user, approve=approve),
        success=_("Request approved: the change is made.") if approve else _("Request refused."),
        to="accounts:user_list",
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (cookie, then back to the page), plus the choice saved on the
    user so that it follows them to another device."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.language != language:
        services.language_set(user=user, by=user, language=language)
    return response
