from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Newsletters and alerts"

    def ready(self):
        from communities.extensions import CommunityTab, DemoSeeder, Milestone, register

        from . import blocks, demo, permissions, receivers, reports, sections  # noqa: F401  (receivers: the activity listener)

        register(*permissions.RULES, *sections.SECTIONS, *blocks.BLOCKS)
        register(
            CommunityTab(key="newsletters", label="Newsletter", url_name="newsletters:archive", order=40),
            DemoSeeder(key="newsletters", seed=demo.seed, order=30),
            Milestone(key="newsletters.sent", label="Newsletter sent", items=reports.sends),
        )
