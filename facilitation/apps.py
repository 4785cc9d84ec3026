from django.apps import AppConfig


class FacilitationConfig(AppConfig):
    name = "facilitation"
    verbose_name = "Facilitation: health, ladder, cohorts and the knowledge map"

    def ready(self):
        from communities.extensions import CommunityTab, DemoSeeder, PageBlock, register

        from . import demo, ladder, permissions

        register(*permissions.RULES)
        register(
            CommunityTab(
                key="facilitation",
                label="Facilitation",
                url_name="facilitation:today",
                order=90,
                rule="facilitation.view",
            ),
            CommunityTab(
                key="ask",
                label="Who knows",
                url_name="facilitation:ask_who_knows",
                order=80,
                rule="facilitation.ask_who_knows",
            ),
            PageBlock(
                key="facilitation.next_step",
                slot="communities.home",
                template="facilitation/_next_step.html",
                context=ladder.home_block,
            ),
            DemoSeeder(key="facilitation", seed=demo.seed, order=99),  # after every app's content
        )
