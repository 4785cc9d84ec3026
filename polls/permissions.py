"""Who may do what with polls and surveys. Views, templates and services all ask these functions.

Facilitators create polls and surveys, close and reopen them, export them and always see results. Active members
vote and respond while they are open (a survey only asks the members of its segments, when it names any).
Readers of the community see polls and their results as each poll's "show results" setting allows.
"""

from communities.extensions import Rule
from communities.models import Community
from communities.permissions import can_manage_members, can_participate, can_view_community, membership_for

from . import hosts
from .models import Poll, Survey


def _manager(user, community: Community) -> bool:
    return can_manage_members(user, community)


# --- Polls ---------------------------------------------------------------------------------------------------


def can_view_poll(user, poll: Poll) -> bool:
    """Readers of the community see its polls; a poll in another app's page also needs that page to be readable."""
    return can_view_community(user, poll.community) and hosts.can_view_host(user, poll)


def can_create_poll(user, community: Community) -> bool:
    """Facilitators put polls on the community's Polls page while the community is not archived."""
    return not community.is_archived and _manager(user, community)


def can_vote(user, poll: Poll) -> bool:
    """Active members vote, and change their vote, while the poll is open (and its page takes part)."""
    return poll.is_open and can_participate(user, poll.community) and hosts.host_takes_part(user, poll)


def can_edit_poll(user, poll: Poll) -> bool:
    """Facilitators, and the member who made it, edit a poll until it closes."""
    community = poll.community
    if community.is_archived or poll.is_closed:
        return False
    return _manager(user, community) or (
        poll.created_by_id is not None
        and poll.created_by_id == getattr(user, "pk", None)
        and can_participate(user, community)
    )


def can_close_poll(user, poll: Poll) -> bool:
    """Facilitators close a poll early and reopen it."""
    return not poll.community.is_archived and _manager(user, poll.community)


def can_export_poll(user, poll: Poll) -> bool:
    """Facilitators download the votes as CSV."""
    return _manager(user, poll.community)


def has_voted(user, poll: Poll) -> bool:
    """Whether the user has a ballot in this poll; views set `poll.my_ballot` so templates ask for free."""
    if not user.is_authenticated:
        return False
    if hasattr(poll, "my_ballot"):
        return poll.my_ballot is not None
    return poll.ballots.filter(user=user).exists()


def can_see_results(user, poll: Poll) -> bool:
    """Counts show as the poll says (always, once you voted, once it closed); facilitators always see them."""
    if _manager(user, poll.community) or poll.results == Poll.Results.ALWAYS or poll.is_closed:
        return True
    return poll.results == Poll.Results.AFTER_VOTE and has_voted(user, poll)


def can_see_voters(user, poll: Poll) -> bool:
    """Names appear only on polls whose voters are public, and only to those who may see the results."""
    return poll.public_voters and can_see_results(user, poll)


# --- Surveys -------------------------------------------------------------------------------------------------


def can_create_survey(user, community: Community) -> bool:
    """Facilitators write surveys while the community is not archived."""
    return not community.is_archived and _manager(user, community)


def can_view_survey(user, survey: Survey) -> bool:
    """Readers of the community see published surveys; facilitators also see drafts."""
    if not can_view_community(user, survey.community):
        return False
    return not survey.is_draft or _manager(user, survey.community)


def can_manage_survey(user, survey: Survey) -> bool:
    """Facilitators build, publish, close, reopen and remind; they also read the results and export them."""
    return _manager(user, survey.community)


def can_edit_survey(user, survey: Survey) -> bool:
    """The questions can change until the first response arrives (answers must keep meaning what they meant)."""
    return (
        not survey.community.is_archived
        and can_manage_survey(user, survey)
        and survey.response_count == 0
        and not survey.is_closed
    )


def segment_ids(survey: Survey) -> set[int]:
    """The survey's target segments; views prefetch `segments`, so this costs nothing on a page."""
    return {s.pk for s in survey.segments.all()}


def is_targeted(user, survey: Survey) -> bool:
    """Whether the survey asks this member: everyone when it names no segment, else members of any of them."""
    targets = segment_ids(survey)
    if not targets:
        return True
    membership = membership_for(user, survey.community)
    if membership is None:
        return False
    mine = getattr(membership, "_segment_ids", None)
    if mine is None:
        mine = membership._segment_ids = set(membership.segments.values_list("pk", flat=True))
    return bool(targets & mine)


def can_respond(user, survey: Survey) -> bool:
    """Targeted active members respond, and change their response, while the survey is open."""
    return survey.is_open and can_participate(user, survey.community) and is_targeted(user, survey)


def can_see_survey_results(user, survey: Survey) -> bool:
    """Results are the facilitators' feedback: they read them, members do not."""
    return can_manage_survey(user, survey)


def can_remind(user, survey: Survey) -> bool:
    """A facilitator sends the one reminder to members who have not responded, while it is open."""
    return (
        survey.reminder_sent_at is None
        and survey.is_open
        and not survey.community.is_archived
        and can_manage_survey(user, survey)
    )


# The rules templates may ask with {% can %}; registered in AppConfig.ready().
RULES = (
    Rule(key="polls.view", check=can_view_poll),
    Rule(key="polls.create", check=can_create_poll),
    Rule(key="polls.vote", check=can_vote),
    Rule(key="polls.edit", check=can_edit_poll),
    Rule(key="polls.close", check=can_close_poll),
    Rule(key="polls.export", check=can_export_poll),
    Rule(key="polls.see_results", check=can_see_results),
    Rule(key="polls.see_voters", check=can_see_voters),
    Rule(key="polls.create_survey", check=can_create_survey),
    Rule(key="polls.view_survey", check=can_view_survey),
    Rule(key="polls.manage_survey", check=can_manage_survey),
    Rule(key="polls.edit_survey", check=can_edit_survey),
    Rule(key="polls.respond", check=can_respond),
    Rule(key="polls.see_survey_results", check=can_see_survey_results),
    Rule(key="polls.remind", check=can_remind),
)
