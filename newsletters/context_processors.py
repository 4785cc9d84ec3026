from .notifications import UNREAD_CAP, unread_count


def notifications(request):
    """The bell's unread count (read lazily: pages that do not show the bell ask nothing)."""
    user = getattr(request, "user", None)

    def bell():
        if user is None or not user.is_authenticated:
            return None
        count = unread_count(user)
        return {"count": count, "label": f"{UNREAD_CAP}+" if count > UNREAD_CAP else str(count)}

    return {"notification_bell": bell}
