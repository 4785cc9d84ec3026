"""Hot-seat reads with a fixed number of queries, whatever the number of questions and answers."""

from django.db.models import Prefetch, Q

from communities.models import Community

from .models import Answer, Expert, HotSeat, Question, Vote

QUESTIONS_PER_PAGE = 50


def hotseat_page_queryset():
    """Hot seats with their community, theme and experts (with profiles) in two queries."""
    return HotSeat.objects.select_related("community", "theme__community", "created_by").prefetch_related(
        Prefetch("experts", queryset=Expert.objects.select_related("user__profile"))
    )


def questions(hotseat: HotSeat, *, order: str = "votes", unanswered_only: bool = False):
    """Listed questions with askers and answers (with their experts), by votes or newest first."""
    qs = (
        Question.objects.listed()
        .filter(hotseat=hotseat)
        .select_related("asker__profile")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("expert__profile")))
    )
    if unanswered_only:
        qs = qs.filter(answer_count=0)
    if order == "new":
        return qs.order_by("-created_at", "-pk")
    return qs.order_by("-vote_count", "created_at", "pk")


def my_votes(user, question_ids) -> set[int]:
    if not user.is_authenticated or not question_ids:
        return set()
    return set(Vote.objects.filter(user=user, question_id__in=question_ids).values_list("question_id", flat=True))


def profile_hotseats(person, viewer) -> dict:
    """Hot seats the person held as an expert, in communities the viewer may read."""
    held = (
        HotSeat.objects.filter(experts__user=person, experts__accepted_at__isnull=False)
        .filter(Q(community__in=Community.objects.visible_to(viewer)))
        .select_related("community")
        .order_by("-opens_at")
        .distinct()[:10]
    )
    return {"hotseats": list(held)}
