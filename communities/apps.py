from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "Communities"

    def ready(self):
        from .extensions import CommunityTab, register_tab

        register_tab(CommunityTab("themes", "Themes", "communities:theme_list", order=30))
