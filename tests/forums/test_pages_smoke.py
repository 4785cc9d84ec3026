from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from communities.models import SearchDocument
from forums import services
from forums.models import Post

pytestmark = pytest.mark.django_db


def test_forum_pages_render_for_members_and_moderators(
    community, facilitator, member, question, as_member, as_facilitator
):
    reply = services.post_reply(thread=question, author=facilitator, body="Start with the **IPA** guidance.")
    nested = services.post_reply(thread=question, author=member, body="Thanks @" + facilitator.handle, parent=reply)
    services.post_edit(post=nested, editor=member, body="Thanks a lot @" + facilitator.handle)
    slug = community.slug
    member_urls = [
        reverse("forums:latest", args=[slug]),
        reverse("forums:unanswered", args=[slug]),
        reverse("forums:mine", args=[slug]),
        reverse("forums:articles", args=[slug]),
        reverse("forums:tag_list", args=[slug]),
        reverse("forums:tag_detail", args=[slug, "assurance"]),
        reverse("forums:category_detail", args=[slug, question.category.slug]),
        reverse("forums:thread_create", args=[slug]),
        question.get_absolute_url(),
        reverse("forums:thread_reply", args=[slug, question.pk]) + f"?quote={reply.pk}",
        reverse("forums:thread_edit", args=[slug, question.pk]),
        reverse("forums:post_edit", args=[slug, nested.pk]),
        reverse("forums:post_flag", args=[slug, reply.pk]),
        reverse("communities:profile_detail", args=[member.pk]),
    ]
    for url in member_urls:
        assert as_member.get(url).status_code == 200, url
    moderator_urls = [
        question.get_absolute_url(),
        reverse("forums:moderation_queue", args=[slug]),
        reverse("forums:moderation_log", args=[slug]),
        reverse("forums:category_manage", args=[slug]),
        reverse("forums:post_revisions", args=[slug, nested.pk]),
    ]
    for url in moderator_urls:
        assert as_facilitator.get(url).status_code == 200, url
    page = as_member.get(question.get_absolute_url()).content.decode()
    assert f'href="/people/{facilitator.pk}/"' in page
    assert as_member.get(nested.get_absolute_url()).url.endswith(f"#post-{nested.pk}")
    assert Post.objects.get(pk=nested.pk).revisions.count() == 1


def test_reindex_command_rebuilds_search_for_threads_and_replies(question, facilitator, as_member):
    services.post_reply(thread=question, author=facilitator, body="Read the IPA workbook on assurance.")
    SearchDocument.objects.all().delete()
    call_command("reindex_forums", stdout=StringIO())
    html = as_member.get("/search/", {"q": "workbook"}).content.decode()
    assert "How do you run a gateway review?</a></h2>" in html
    assert SearchDocument.objects.count() == 2


@pytest.mark.parametrize("pk", [0, 2**31, 2**63 - 1, 2**63, 10**30])
def test_a_thread_address_with_no_such_thread_is_not_found(client, question, pk):
    # The thread page's SQL is compiled once and run with the address's number as it is: a number no bigint holds
    # must be a 404 like any other missing thread, not a database error.
    assert client.get(f"/c/ppm/forums/t/{pk}/").status_code == 404
    assert client.get(f"/c/ppm/forums/t/{question.pk}/").status_code == 200


def test_a_thread_is_found_only_in_its_own_community(client, question):
    from tests.factories import make_community

    make_community(name="Other", slug="other")
    assert client.get(f"/c/other/forums/t/{question.pk}/").status_code == 404
