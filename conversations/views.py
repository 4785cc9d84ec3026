from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities import extensions
from communities.access import community_or_404
from communities.models import Community, Membership
from communities.permissions import active_memberships

from . import permissions, selectors, services
from .forms import ComposeForm, ReplyForm, ReportForm
from .models import Block, Conversation, Message, MessageReport

User = get_user_model()


@login_required
def conversation_list(request):
    """The member's conversations, latest first, unread ones marked."""
    page = selectors.conversation_list(request.user, selectors.page_number(request.GET.get("page")))
    return render(request, "conversations/conversation_list.html", {"page": page})


def _int(raw) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**63 else None


def _about(request, community: Community | None):
    """The question an "invite to answer" message is about, as the sender may read it, or None. Only those who may
    invite to answer it (its community's facilitators) get the invitation: anyone else is refused."""
    kind, _, raw_pk = request.GET.get("about", "").partition(":")
    pk = _int(raw_pk)
    if community is None or kind != permissions.INVITE_KIND or pk is None:
        return None
    content = extensions.content_of(kind, request.user, pk)
    if content is None or content.community_id != community.pk:
        return None
    if not permissions.can_invite_to_answer(request.user, content.obj):
        raise PermissionDenied("Only the community's facilitators invite members to answer its open questions.")
    return content


def _may_read(content, person) -> bool:
    """The recipient can open the question the message links to."""
    return extensions.content_of(permissions.INVITE_KIND, person, content.obj.pk) is not None


def _invitation(content, person) -> tuple[str, str]:
    """(subject, opening text) of an invitation to answer, naming the question with its link."""
    greeting = f"Hello {person.first_name or person.display_name},\n\n" if person is not None else ""
    return (
        f"Could you answer: {content.title}"[:200],
        f"{greeting}I think you could help with this question: [{content.title}]({content.url})\n\n",
    )


@login_required
def compose(request):
    """Start a conversation: with one person (from their profile, the directory or the welcome queue) or, inside a
    community, with members chosen from it (e.g. inviting them to answer a question, `to` pre-selecting the member
    suggested for it)."""
    user = request.user
    person_id = _int(request.GET.get("to"))
    inviting = bool(request.GET.get("about"))
    community_id = _int(request.GET.get("in") or request.POST.get("community"))
    slug = request.GET.get("community")
    own = {m.community_id: m.community for m in active_memberships(user)}
    if slug and community_id is None:
        community_id = next((pk for pk, c in own.items() if c.slug == slug), None)
    person = suggested = None
    if person_id is not None and not inviting:
        person = get_object_or_404(User, pk=person_id, is_active=True)
        communities = permissions.shared_communities(user, person)
        if community_id is not None:
            communities = [c for c in communities if c.pk == community_id] or communities
        if not communities:
            raise PermissionDenied("You can't message this member.")
        people = User.objects.filter(pk=person.pk)
    else:
        community = own.get(community_id) if community_id is not None else None
        if community is None or not permissions.can_start_in(user, community):
            return render(request, "conversations/compose_help.html", {}, status=200 if community_id is None else 403)
        communities = [community]
        people = (
            User.objects.filter(
                Exists(Membership.objects.active().filter(user_id=OuterRef("pk"), community=community)),
                is_active=True,
            )
            .exclude(pk=user.pk)
            .exclude(pk__in=permissions.blocked_by(user))
            .order_by("first_name", "last_name", "pk")
        )
        if person_id is not None:
            # The same refusal as messaging them from their profile: not a fellow member, or out of reach.
            suggested = people.filter(pk=person_id).first()
            if suggested is None:
                raise PermissionDenied("You can't message this member.")
    content = _about(request, communities[0] if len(communities) == 1 else None)
    if content is not None and suggested is not None and not _may_read(content, suggested):
        suggested = None  # the link would not open for them: let the facilitator choose someone else
    # A subject proposed by the link (e.g. the topic on the ask-who-knows page); plain text, still editable.
    subject, opening = (
        _invitation(content, suggested) if content is not None else (request.GET.get("subject", "")[:200], "")
    )
    chosen = [person.pk] if person else [suggested.pk] if suggested else []
    form = ComposeForm(
        request.POST or None,
        communities=communities,
        people=people,
        fixed_people=person is not None,
        initial={"recipients": chosen, "subject": subject, "body": opening},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unable = [p for p in data["recipients"] if content is not None and not _may_read(content, p)]
        if unable:
            names = ", ".join(p.display_name for p in unable)
            form.add_error("recipients", f"{names} can't open this question, so the link would not work for them.")
        else:
            try:
                conversation = services.conversation_start(
                    sender=user,
                    recipients=data["recipients"],
                    community=data["community"],
                    body=data["body"],
                    subject=data["subject"],
                )
            except services.ConversationRefused as refusal:
                form.add_error(None, refusal)
            else:
                messages.success(request, "Message sent.")
                return redirect(conversation)
    return render(
        request,
        "conversations/compose.html",
        {"form": form, "person": person, "suggested": suggested, "about": content, "communities": communities},
        status=400 if request.method == "POST" else 200,
    )


def _detail(request, pk: int, form=None, status: int = 200):
    if pk >= 2**63 or not services.conversation_mark_read(conversation_id=pk, user=request.user):
        raise Http404
    participants = selectors.participants_with_blocks(pk, request.user)
    conversation = participants[0].conversation
    page = selectors.messages_page(pk, request.user, selectors.page_number(request.GET.get("page")))
    can_reply = permissions.can_reply(request.user, conversation)
    return render(
        request,
        "conversations/conversation_detail.html",
        {
            "conversation": conversation,
            "participants": participants,
            "others": [p for p in participants if p.user_id != request.user.pk],
            "page": page,
            "can_reply": can_reply,
            "form": form or (ReplyForm() if can_reply else None),
        },
        status=status,
    )


@login_required
def conversation_detail(request, pk):
    """Only participants who have not left read a conversation; everyone else gets a 404, as if it did not exist."""
    return _detail(request, pk)


def _mine(request, pk) -> Conversation:
    if pk >= 2**63:
        raise Http404
    return get_object_or_404(Conversation.objects.of(request.user).select_related("community"), pk=pk)


@login_required
@require_POST
def conversation_reply(request, pk):
    conversation = _mine(request, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            message = services.message_post(
                conversation=conversation, author=request.user, body=form.cleaned_data["body"]
            )
        except services.ConversationRefused as refusal:
            form.add_error(None, refusal)
        else:
            return redirect(message.get_absolute_url())
    return _detail(request, conversation.pk, form=form, status=400)


@login_required
@require_POST
def conversation_leave(request, pk):
    conversation = _mine(request, pk)
    services.conversation_leave(conversation=conversation, user=request.user)
    messages.success(request, "You left the conversation. New messages in it will not reach you.")
    return redirect("conversations:conversation_list")


@login_required
def message_report(request, pk, message_pk):
    """A participant reports one message to the facilitators of the conversation's community."""
    conversation = _mine(request, pk)
    message = get_object_or_404(Message.objects.select_related("author"), pk=message_pk, conversation=conversation)
    if not permissions.can_report(request.user, message):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.message_report(message=message, reporter=request.user, note=form.cleaned_data["note"])
        messages.success(request, f"Thank you. The facilitators of {conversation.community.name} will look at it.")
        return redirect(conversation)
    return render(
        request, "conversations/report_form.html", {"conversation": conversation, "message": message, "form": form}
    )


@login_required
def block_list(request):
    blocks = Block.objects.filter(blocker=request.user).select_related("blocked__profile").order_by("-created_at")
    return render(request, "conversations/block_list.html", {"blocks": blocks})


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@login_required
@require_POST
def member_block(request, user_pk):
    blocked = get_object_or_404(User, pk=user_pk)
    try:
        services.member_block(blocker=request.user, blocked=blocked)
    except services.ConversationRefused as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, f"You blocked {blocked.display_name}. They will not be able to message you.")
    return redirect(_back(request, reverse("conversations:block_list")))


@login_required
@require_POST
def member_unblock(request, user_pk):
    blocked = get_object_or_404(User, pk=user_pk)
    services.member_unblock(blocker=request.user, blocked=blocked)
    messages.success(request, f"{blocked.display_name} can message you again.")
    return redirect(_back(request, reverse("conversations:block_list")))


@login_required
def report_list(request, slug):
    """The community's facilitators read reported messages: each report shows that one message, nothing else."""
    community = community_or_404(request, slug)
    if not permissions.can_review_reports(request.user, community):
        raise PermissionDenied
    page = selectors.open_reports(community, selectors.page_number(request.GET.get("page")))
    return render(
        request, "conversations/report_list.html", {"community": community, "page": page, "tab": "message_reports"}
    )


@login_required
@require_POST
def report_close(request, slug, pk):
    community = community_or_404(request, slug)
    if not permissions.can_review_reports(request.user, community):
        raise PermissionDenied
    report = get_object_or_404(MessageReport, pk=pk, community=community)
    services.report_close(report=report, by=request.user)
    messages.success(request, "Report marked as dealt with.")
    return redirect("conversations:report_list", slug=community.slug)
