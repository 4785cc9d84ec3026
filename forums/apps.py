from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Forums"

    def ready(self):
        from communities.extensions import (
            CommunityTab,
            ProfileSection,
            register_demo_seeder,
            register_profile_section,
            register_tab,
        )

        from . import demo, permissions  # noqa: F401  (permissions registers the forum rules for {% can %})
        from .selectors import profile_contributions

        register_tab(CommunityTab("forums", "Forums", "forums:latest", order=10))
        register_tab(
            CommunityTab("moderation", "Moderation", "forums:moderation_queue", order=90, rule="forums.moderate")
        )
        register_profile_section(ProfileSection("forums/_profile_contributions.html", profile_contributions, order=10))
        register_demo_seeder(demo.seed, order=10)
