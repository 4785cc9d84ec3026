"""Atom feeds of a community, built from whatever apps register as `FeedSource`s (communities/extensions.py).

A public community's feeds are public, read as an anonymous visitor. Any community's feeds can also be read through
a member's secret address (`FeedToken`), read as that member: it stops working the moment they leave or are banned,
or when they reset it. Entries hold only what the feed's reader may see: each source filters by the viewer.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from . import extensions
from .extensions import FeedSource
from .models import Community, FeedToken, Membership

FEED_LENGTH = 30


def public_url(community: Community, source: FeedSource, params: dict | None = None) -> str:
    url = reverse("communities:feed", args=[community.slug, source.key])
    return f"{url}?{urlencode(params)}" if params else url


def private_url(token: FeedToken, source: FeedSource, params: dict | None = None) -> str:
    url = reverse("communities:feed_private", args=[token.token, source.key])
    return f"{url}?{urlencode(params)}" if params else url


def _absolute(path: str) -> str:
    return path if urlsplit(path).scheme else f"{settings.SITE_URL}{path}"


class CommunityFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "private, max-age=300"
        response["X-Robots-Tag"] = "noindex"
        return response

    def _source(self, key: str) -> FeedSource:
        source = extensions.lookup(FeedSource, key)
        if source is None:
            raise Http404
        return source

    def get_object(self, request, slug=None, key=None, token=None):
        source = self._source(key)
        if token is not None:
            found = get_object_or_404(FeedToken.objects.select_related("user", "community"), token=token)
            community, viewer = found.community, found.user
            alive = viewer.is_active and Membership.objects.active().filter(user=viewer, community=community).exists()
            if not alive:
                raise Http404
        else:
            community = get_object_or_404(Community, slug=slug, visibility=Community.Visibility.PUBLIC)
            viewer = AnonymousUser()
        params = {k: v[:100] for k, v in request.GET.items() if k != "page"}
        self.request_path = request.get_full_path()
        return {"community": community, "source": source, "viewer": viewer, "params": params}

    def title(self, obj):
        label = " · ".join(v for v in obj["params"].values() if v)
        return f"{obj['source'].title}{f' · {label}' if label else ''} · {obj['community'].name}"

    def link(self, obj):
        source, community = obj["source"], obj["community"]
        if source.page_url_name:
            try:
                args = [community.slug, *obj["params"].values()]
                return _absolute(reverse(source.page_url_name, args=args))
            except Exception:  # a page that takes other arguments: link the community
                pass
        return _absolute(community.get_absolute_url())

    def feed_url(self, obj):
        return _absolute(self.request_path)

    def subtitle(self, obj):
        return obj["community"].description[:300] or None

    def author_name(self, obj):
        return obj["community"].name

    def feed_guid(self, obj):
        return f"tag:{urlsplit(settings.SITE_URL).hostname},2026:{obj['community'].slug}/{obj['source'].key}"

    def items(self, obj):
        entries = list(obj["source"].entries(obj["community"], obj["viewer"], FEED_LENGTH, obj["params"]))
        self._host = urlsplit(settings.SITE_URL).hostname
        return entries[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return _absolute(item.url)

    def item_guid(self, item):
        return f"tag:{self._host},2026:{item.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published or item.updated

    def item_updateddate(self, item):
        return item.updated or timezone.now()

    def item_author_name(self, item):
        return item.author or None

    def item_categories(self, item):
        return item.categories


# Public feeds are for anonymous readers; secret addresses stand in for a login.
community_feed = login_not_required(CommunityFeed())


def discovery_links(view_name: str, kwargs: dict, community: Community) -> list[tuple[str, str]]:
    """(title, href) of the public feeds that mirror this page, for `<link rel="alternate">` (no query)."""
    if community.visibility != Community.Visibility.PUBLIC:
        return []
    params = {k: v for k, v in kwargs.items() if k != "slug"}
    return [
        (f"{source.title} · {community.name}", public_url(community, source, params))
        for source in extensions.feed_sources_for_page(view_name)
    ]
