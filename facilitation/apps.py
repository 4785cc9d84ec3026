from django.apps import AppConfig


class FacilitationConfig(AppConfig):
    name = "facilitation"
    verbose_name = "Facilitation: health, ladder, cohorts and the knowledge map"

    def ready(self):
        from communities.extensions import CommunityTab, register

        from . import permissions

        register(*permissions.RULES)
        register(
            CommunityTab(
                key="facilitation",
                label="Facilitation",
                url_name="facilitation:today",
                order=90,
                rule="facilitation.view",
            )
        )
