"""Endpoints reached from emails: no login, signed tokens, nothing to guess or forge."""

import base64

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from communities.permissions import active_memberships

from .. import services, tokens
from ..forms import GlobalPreferencesForm, PreferencesForm
from ..models import Delivery, MailSettings, Subscription
from ..rendering import absolute

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _delivery(token: str, salt: str) -> Delivery:
    delivery_id = tokens.read(token, salt)
    if delivery_id is None:
        raise Http404("This link is not valid.")
    return get_object_or_404(Delivery.objects.select_related("newsletter__community", "recipient"), pk=delivery_id)


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks to confirm; POST (the button, or a mail client's RFC 8058 one-click) unsubscribes at once."""
    delivery_id = tokens.read(token, tokens.UNSUBSCRIBE)
    if delivery_id is None:
        return render(request, "newsletters/unsubscribe.html", {"invalid": True}, status=400)
    delivery = get_object_or_404(Delivery.objects.select_related("newsletter__community", "recipient"), pk=delivery_id)
    done = False
    if request.method == "POST":
        services.unsubscribe(delivery=delivery)
        done = True
    return render(
        request,
        "newsletters/unsubscribe.html",
        {
            "delivery": delivery,
            "community": delivery.newsletter.community,
            "done": done,
            "token": token,
        },
    )


@login_not_required
def open_pixel(request, token):
    """Counts an open once per delivery; always answers with the same tiny image."""
    delivery_id = tokens.read(token, tokens.TRACK)
    if delivery_id is not None:
        services.delivery_opened(delivery_id=delivery_id)
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
def click(request, token):
    """Count the click and go on, but only to a link that is in that newsletter: never an open redirect."""
    delivery = _delivery(token, tokens.TRACK)
    url = request.GET.get("u", "")
    if url not in delivery.newsletter.links():
        return HttpResponseBadRequest("This link is not part of the newsletter.")
    services.delivery_clicked(delivery=delivery, url=url)
    return HttpResponseRedirect(absolute(url))


def _preferences_page(request, user, *, action_url):
    """One page: the global switch and, per community, the newsletter and every alert type the member may choose."""
    communities = [m.community for m in active_memberships(user)]
    subscriptions = {s.community_id: s for s in Subscription.objects.filter(user=user)}
    mail_settings = MailSettings.objects.filter(user=user).first() or MailSettings(user=user)
    data = request.POST if request.method == "POST" else None
    global_form = GlobalPreferencesForm(data, initial={"no_email": mail_settings.no_email})
    rows = []
    for community in communities:
        sub = subscriptions.get(community.pk) or Subscription(user=user, community=community)
        kinds = services.alert_types_for(user, community)
        initial = {"newsletter": sub.newsletter, **{kind.key: sub.frequency(kind.key) for kind in kinds}}
        form = PreferencesForm(data, prefix=f"c{community.pk}", initial=initial, alert_types=kinds)
        rows.append((community, sub, form))
    if data is not None and global_form.is_valid() and all(form.is_valid() for _, _, form in rows):
        services.preferences_save(
            user=user,
            no_email=global_form.cleaned_data["no_email"],
            communities=[
                (community, form.cleaned_data["newsletter"], form.chosen_frequencies) for community, _, form in rows
            ],
        )
        messages.success(request, "Your email preferences are saved.")
        return redirect(action_url)
    return render(
        request,
        "newsletters/preferences.html",
        {
            "person": user,
            "global_form": global_form,
            "rows": rows,
            "action_url": action_url,
            "bounced": mail_settings.bounced_at,
        },
    )


@login_required
def preferences(request):
    return _preferences_page(request, request.user, action_url=request.path)


@login_not_required
def preferences_token(request, token):
    """The same page from an email footer, without logging in."""
    user_id = tokens.read(token, tokens.PREFERENCES)
    if user_id is None:
        raise Http404("This link is not valid.")
    user = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    return _preferences_page(request, user, action_url=request.path)
