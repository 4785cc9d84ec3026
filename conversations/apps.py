from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = "Private conversations"

    def ready(self):
        from urllib.parse import urlencode

        from django.urls import reverse

        from communities.extensions import CommunityTab, DemoSeeder, ObjectAction, register

        from . import activity, demo, permissions
        from .models import MessageReport

        def compose(query: str) -> str:
            return f"{reverse('conversations:compose')}?{query}"

        register(*permissions.RULES, *activity.EVENT_TYPES, *activity.ALERT_TYPES)
        register(
            # Facilitators (and members) write to someone from the directory, the welcome queue and profiles.
            ObjectAction(
                key="conversations.message_member",
                slot="communities.member",
                label="Message",
                url=lambda m: compose(f"to={m.user_id}&in={m.community_id}"),
                rule="conversations.message_member",
            ),
            ObjectAction(
                key="conversations.welcome_message",
                slot="communities.welcome",
                label="Message",
                url=lambda m: compose(f"to={m.user_id}&in={m.community_id}"),
                rule="conversations.message_member",
            ),
            ObjectAction(
                key="conversations.message_person",
                slot="communities.profile",
                label="Send a message",
                url=lambda person: compose(f"to={person.pk}"),
                rule="conversations.message_person",
            ),
            # "Invite to answer": a message carrying the question's link and a note.
            ObjectAction(
                key="conversations.invite_to_answer",
                slot="forums.thread",
                label="Invite someone to answer",
                url=lambda thread: compose(f"community={thread.community.slug}&about=forums.thread:{thread.pk}"),
                rule="conversations.invite_to_answer",
                order=60,
            ),
            # The same invitation from the facilitation Today page's unanswered questions, addressed to the member
            # the knowledge map suggests (`topic.suggested`), if any.
            ObjectAction(
                key="conversations.invite_on_topic",
                slot="facilitation.topic",
                label="Invite someone to answer",
                url=lambda topic: compose(
                    f"community={topic.community.slug}&about={topic.key}"
                    + (f"&to={topic.suggested.user_id}" if getattr(topic, "suggested", None) else "")
                ),
                rule="conversations.invite_on_topic",
            ),
            # "Ask Eve" beside each member the ask-who-knows page lists for a topic, the subject naming it.
            ObjectAction(
                key="conversations.ask_person",
                slot="facilitation.person",
                label="Ask",
                label_for=lambda person: f"Ask {person.name}",
                url=lambda person: compose(
                    urlencode(
                        {
                            "to": person.user_id,
                            "in": person.community.pk,
                            "subject": f"A question about {person.topic}",
                        }
                    )
                ),
                rule="conversations.ask_person",
            ),
            CommunityTab(
                key="message_reports",
                label="Reported messages",
                url_name="conversations:report_list",
                rule="conversations.review_reports",
                order=96,
                count=lambda community: MessageReport.objects.filter(
                    community=community, status=MessageReport.Status.OPEN
                ),
            ),
            DemoSeeder(key="conversations", seed=demo.seed, order=80),
        )
