from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Jobs board"

    def ready(self):
        from communities.extensions import CommunityTab, DemoSeeder, SearchKind, register

        from . import activity, demo, newsletter, permissions

        register(*permissions.RULES, *activity.EVENT_TYPES, *activity.ALERT_TYPES, *newsletter.SECTIONS)
        register(
            CommunityTab(key="jobs", label="Jobs", url_name="jobs:jobs_list", order=40),
            SearchKind(key="job", label="Job", order=40),
            DemoSeeder(key="jobs", seed=demo.seed, order=40),
        )
