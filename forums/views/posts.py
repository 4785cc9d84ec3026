from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import permissions, selectors, services
from ..forms import FlagForm, PostEditForm
from ..models import Post, Reaction
from ._helpers import post_view


@login_not_required
@post_view
def post_permalink(request, post):
    """A post's own address: the page of its thread that shows it, scrolled to it."""
    thread = post.thread
    root_id = post.branch_id
    page = 1
    if root_id is not None:
        moderator = permissions.can_moderate(request.user, thread.community)
        roots = selectors.root_page_bounds(request.user, thread, moderator=moderator)
        root = roots.filter(pk=root_id).values_list("created_at", flat=True).first()
        if root is not None:
            before = roots.filter(created_at__lt=root).count()
            page = before // selectors.ROOTS_PER_PAGE + 1
    url = thread.get_absolute_url() + (f"?page={page}" if page > 1 else "")
    return redirect(f"{url}#{post.anchor}")


@login_required
@post_view
def post_edit(request, post):
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    form = PostEditForm(request.POST or None, initial={"body": post.body})
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = services.render_body(form.cleaned_data["body"])[0]
        else:
            services.post_edit(post=post, editor=request.user, body=form.cleaned_data["body"])
            messages.success(request, "Your changes are saved.")
            return redirect(post)
    return render(
        request,
        "forums/post_edit.html",
        {"community": post.thread.community, "tab": "forums", "post": post, "form": form, "preview": preview},
    )


@login_required
@require_POST
@post_view
def post_delete(request, post):
    try:
        services.post_delete(post=post, by=request.user)
    except services.ForumError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, "Your post was removed. Replies to it stay in the thread.")
    return redirect(post.thread)


@login_required
@require_POST
@post_view
def post_react(request, post, kind):
    if kind not in Reaction.Kind.values:
        raise PermissionDenied
    try:
        services.reaction_toggle(post=post, user=request.user, kind=kind)
    except services.ForumError as exc:
        raise PermissionDenied(str(exc)) from exc
    return redirect(post)


@login_required
@post_view
def post_flag(request, post):
    if not permissions.can_flag(request.user, post):
        raise PermissionDenied
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        flag = services.post_flag(
            post=post, reporter=request.user, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
        )
        if flag is None:
            messages.info(request, "You have already flagged this post; the facilitators will look at it.")
        else:
            messages.success(request, "Thank you. The facilitators will look at this post.")
        return redirect(post)
    return render(
        request,
        "forums/post_flag.html",
        {"community": post.thread.community, "tab": "forums", "post": post, "form": form},
    )


@login_required
@post_view
def post_revisions(request, post):
    if not permissions.can_view_revisions(request.user, post):
        raise PermissionDenied
    revisions = post.revisions.select_related("editor")
    return render(
        request,
        "forums/post_revisions.html",
        {"community": post.thread.community, "tab": "forums", "post": post, "revisions": revisions},
    )


@login_required
@require_POST
@post_view
def post_moderate(request, post):
    """Hide, restore, approve or reject a held post, or dismiss the flags on it."""
    action = request.POST.get("action")
    reason = request.POST.get("reason", "")[:2000]
    was_held = post.status == Post.Status.HELD
    try:
        if action == "dismiss":
            services.flag_dismiss(post=post, by=request.user, reason=reason)
            messages.success(request, "Flags dismissed; the post stays.")
        elif action == "hide":
            services.post_hide(post=post, by=request.user, reason=reason)
            messages.success(request, "Post hidden from members.")
        elif action == "restore":
            services.post_restore(post=post, by=request.user, reason=reason)
            messages.success(request, "Post approved and published." if was_held else "Post is visible again.")
        elif action == "reject":
            services.post_reject(post=post, by=request.user, reason=reason)
            messages.success(request, "Post rejected; its author has been emailed your reason and their text.")
        else:
            raise PermissionDenied
    except services.ForumError as exc:
        if action == "reject" and was_held:  # a missing reason: say so and let the facilitator try again
            messages.error(request, str(exc))
            return redirect("forums:moderation_queue", slug=post.thread.community.slug)
        raise PermissionDenied(str(exc)) from exc
    next_url = request.POST.get("next")
    if next_url == "queue":
        return redirect("forums:moderation_queue", slug=post.thread.community.slug)
    return redirect(post.thread if post.status != Post.Status.PUBLISHED or action == "dismiss" else post)
