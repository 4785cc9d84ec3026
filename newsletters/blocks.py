"""What the newsletter shows inside other apps' pages (through the registry: forums never imports newsletters)."""

from communities.extensions import PageBlock

from .models import Newsletter
from .permissions import can_read_archive


def article_of_the_month(community, user) -> dict | None:
    """The article the latest sent issue picked, first on the community's Articles page (one query)."""
    if not can_read_archive(user, community):
        return None
    issue = (
        Newsletter.objects.filter(community=community, status=Newsletter.Status.SENT, article__isnull=False)
        .order_by("-period", "-pk")
        .only("pk", "period", "article", "subject")
        .first()
    )
    if issue is None or not (issue.article or {}).get("url"):
        return None
    return {"article": issue.article, "issue": issue, "community": community}


BLOCKS = (
    PageBlock(
        key="newsletters.article_of_the_month",
        slot="forums.articles",
        template="newsletters/_article_of_the_month.html",
        context=article_of_the_month,
    ),
)
