from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "polls"
    verbose_name = "Polls and surveys"

    def ready(self):
        from communities.extensions import CommunityTab, DemoSeeder, SearchKind, register

        from . import activity, demo, hosts, newsletter, permissions, threads

        register(*permissions.RULES, *activity.EVENT_TYPES, *activity.ALERT_TYPES, *newsletter.SECTIONS)
        register(*threads.EXTENSIONS)
        register(
            CommunityTab(key="polls", label="Polls", url_name="polls:poll_list", order=30),
            SearchKind(key="poll", label="Poll"),
            SearchKind(key="survey", label="Survey"),
            DemoSeeder(key="polls", seed=demo.seed, order=30),
        )
        hosts.register_host("forums.thread", threads.HOST)
