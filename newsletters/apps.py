from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Newsletters and alerts"

    def ready(self):
        from communities.extensions import CommunityTab, register_demo_seeder, register_tab

        from . import demo, permissions, receivers  # noqa: F401  (rules for {% can %}; the activity listener)

        register_tab(CommunityTab("newsletters", "Newsletter", "newsletters:archive", order=40))
        register_demo_seeder(demo.seed, order=30)
