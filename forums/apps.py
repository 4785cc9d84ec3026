from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Forums"

    def ready(self):
        from communities.extensions import (
            CommunitySetup,
            CommunityTab,
            ContentSource,
            DemoSeeder,
            ProfileSection,
            SearchKind,
            register,
        )

        from . import activity, demo, newsletter, permissions, selectors, services
        from .models import Thread

        register(*permissions.RULES, *activity.EVENT_TYPES, *newsletter.SECTIONS)
        register(
            CommunityTab(key="forums", label="Forums", url_name="forums:latest", order=10),
            CommunityTab(
                key="moderation",
                label="Moderation",
                url_name="forums:moderation_queue",
                order=90,
                rule="forums.moderate",
                count=selectors.moderation_queue,
            ),
            ProfileSection(
                key="forums",
                template="forums/_profile_contributions.html",
                context=selectors.profile_contributions,
                order=10,
            ),
            DemoSeeder(key="forums", seed=demo.seed, order=10),
            CommunitySetup(key="forums", setup=services.category_create_default),
            *(SearchKind(key=kind, label=label) for kind, label in Thread.Kind.choices),
            SearchKind(key="reply", label="Reply"),
            ContentSource(key="forums.thread", load=selectors.thread_content),
        )
