"""Demo conversations for `manage.py seed_demo`: the facilitator's back channel with the demo member, and a
three-way conversation about a benefits register. Sent through the services, so alerts and notices follow."""

from .models import Conversation
from .services import conversation_start, message_post


def seed(cast: dict) -> None:
    """Add two conversations in the PPM community, once."""
    ppm, facilitator, member, people = cast["ppm"], cast["facilitator"], cast["member"], cast["people"]
    if Conversation.objects.filter(community=ppm).exists():
        return
    first = conversation_start(
        sender=facilitator,
        recipients=[member],
        community=ppm,
        subject="Your gateway review experience",
        body=(
            "Hi! I saw your comment about the Gateway 3 review last month. Would you be willing to share what "
            "the review team asked for? A short post in **Assurance and gateway reviews** would help a lot of "
            "people preparing for their first one."
        ),
    )
    message_post(
        conversation=first,
        author=member,
        body="Happy to. I'll write up the three questions that caught us out and post them this week.",
    )
    message_post(
        conversation=first,
        author=facilitator,
        body="Brilliant, thank you. Tag it *gateway* and I'll pin it for a fortnight.",
    )
    others = [p for p in people[:4] if p.pk not in (facilitator.pk, member.pk)][:2]
    if others:
        second = conversation_start(
            sender=member,
            recipients=others,
            community=ppm,
            subject="Benefits register template",
            body=(
                "Does either of you have a benefits register that finance signed off? Ours keeps getting sent "
                "back because the baselines are not agreed. Anything you can share would help."
            ),
        )
        message_post(
            conversation=second,
            author=others[0],
            body=(
                "Ours is in the library: search for *benefits profile*. The trick was agreeing the baseline "
                "with finance **before** the business case went in."
            ),
        )
