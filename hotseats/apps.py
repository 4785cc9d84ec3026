from django.apps import AppConfig


class HotseatsConfig(AppConfig):
    name = "hotseats"
    verbose_name = "Hot seats"

    def ready(self):
        from communities.extensions import (
            CalendarSource,
            CommunityTab,
            DemoSeeder,
            ProfileSection,
            SearchKind,
            register,
        )

        from . import activity, calendar, demo, newsletter, permissions, selectors

        register(*permissions.RULES, *activity.EVENT_TYPES, *activity.ALERT_TYPES, *newsletter.SECTIONS)
        register(
            CommunityTab(key="hotseats", label="Hot seats", url_name="hotseats:hotseat_list", order=20),
            ProfileSection(
                key="hotseats",
                template="hotseats/_profile_hotseats.html",
                context=selectors.profile_hotseats,
                order=20,
            ),
            DemoSeeder(key="hotseats", seed=demo.seed, order=20),
            SearchKind(key="hotseat", label="Hot seat"),
            CalendarSource(key="hotseats", label="Hot seats", items=calendar.calendar_items),
        )
