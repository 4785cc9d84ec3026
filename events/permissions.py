"""Who may do what with events. Views, templates and services all ask these functions.

Readers of the community see its events; active members answer (going, interested, can't go) until an event ends;
facilitators create, edit, cancel, read the attendee list and registration answers, export it and mark attendance.
Facilitators and the event's member speakers write the notes afterwards. The online joining link is for those who
hold a place (and the facilitators who set it up), never for anyone else.
"""

from communities.extensions import Rule
from communities.models import Community
from communities.permissions import can_manage_members, can_participate, can_view_community

from .models import Event, Registration


def can_view_event(user, event: Event) -> bool:
    """Readers of the community see its events."""
    return can_view_community(user, event.community)


def can_create_event(user, community: Community) -> bool:
    """Facilitators plan events while the community is not archived."""
    return not community.is_archived and can_manage_members(user, community)


def can_edit_event(user, event: Event) -> bool:
    """Facilitators change or cancel events while the community is not archived."""
    return can_create_event(user, event.community)


def can_manage_attendees(user, event: Event) -> bool:
    """Facilitators read the attendee list and the answers to registration questions, export it, mark attendance."""
    return can_manage_members(user, event.community)


def can_rsvp(user, event: Event) -> bool:
    """Active members answer until the event ends, unless it was cancelled."""
    return not event.is_cancelled and not event.is_past and can_participate(user, event.community)


def is_speaker(user, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    return any(s.user_id == user.pk for s in event.speakers.all())


def can_write_notes(user, event: Event) -> bool:
    """Facilitators and the event's member speakers post the notes, files and recording once it has started."""
    if event.community.is_archived:
        return False
    return can_manage_members(user, event.community) or (
        is_speaker(user, event) and can_participate(user, event.community)
    )


def registration_of(user, event: Event) -> Registration | None:
    """The user's registration; views set `event.my_registration` so pages ask for free."""
    if not user.is_authenticated:
        return None
    if hasattr(event, "my_registration"):
        return event.my_registration
    event.my_registration = event.registrations.filter(user=user).first()
    return event.my_registration


def can_see_online_link(user, event: Event) -> bool:
    """The joining link is for members holding a place, and the facilitators who run the event."""
    if not event.is_online or not event.online_url or event.is_cancelled:
        return False
    if can_manage_members(user, event.community):
        return True
    registration = registration_of(user, event)
    return registration is not None and registration.has_place and can_participate(user, event.community)


def can_open_follow_up(user, event: Event) -> bool:
    """Facilitators open one follow-up discussion from an event once it has started."""
    return not event.follow_up_url and can_write_notes(user, event) and can_manage_members(user, event.community)


RULES = (
    Rule(key="events.view", check=can_view_event),
    Rule(key="events.create", check=can_create_event),
    Rule(key="events.edit", check=can_edit_event),
    Rule(key="events.manage_attendees", check=can_manage_attendees),
    Rule(key="events.rsvp", check=can_rsvp),
    Rule(key="events.write_notes", check=can_write_notes),
    Rule(key="events.see_online_link", check=can_see_online_link),
    Rule(key="events.open_follow_up", check=can_open_follow_up),
)
