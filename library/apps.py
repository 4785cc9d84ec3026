from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = "Library"

    def ready(self):
        from communities.extensions import (
            CommunityTab,
            ProfileSection,
            register_demo_seeder,
            register_profile_section,
            register_tab,
        )

        from . import checks, demo, permissions  # noqa: F401  (permissions registers the library rules for {% can %})
        from .selectors import profile_library

        register_tab(CommunityTab("library", "Library", "library:home", order=30))
        register_profile_section(ProfileSection("library/_profile_library.html", profile_library, order=30))
        register_demo_seeder(demo.seed, order=30)
