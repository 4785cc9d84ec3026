from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import permissions, reports, services
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


def _layout_from_post(newsletter: Newsletter, post) -> list[dict]:
    """Sections and items in the order the facilitator numbered them, without the ones they unticked."""

    def position(name, default):
        try:
            return float(post.get(name, default))
        except ValueError:
            return float(default)

    sections = []
    for s_index, section in enumerate(newsletter.sections):
        if post.get(f"s{s_index}-keep") != "on":
            continue
        items = [
            (position(f"s{s_index}-i{i_index}-pos", i_index + 1), i_index, item)
            for i_index, item in enumerate(section.get("items", []))
            if post.get(f"s{s_index}-i{i_index}-keep") == "on"
        ]
        if items:
            ordered = [item for _, _, item in sorted(items, key=lambda t: (t[0], t[1]))]
            sections.append((position(f"s{s_index}-pos", s_index + 1), s_index, {**section, "items": ordered}))
    return [section for _, _, section in sorted(sections, key=lambda t: (t[0], t[1]))]


@login_required
@require_POST
def newsletter_prepare(request, slug):
    community = _manager_community(request, slug)
    newsletter, created = services.newsletter_prepare(community=community, by=request.user)
    if created:
        messages.success(request, "This month's draft is ready for you to shape.")
    else:
        messages.info(request, "This month's issue already exists.")
    return redirect("newsletters:edit", slug=community.slug, pk=newsletter.pk)


@login_required
def newsletter_edit(request, slug, pk):
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
    form = NewsletterMetaForm(request.POST or None, community=community, article_choices=choices, initial=initial)
    if request.method == "POST":
        if "rebuild" in request.POST:
            services.newsletter_rebuild(newsletter=newsletter)
            messages.success(request, "Sections refreshed from the last 30 days.")
            return redirect("newsletters:edit", slug=community.slug, pk=newsletter.pk)
        if form.is_valid():
            url = form.cleaned_data["article"]
            article = next(({"title": title, "url": url, "summary": ""} for u, title in choices if u == url), None)
            if article and newsletter.article and newsletter.article.get("url") == url:
                article = newsletter.article
            services.newsletter_edit(
                newsletter=newsletter,
                subject=form.cleaned_data["subject"],
                intro=form.cleaned_data["intro"],
                layout=_layout_from_post(newsletter, request.POST),
                article=article,
                segments=form.cleaned_data["segments"],
            )
            messages.success(request, "Draft saved.")
            return redirect("newsletters:edit", slug=community.slug, pk=newsletter.pk)
    return render(
        request,
        "newsletters/edit.html",
        {
            "community": community,
            "tab": "newsletters",
            "newsletter": newsletter,
            "form": form,
            "schedule_form": ScheduleForm(),
            "recipient_count": services.sending.recipients(newsletter).count(),
        },
    )


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
