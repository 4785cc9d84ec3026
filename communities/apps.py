from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "Communities"

    def ready(self):
        from cop_platform import anonymous_pages

        from . import activity, permissions, selectors
        from .extensions import CommunityTab, register

        anonymous_pages.watch_writes()
        register(*permissions.RULES, *activity.EVENT_TYPES, *activity.ALERT_TYPES)
        register(
            CommunityTab(key="themes", label="Themes", url_name="communities:theme_list", order=30),
            CommunityTab(
                key="members",
                label="Members",
                url_name="communities:member_directory",
                order=100,
                rule="communities.view_directory",
            ),
            CommunityTab(
                key="welcome",
                label="To welcome",
                url_name="communities:welcome_queue",
                order=110,
                rule="communities.manage_members",
            ),
            CommunityTab(
                key="requests",
                label="Requests",
                url_name="communities:requests_queue",
                order=120,
                rule="communities.manage_members",
                count=selectors.pending_requests,
            ),
            CommunityTab(
                key="invitations",
                label="Invitations",
                url_name="communities:invitation_list",
                order=130,
                rule="communities.manage_members",
            ),
            CommunityTab(
                key="settings",
                label="Settings",
                url_name="communities:community_edit",
                order=140,
                rule="communities.edit",
            ),
        )
