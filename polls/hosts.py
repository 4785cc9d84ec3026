"""Polls shown inside another app's page (a forum thread is the poll's "host").

Polls never import the host's app. The host app says, through the extension registry, who may read its object
and who may take part in it; a poll in a page nobody may read is not readable either, and a poll in a page that
takes no part (a locked or closed thread) takes no votes. A host type nobody registered fails closed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType


@dataclass(frozen=True)
class HostType:
    """Checks a host app answers for its objects: (user, obj) -> bool."""

    can_view: Callable
    can_take_part: Callable
    can_attach: Callable  # may this user add a poll to this object?
    label: str  # how the host is named on the poll page, e.g. "thread"


HOST_TYPES: dict[str, HostType] = {}


def register_host(model_label: str, host_type: HostType) -> None:
    HOST_TYPES[model_label.lower()] = host_type


def host_type_of(poll) -> HostType | None:
    if poll.host_type_id is None:
        return None
    content_type = ContentType.objects.get_for_id(poll.host_type_id)  # cached by Django after the first lookup
    return HOST_TYPES.get(f"{content_type.app_label}.{content_type.model}")


def host_object(poll):
    """The host object (cached on the poll), or None for a standalone poll or a host that no longer exists."""
    if poll.host_type_id is None:
        return None
    if not hasattr(poll, "_host_object"):
        content_type = ContentType.objects.get_for_id(poll.host_type_id)
        poll._host_object = content_type.get_all_objects_for_this_type(pk=poll.host_id).first()
    return poll._host_object


def set_host_object(poll, obj) -> None:
    """The host page already holds its object: hand it to the poll so checks cost no query."""
    poll._host_object = obj


def can_view_host(user, poll) -> bool:
    if poll.host_type_id is None:
        return True
    host_type, obj = host_type_of(poll), host_object(poll)
    return host_type is not None and obj is not None and host_type.can_view(user, obj)


def host_takes_part(user, poll) -> bool:
    if poll.host_type_id is None:
        return True
    host_type, obj = host_type_of(poll), host_object(poll)
    return host_type is not None and obj is not None and host_type.can_take_part(user, obj)
