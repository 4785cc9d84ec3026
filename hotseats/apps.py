from django.apps import AppConfig


class HotseatsConfig(AppConfig):
    name = "hotseats"
    verbose_name = "Hot seats"

    def ready(self):
        from communities.extensions import (
            CommunityTab,
            ProfileSection,
            register_demo_seeder,
            register_profile_section,
            register_tab,
        )

        from . import demo, permissions  # noqa: F401  (permissions registers the hot-seat rules for {% can %})
        from .selectors import profile_hotseats

        register_tab(CommunityTab("hotseats", "Hot seats", "hotseats:hotseat_list", order=20))
        register_profile_section(ProfileSection("hotseats/_profile_hotseats.html", profile_hotseats, order=20))
        register_demo_seeder(demo.seed, order=20)
