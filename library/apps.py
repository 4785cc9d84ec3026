from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = "Library"

    def ready(self):
        from django.urls import reverse

        from communities.extensions import (
            CommunityTab,
            DemoSeeder,
            ObjectAction,
            ProfileSection,
            SearchKind,
            register,
        )

        from . import activity, attachments, checks, demo, feeds, newsletter, permissions, selectors  # noqa: F401
        from .models import Resource

        register(
            *permissions.RULES,
            *activity.EVENT_TYPES,
            *activity.ALERT_TYPES,
            *newsletter.SECTIONS,
            *attachments.KINDS,
            *feeds.SOURCES,
        )
        register(
            CommunityTab(key="library", label="Library", url_name="library:home", order=30),
            ProfileSection(
                key="library", template="library/_profile_library.html", context=selectors.profile_library, order=30
            ),
            DemoSeeder(key="library", seed=demo.seed, order=30),
            *(SearchKind(key=kind, label=label, order=30) for kind, label in Resource.Kind.choices),
            SearchKind(key="resource_comment", label="Library comment", order=31),
            ObjectAction(
                key="library.save_as_guide",
                slot="forums.thread",
                label="Save as a library guide",
                url=lambda thread: reverse(
                    "library:guide_from_source", args=[thread.community.slug, "forums.thread", thread.pk]
                ),
                rule="library.save_as_guide",
            ),
        )
