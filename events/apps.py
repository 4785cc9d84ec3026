from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"

    def ready(self):
        from communities.extensions import (
            CalendarSource,
            CommunityTab,
            ContentSource,
            DemoSeeder,
            PageBlock,
            SearchKind,
            register,
        )

        from . import activity, calendar, demo, newsletter, permissions, selectors

        register(*permissions.RULES, *activity.EVENT_TYPES, *activity.ALERT_TYPES, *newsletter.SECTIONS)
        register(
            CommunityTab(key="events", label="Events", url_name="events:event_list", order=25),
            SearchKind(key="event", label="Event", order=25),
            CalendarSource(key="events", label="Events", items=calendar.calendar_items, order=25),
            PageBlock(
                key="events.next_event",
                slot="communities.community_home",
                template="events/_next_event.html",
                context=selectors.next_event_block,
                order=10,
            ),
            DemoSeeder(key="events", seed=demo.seed, order=40),
            ContentSource(key="events.event", load=selectors.event_content, followed_up=selectors.event_followed_up),
        )
