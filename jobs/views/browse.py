"""Finding jobs: the lists (per community and across communities), the posting page, applying, saved postings,
saved searches and the Atom feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_POST

from communities.models import Community
from communities.permissions import active_memberships

from .. import permissions, selectors, services, structured
from ..activity import summary
from ..forms import SORTS, FilterForm, SearchForm
from ..models import JobSearch, Posting, SavedPosting
from ._helpers import ApplyRedirect, community_view, paginate, posting_view, query_without_page

FEED_ITEMS = 50


def _list_context(request, *, community: Community | None) -> dict:
    form = FilterForm(request.GET or None)
    filters = form.values() if request.GET else {}
    page = paginate(request, selectors.listing(request.user, community=community, filters=filters))
    selectors.mark_new(request.user, page.object_list)
    return {
        "form": form,
        "filters": filters,
        "page": page,
        "query": query_without_page(request),
        "sorts": SORTS,
        "tags": selectors.popular_tags(request.user, community=community),
    }


@login_not_required
@community_view
def jobs_list(request, community):
    """A community's jobs board: live postings, filtered and sorted, with what is new since the last visit."""
    context = _list_context(request, community=community)
    context.update(
        community=community,
        tab="jobs",
        can_post=permissions.can_post(request.user, community),
        can_moderate=permissions.can_moderate(request.user, community),
        is_public=community.visibility == Community.Visibility.PUBLIC,
    )
    return render(request, "jobs/jobs_list.html", context)


@login_not_required
def all_jobs(request):
    """Jobs across every community the viewer may read."""
    context = _list_context(request, community=None)
    return render(request, "jobs/all_jobs.html", context)


@login_not_required
@posting_view(
    queryset=lambda request: Posting.objects.with_saved(request.user).select_related("author").prefetch_related("tags")
)
def posting_detail(request, posting):
    """The posting: employer, terms, closing time in the viewer's zone, and the apply action."""
    return render(
        request,
        "jobs/posting_detail.html",
        {
            "community": posting.community,
            "tab": "jobs",
            "posting": posting,
            "json_ld": structured.json_ld_script(posting),
        },
    )


@login_not_required
@require_GET
@posting_view
def posting_apply(request, posting):
    """Count the click and send the applicant on to the advert (or their mail program). A link, not a form: the
    CSP's form-action 'self' would stop a form submission that redirects to another site."""
    if not permissions.can_apply(request.user, posting):
        messages.error(request, "This posting has closed.")
        return redirect(posting)
    services.apply_click(posting=posting)
    return ApplyRedirect(posting.apply_url or f"mailto:{posting.apply_email}")


@login_required
@require_POST
@posting_view
def posting_save(request, posting):
    """Keep the posting on your own list, or take it off."""
    save = request.POST.get("save") != "0"
    try:
        services.saved_toggle(posting=posting, user=request.user, save=save)
    except services.JobsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Saved to your jobs list." if save else "Taken off your jobs list.")
    return redirect(request.POST.get("next") if request.POST.get("next") == reverse("jobs:saved") else posting)


@login_required
def saved(request):
    """My saved postings that are still live and readable."""
    postings = (
        Posting.objects.listed_for(request.user)
        .filter(pk__in=SavedPosting.objects.filter(user=request.user).values("posting_id"))
        .with_saved(request.user)
        .select_related("community")
        .prefetch_related("tags")
        .order_by("closes_at", "pk")
    )
    return render(request, "jobs/saved.html", {"page": paginate(request, postings), "query": ""})


@login_required
def searches(request):
    """My saved job searches, and a form to add one; alerts follow the "jobs" email preference."""
    communities = Community.objects.filter(pk__in=[m.community_id for m in active_memberships(request.user)])
    form = SearchForm(request.POST or None, communities=communities, initial=request.GET.dict() or None)
    if request.method == "POST":
        if "delete" in request.POST:
            pk = request.POST["delete"]
            JobSearch.objects.filter(user=request.user, pk=int(pk) if pk.isdigit() else None).delete()
            messages.success(request, "Saved search deleted.")
            return redirect("jobs:searches")
        if form.is_valid():
            services.search_save(user=request.user, **form.cleaned_data)
            messages.success(request, "Search saved. New jobs that match reach you as your email preferences say.")
            return redirect("jobs:searches")
    mine = JobSearch.objects.filter(user=request.user).select_related("community")
    return render(request, "jobs/searches.html", {"form": form, "searches": mine})


@login_not_required
def feed(request, slug):
    """An Atom feed of a public community's live postings. Private and hidden communities have none: a plain 404
    for everyone (a feed reader can follow neither a login page nor a landing page)."""
    community = get_object_or_404(Community, slug=slug, visibility=Community.Visibility.PUBLIC)
    postings = (
        Posting.objects.listed_for(AnonymousUser())
        .filter(community=community)
        .select_related("community")
        .order_by("-published_at", "-pk")[:FEED_ITEMS]
    )
    site = request.build_absolute_uri("/").rstrip("/")
    atom = Atom1Feed(
        title=f"Jobs · {community.name}",
        link=site + reverse("jobs:jobs_list", args=[community.slug]),
        description=f"Roles advertised in {community.name}",
        feed_url=request.build_absolute_uri(),
        language="en-gb",
    )
    for posting in postings:
        atom.add_item(
            title=f"{posting.title} at {posting.employer}",
            link=site + posting.get_absolute_url(),
            description=f"<p>{escape(summary(posting))} · closes {posting.closes_on:%-d %B %Y}</p>"
            + posting.description_html,
            unique_id=site + posting.get_absolute_url(),
            pubdate=posting.published_at,
            updateddate=posting.updated_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response
