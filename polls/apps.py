from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "polls"
    verbose_name = "Polls and surveys"

    def ready(self):
        from communities.extensions import CommunityTab, register_demo_seeder, register_tab

        from . import demo, permissions  # noqa: F401  (permissions registers the poll rules for {% can %})

        register_tab(CommunityTab("polls", "Polls", "polls:poll_list", order=30))
        register_demo_seeder(demo.seed, order=30)
