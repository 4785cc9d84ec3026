from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_POST

from .. import layout, permissions, reports, services
from ..forms import NewsletterMetaForm, ScheduleForm
from ..models import Newsletter
from ..rendering import render as render_newsletter
from ..sections import article_choices
from ._helpers import community_or_404, newsletter_in


def _manager_community(request, slug):
    community = community_or_404(request, slug)
    if not permissions.can_manage_newsletters(request.user, community):
        raise PermissionDenied
    return community


def _article_choices(newsletter: Newsletter) -> list[tuple[str, str]]:
    choices = article_choices(newsletter.sections)
    if newsletter.article and newsletter.article["url"] not in {url for url, _ in choices}:
        choices.insert(0, (newsletter.article["url"], newsletter.article["title"]))
    return choices


@login_required
@require_POST
def newsletter_prepare(request, slug):
    """This month's issue (one per month), or a special edition on top of it when asked for."""
    community = _manager_community(request, slug)
    special = request.POST.get("edition") == Newsletter.Edition.SPECIAL
    newsletter, created = services.newsletter_prepare(community=community, by=request.user, special=special)
    if special:
        messages.success(request, "A special edition is ready for you to shape. Send it or schedule it when ready.")
    elif created:
        messages.success(request, "This month's draft is ready for you to shape.")
    else:
        messages.info(request, "This month's issue already exists.")
    return redirect("newsletters:edit", slug=community.slug, pk=newsletter.pk)


def _editor_page(request, community, newsletter, form, board):
    return render(
        request,
        "newsletters/edit.html",
        {
            "community": community,
            "tab": "newsletters",
            "newsletter": newsletter,
            "form": form,
            "board": board,
            "schedule_form": ScheduleForm(),
            "recipient_count": services.sending.recipients(newsletter).count(),
        },
    )


@login_required
def newsletter_edit(request, slug, pk):
    """Save the draft; "Refresh sections" saves what was typed too, then refills the sections keeping choices."""
    community = _manager_community(request, slug)
    newsletter = newsletter_in(community, pk)
    if newsletter.status in (Newsletter.Status.SENDING, Newsletter.Status.SENT):
        return redirect("newsletters:report", slug=community.slug, pk=newsletter.pk)
    choices = _article_choices(newsletter)
    initial = {
        "subject": newsletter.subject,
        "intro": newsletter.intro,
        "segments": newsletter.segments.all(),
        "article": newsletter.article["url"] if newsletter.article else "",
    }
    board = layout.board_of(newsletter)
    form = NewsletterMetaForm(request.POST or None, community=community, article_choices=choices, initial=initial)
    if request.method == "POST":
        board = layout.board_from_post(board, request.POST)
        if not form.is_valid():
            return _editor_page(request, community, newsletter, form, board)
        url = form.cleaned_data["article"]
        article = next(({"title": title, "url": url, "summary": ""} for u, title in choices if u == url), None)
        if article and newsletter.article and newsletter.article.get("url") == url:
            article = newsletter.article
        services.newsletter_edit(
            newsletter=newsletter,
            subject=form.cleaned_data["subject"],
            intro=form.cleaned_data["intro"],
            board=board,
            article=article,
            segments=form.cleaned_data["segments"],
        )
        if "rebuild" in request.POST:
            added = services.newsletter_rebuild(newsletter=newsletter)
            messages.success(
                request,
                f"Draft saved and sections refreshed from the last 30 days: {added} new item{pluralize(added)} "
                "added; your introduction, choices and order are kept.",
            )
        else:
            messages.success(request, "Draft saved.")
        return redirect("newsletters:edit", slug=community.slug, pk=newsletter.pk)
    return _editor_page(request, community, newsletter, form, board)


@login_required
@csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["'self'", "data:"]})
def newsletter_preview(request, slug, pk, fmt):
    """The email exactly as members will get it (HTML or plain text); its inline styles need this page's CSP."""
    community = _manager_community(request, slug)
    newsletter = newsletter_in(community, pk)
    html, text = render_newsletter(newsletter, recipient=request.user)
    if fmt == "text":
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    return HttpResponse(html)


@login_required
@require_POST
def newsletter_action(request, slug, pk):
    """Send a test to myself, send now, schedule or unschedule."""
    community = _manager_community(request, slug)
    newsletter = newsletter_in(community, pk)
    action = request.POST.get("action")
    try:
        if action == "test":
            services.newsletter_send_test(newsletter=newsletter, to=request.user)
            messages.success(request, f"A test copy is on its way to {request.user.email}.")
        elif action == "send":
            if request.POST.get("confirm") != "yes":
                # Nothing goes out on one click: the confirmation page shows who will get it first.
                return redirect("newsletters:send_confirm", slug=community.slug, pk=newsletter.pk)
            total = services.newsletter_start_sending(newsletter_id=newsletter.pk)
            messages.success(request, f"Sending to {total} members. Follow progress on this page.")
            return redirect("newsletters:report", slug=community.slug, pk=newsletter.pk)
        elif action == "schedule":
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Choose a date and time to send it.")
            else:
                services.newsletter_schedule(newsletter=newsletter, when=form.cleaned_data["when"])
                messages.success(request, "Scheduled. It goes out automatically at that time.")
        elif action == "unschedule":
            services.newsletter_unschedule(newsletter=newsletter)
            messages.success(request, "Back to draft; it will not go out until you send or schedule it.")
        else:
            raise PermissionDenied
    except services.NewsletterError as exc:
        messages.error(request, str(exc))
    return redirect("newsletters:edit", slug=community.slug, pk=newsletter.pk)


@login_required
def newsletter_send_confirm(request, slug, pk):
    """Before sending: the subject, how many members get it and in which segments; one button sends."""
    community = _manager_community(request, slug)
    newsletter = newsletter_in(community, pk)
    if newsletter.status in (Newsletter.Status.SENDING, Newsletter.Status.SENT):
        return redirect("newsletters:report", slug=community.slug, pk=newsletter.pk)
    return render(
        request,
        "newsletters/send_confirm.html",
        {
            "community": community,
            "tab": "newsletters",
            "newsletter": newsletter,
            "segments": list(newsletter.segments.order_by("name")),
            "recipient_count": services.sending.recipients(newsletter).count(),
        },
    )


@login_required
def newsletter_report(request, slug, pk):
    """Delivered, failed, opened, clicked, unsubscribed, top links, and the activity spike after sending."""
    community = _manager_community(request, slug)
    newsletter = newsletter_in(community, pk)
    return render(
        request,
        "newsletters/report.html",
        {
            "community": community,
            "tab": "newsletters",
            "newsletter": newsletter,
            "report": reports.newsletter_report(newsletter),
        },
    )
