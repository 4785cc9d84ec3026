from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404

from communities.access import readable_community, refuse

from .. import permissions, selectors

community_view = readable_community


def poll_view(view):
    """A poll the user may see: its community is readable, and so is the page it sits in."""

    @wraps(view)
    def wrapped(request, slug, pk, *args, **kwargs):
        poll = get_object_or_404(selectors.poll_page_queryset(), pk=pk, community__slug=slug)
        if not permissions.can_view_poll(request.user, poll):
            if not permissions.can_view_community(request.user, poll.community):
                return refuse(request, poll.community)
            raise Http404
        return view(request, poll, *args, **kwargs)

    return wrapped


def survey_view(view):
    """A survey the user may see: published, in a community they may read (facilitators also see drafts)."""

    @wraps(view)
    def wrapped(request, slug, pk, *args, **kwargs):
        survey = get_object_or_404(selectors.survey_page_queryset(), pk=pk, community__slug=slug)
        if not permissions.can_view_survey(request.user, survey):
            if not permissions.can_view_community(request.user, survey.community):
                return refuse(request, survey.community)
            raise Http404
        return view(request, survey, *args, **kwargs)

    return wrapped
