"""The one place that knows every app."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.static import serve

from accounts import views as accounts_views
from cop_platform.health import healthz
from hotseats.views import hotseats as hotseats_views

admin.site.site_header = f"{settings.PLATFORM_NAME} administration"
admin.site.site_title = settings.PLATFORM_NAME
# The admin login goes through allauth: its rate limits and two-factor sign-in apply there too.
admin.site.login = secure_admin_login(admin.site.login)


@login_not_required
def favicon(request):
    """Pages name their icon in <head>; this answers clients that ask for /favicon.ico regardless. Resolved per
    request: with hashed static names the manifest exists only after collectstatic."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path(settings.ADMIN_URL, admin.site.urls),
    # allauth's login page, answering 429 when the failed-login throttle refuses (ahead of allauth's own).
    path("accounts/login/", accounts_views.login, name="account_login"),
    # allauth's sign-up page, its answers padded to one floor so their timing does not tell who has an account.
    path("accounts/signup/", accounts_views.signup, name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("c/<slug:slug>/forums/", include("forums.urls")),
    path("c/<slug:slug>/hotseats/", include("hotseats.urls")),
    path("c/<slug:slug>/library/", include("library.urls")),
    path("c/<slug:slug>/polls/", include("polls.urls")),
    path("", include("conversations.urls")),
    path("people/", include("forums.blog_urls")),
    path("c/<slug:slug>/facilitation/", include("facilitation.urls")),
    path("c/<slug:slug>/events/", include("events.urls")),
    path("", include("jobs.urls")),
    path("", include("newsletters.urls")),
    path("experts/<str:token>/", hotseats_views.expert_accept, name="hotseat_expert_accept"),
    path("", include("communities.urls")),
]

if settings.SERVE_MEDIA:
    # Uploaded images (avatars) are shown on public pages: the development server serves them to anyone.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", login_not_required(serve), {"document_root": settings.MEDIA_ROOT})
    ]
