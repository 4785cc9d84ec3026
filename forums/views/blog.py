"""Member blogs: each member's articles, in every community the viewer may read, with a public Atom feed."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from communities.views._helpers import paginate

from ..models import Thread


def _articles(viewer, person):
    return (
        Thread.objects.visible_to(viewer)
        .filter(author=person, kind=Thread.Kind.ARTICLE)
        .select_related("community", "category")
        .prefetch_related("tags")
        .order_by("-created_at", "-pk")
    )


@login_not_required
def member_blog(request, pk):
    """A member's articles as a blog page; only articles in communities the viewer may read."""
    person = get_object_or_404(get_user_model().objects.select_related("profile"), pk=pk, is_active=True)
    return render(
        request,
        "forums/member_blog.html",
        {"person": person, "page": paginate(request, _articles(request.user, person), per_page=10)},
    )


class MemberBlogFeed(Feed):
    """The blog's Atom feed: public communities' articles only (a feed reader is anonymous)."""

    feed_type = Atom1Feed

    def get_object(self, request, pk):
        return get_object_or_404(get_user_model(), pk=pk, is_active=True)

    def title(self, person):
        return f"Articles by {person.display_name} · {settings.PLATFORM_NAME}"

    def link(self, person):
        return f"{settings.SITE_URL}{reverse('forums_blog:member_blog', args=[person.pk])}"

    def feed_url(self, person):
        return f"{settings.SITE_URL}{reverse('forums_blog:member_blog_feed', args=[person.pk])}"

    def author_name(self, person):
        return person.display_name

    def items(self, person):
        return list(_articles(AnonymousUser(), person)[:30])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"An article in {item.community.name} · {item.category.name}"

    def item_link(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    def item_guid(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.last_activity_at

    def item_categories(self, item):
        return [t.name for t in item.tags.all()]


member_blog_feed = login_not_required(MemberBlogFeed())
