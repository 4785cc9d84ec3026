from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities import extensions
from communities.models import ModerationAction
from cop_platform.anonymous_pages import anonymous_page
from cop_platform.http import id_or_404

from .. import follow_ups, permissions, post_fragments, selectors, services
from ..forms import ModerationReasonForm, ReplyForm, ThreadEditForm, ThreadForm
from ..models import Category, Post, Thread
from ._helpers import community_view, thread_view


def _allowed_kinds(user, community):
    return [k for k in Thread.Kind.values if permissions.can_post_kind(user, community, k)]


@login_required
@community_view
def thread_create(request, community):
    categories = Category.objects.active().filter(community=community).select_related("community")
    refusal = permissions.start_thread_refusal(request.user, community, categories)
    if refusal:
        return render(
            request,
            "forums/thread_refused.html",
            {
                "community": community,
                "tab": "forums",
                "reason": refusal,
                "can_manage_categories": permissions.can_manage_categories(request.user, community),
            },
            status=403,
        )
    startable = [c.pk for c in categories if permissions.can_start_thread(request.user, c)]
    categories = categories.filter(pk__in=startable)
    initial = {"category": request.GET.get("category"), "kind": request.GET.get("kind", Thread.Kind.DISCUSSION)}
    source = follow_ups.source_of(request)
    if source is not None:
        initial |= follow_ups.initial_for(source[1])
    form = ThreadForm(
        request.POST or None, categories=categories, kinds=_allowed_kinds(request.user, community), initial=initial
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = services.render_body(form.cleaned_data["body"])[0]
        else:
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    thread = services.thread_create(
                        category=data["category"],
                        author=request.user,
                        kind=data["kind"],
                        title=data["title"],
                        body=data["body"],
                        tags=data["tags"],
                    )
                    if extensions.attachment_forms("forums.post"):
                        extensions.save_attachments("forums.post", thread.posts.get(is_opening=True), request)
                    if source is not None:
                        extensions.followed_up(source[0], source[1].obj, thread.get_absolute_url(), request.user)
            except (services.ForumError, ValidationError) as exc:
                form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            else:
                if thread.is_hidden:
                    messages.info(
                        request,
                        "Thanks! New members' posts with several links wait for a facilitator "
                        "to approve them; yours will appear soon.",
                    )
                else:
                    messages.success(request, "Your thread is live.")
                return redirect(thread)
    return render(
        request,
        "forums/thread_form.html",
        {"community": community, "tab": "forums", "form": form, "preview": preview, "follow_up": source},
    )


def _url_base(name: str, *args) -> str:
    """A URL pattern's address up to its last `<int:pk>/`, reversed once a page: rows add `{pk}/` themselves."""
    url = reverse(name, args=[*args, 0])
    assert url.endswith("/0/"), url
    return url[:-2]


@anonymous_page
@login_not_required
@thread_view(lookup=selectors.thread_for_page)
def thread_detail(request, thread):
    """The thread page: opening post, accepted answer, and replies as a tree, paged by top-level reply.

    Per-post work is kept to what differs per post: rights are decided once a page (`permissions.post_rights`),
    links are built from bases reversed once, the page is one index range of posts (`selectors.page_posts`), and
    each post's HTML comes from the cache whenever someone was shown the same thing (`post_fragments`).
    """
    user = request.user
    community = thread.community
    # The breadcrumb links to the category, whose address names the community: the thread's own (a move keeps a
    # thread in its community).
    thread.category.community = community
    moderator = permissions.can_moderate(user, community)
    page = selectors.reply_page(thread, request.GET.get("page"))
    posts, accepted = selectors.page_posts(user, thread, page, moderator=moderator)
    shown = [*posts, *([accepted] if accepted else [])]
    attachments = extensions.attachments_for("forums.post", shown, user)
    thread_link = f"{_url_base('forums:thread_detail', community.slug)}{thread.pk}/"
    can_reply = permissions.can_reply(user, thread)
    facts = post_fragments.PageFacts(
        viewer_id=user.pk if user.is_authenticated else None,
        thread_author_id=thread.author_id,
        thread_link=thread_link,
        post_base=_url_base("forums:post_permalink", community.slug),
        people_base=_url_base("communities:profile_detail"),
        moderator=moderator,
        can_reply=can_reply,
        can_accept=permissions.can_accept_answer(user, thread),
        rights=permissions.post_rights(user, thread),
    )
    for post in shown:
        post.thread = thread  # every permission check on the page reads the thread: no query per post
    opening, roots = selectors.build_tree(posts)
    reacted = selectors.my_reactions(user, [p.pk for p in posts])
    read_at = getattr(thread, "read_at", None)

    def fragment(post, **shown_as):
        thanked, found_helpful = (post.pk, "thanks") in reacted, (post.pk, "helpful") in reacted
        context = post_fragments.post_context(post, facts, thanked=thanked, found_helpful=found_helpful, **shown_as)
        return context, attachments.of(post)

    head = [fragment(opening)] if opening is not None else []
    if accepted is not None:
        head.append(fragment(accepted, accepted=True, copy=True))
    replies = [
        fragment(
            node.post,
            indent=node.indent,
            is_new=read_at is not None and node.post.created_at > read_at,
            accepted=node.post.pk == thread.accepted_post_id,
        )
        for node in selectors.flatten(roots)
    ]
    html = post_fragments.render_posts(request, [*head, *replies])
    if user.is_authenticated and permissions.is_active_member(user, community):
        selectors.mark_read(thread, user, read_at)
    return render(
        request,
        "forums/thread_detail.html",
        {
            "community": community,
            "tab": "forums",
            "thread": thread,
            "thread_link": thread_link,
            "tags": selectors.thread_tags(thread),
            "opening": opening,
            "opening_editable": opening is not None and facts.rights(opening)[0],
            "opening_html": html[0] if opening is not None else "",
            "accepted_html": html[len(head) - 1] if accepted is not None else "",
            "replies_html": html[len(head) :],
            "page": page,
            "moderator": moderator,
            "can_reply": can_reply,
            "reply_form": ReplyForm(),
            "move_categories": selectors.community_categories(community) if moderator else [],
        },
    )


@login_required
@thread_view
def thread_reply(request, thread):
    """Reply to the thread or to one post of it (GET shows the form, optionally quoting a post)."""
    if not permissions.can_reply(request.user, thread):
        raise PermissionDenied(permissions.reply_refusal(request.user, thread) or "This thread takes no replies.")
    parent = None
    parent_id = request.POST.get("parent") or request.GET.get("parent")
    if parent_id:
        parent = get_object_or_404(Post, pk=id_or_404(parent_id), thread=thread, status=Post.Status.PUBLISHED)
        parent.thread = thread
    initial = {"parent": parent.pk if parent else None}
    quote_id = request.GET.get("quote")
    if quote_id:
        quoted = get_object_or_404(
            Post, pk=id_or_404(quote_id), thread=thread, status=Post.Status.PUBLISHED, is_deleted=False
        )
        who = quoted.author.handle if quoted.author else "someone"
        initial["body"] = f"@{who} wrote:\n\n" + "\n".join(f"> {line}" for line in quoted.body.splitlines()) + "\n\n"
        initial["parent"] = quoted.pk
        parent = parent or quoted
    form = ReplyForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = services.render_body(form.cleaned_data["body"])[0]
        else:
            try:
                with transaction.atomic():
                    post = services.post_reply(
                        thread=thread, author=request.user, body=form.cleaned_data["body"], parent=parent
                    )
                    extensions.save_attachments("forums.post", post, request)
            except (services.ForumError, ValidationError) as exc:
                form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            else:
                if post.status == Post.Status.HELD:
                    messages.info(
                        request,
                        "Thanks! New members' posts with several links wait for a facilitator "
                        "to approve them; yours will appear soon.",
                    )
                return redirect(post)
    return render(
        request,
        "forums/reply_form.html",
        {
            "community": thread.community,
            "tab": "forums",
            "thread": thread,
            "parent": parent,
            "form": form,
            "preview": preview,
        },
    )


@login_required
@thread_view
def thread_edit(request, thread):
    opening = thread.posts.get(is_opening=True)
    opening.thread = thread
    if not permissions.can_edit_post(request.user, opening):
        raise PermissionDenied
    form = ThreadEditForm(request.POST or None, initial={"title": thread.title, "tags": list(thread.tags.all())})
    if request.method == "POST" and form.is_valid():
        services.thread_edit(
            thread=thread, editor=request.user, title=form.cleaned_data["title"], tags=form.cleaned_data["tags"]
        )
        messages.success(request, "Thread updated.")
        return redirect(thread)
    return render(
        request,
        "forums/thread_edit.html",
        {"community": thread.community, "tab": "forums", "thread": thread, "form": form},
    )


@login_required
@require_POST
@thread_view
def thread_follow(request, thread):
    follow = request.POST.get("follow") == "1"
    try:
        services.thread_follow(thread=thread, user=request.user, follow=follow)
    except services.ForumError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, "You follow this thread." if follow else "You no longer follow this thread.")
    return redirect(thread)


@login_required
@require_POST
@thread_view
def thread_accept(request, thread):
    post_id = request.POST.get("post")
    post = get_object_or_404(Post, pk=id_or_404(post_id), thread=thread) if post_id else None
    try:
        services.answer_accept(thread=thread, post=post, by=request.user)
    except services.ForumError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, "Marked as the accepted answer." if post else "The accepted answer was cleared.")
    return redirect(thread)


@login_required
@require_POST
@thread_view
def thread_moderate(request, thread):
    if not permissions.can_moderate(request.user, thread.community):
        raise PermissionDenied
    action = request.POST.get("action", "")
    form = ModerationReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if action == ModerationAction.Action.MOVE:
        category = get_object_or_404(Category, pk=id_or_404(request.POST.get("category")), community=thread.community)
        services.thread_move(thread=thread, category=category, by=request.user)
        messages.success(request, f"Moved to {category.name}.")
    else:
        try:
            services.thread_moderate(thread=thread, by=request.user, action=action, reason=reason)
        except services.ForumError as exc:
            raise Http404 from exc
        messages.success(request, f"Thread {ModerationAction.Action(action).label.lower()}.")
    return redirect(thread)
