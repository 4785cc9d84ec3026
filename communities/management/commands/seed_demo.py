"""Build the demo community. Safe to run again: it adds what is missing and changes nothing else."""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from communities import demo_data, services
from communities.extensions import DemoSeeder, registered
from communities.models import ActivityEvent, Community, Membership

Role = Membership.Role
Status = Membership.Status


class Command(BaseCommand):
    help = "Load the demo UK public-sector PPM community of practice (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            created = self.seed()
            for seeder in registered(DemoSeeder):
                seeder.seed(self.cast)
            for community in (self.cast["ppm"], self.cast["brn"]):
                services.waiting_recount(community=community)  # the demo writes its requests directly
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new people)."))
        self.stdout.write(
            f"Demo logins (password for all: {demo_data.DEMO_PASSWORD})\n"
            f"  admin:       {demo_data.ADMIN[0]}\n"
            f"  facilitator: {demo_data.FACILITATOR[0]}\n"
            f"  member:      {demo_data.MEMBER[0]}"
        )

    def seed(self) -> int:
        rng = random.Random(2026)
        self.password_hash = make_password(demo_data.DEMO_PASSWORD)
        now = timezone.now()
        self.created = 0
        admin = self.person(*demo_data.ADMIN, staff=True)
        facilitator = self.person(*demo_data.FACILITATOR, expertise=["facilitation", "communities of practice"])
        member = self.person(*demo_data.MEMBER, expertise=["PRINCE2", "risk"])
        people = [
            self.person(
                f"{first.lower()}.{last.lower().replace(' ', '').replace(chr(39), '')}@demo.cop.example",
                first,
                last,
                org,
                title,
                expertise=expertise,
            )
            for first, last, org, title, expertise in demo_data.PEOPLE
        ]

        ppm = self.community(demo_data.PPM, owner=admin, founded=now - timedelta(days=540))
        brn = self.community(demo_data.BRN, owner=admin, founded=now - timedelta(days=120))

        self.member(ppm, facilitator, role=Role.FACILITATOR, joined=now - timedelta(days=500), welcomed=True)
        self.member(ppm, member, joined=now - timedelta(days=90), welcomed=True, by=facilitator)
        self.member(brn, facilitator, role=Role.OWNER, joined=now - timedelta(days=118), welcomed=True)

        # Most people are settled members; two co-facilitate; the last few are newcomers or applicants.
        settled, newcomers, applicants = people[:-6], people[-6:-3], people[-3:]
        for index, person in enumerate(settled):
            role = Role.FACILITATOR if index in (2, 8) else Role.MEMBER
            joined = now - timedelta(days=rng.randint(20, 480), hours=rng.randint(0, 23))
            self.member(
                ppm,
                person,
                role=role,
                joined=joined,
                welcomed=True,
                by=facilitator,
                personal=rng.random() < 0.8,
                wait=timedelta(hours=rng.randint(1, 30)),
            )
        for hours, person in zip((3, 9, 30), newcomers, strict=True):
            self.member(ppm, person, joined=now - timedelta(hours=hours), welcomed=False)
        for message, person in zip(demo_data.REQUEST_MESSAGES, applicants, strict=True):
            if not Membership.objects.filter(user=person, community=ppm).exists():
                Membership.objects.create(
                    user=person,
                    community=ppm,
                    status=Status.PENDING,
                    request_message=message,
                    created_at=now - timedelta(hours=rng.randint(2, 40)),
                )

        for person in [p for p in settled if "benefits realisation" in p.profile.expertise.names()]:
            self.member(brn, person, joined=now - timedelta(days=rng.randint(10, 100)), welcomed=True, by=facilitator)
        self.member(brn, settled[8], role=Role.FACILITATOR, joined=now - timedelta(days=100), welcomed=True)

        self.cast = {
            "ppm": ppm,
            "brn": brn,
            "admin": admin,
            "facilitator": facilitator,
            "member": member,
            "people": people,
            "now": now,
        }
        for community, names in ((ppm, ["finance", "senior leaders", "fire and rescue"]),):
            for person, segment in zip(settled[:9], names * 3, strict=False):
                membership = Membership.objects.get(user=person, community=community)
                if not membership.segments.exists():
                    services.membership_set_segments(membership=membership, names=[segment])
        return self.created

    def person(self, email, first, last, organisation, title, *, staff=False, expertise=()):
        User = get_user_model()
        user = User.objects.filter(email=email).select_related("profile").first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=None,
                first_name=first,
                last_name=last,
                is_staff=staff,
                is_superuser=staff,
            )
            self.created += 1
            # One hash for everyone: hashing is deliberately slow, and the demo has dozens of people.
            user.password = self.password_hash
            user.save(update_fields=["password"])
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            profile = user.profile
            profile.organisation = organisation
            profile.job_title = title
            profile.bio = f"{title} at {organisation}. Happy to talk about {', '.join(expertise) or 'delivery'}."
            profile.is_expert = len(expertise) > 1 and staff is False and title.startswith(("Head", "Senior"))
            profile.save()
            if expertise:
                profile.expertise.add(*expertise)
        Profile.objects.get_or_create(user=user)
        return user

    def community(self, data, *, owner, founded):
        community = Community.objects.filter(slug=data["slug"]).first()
        if community is None:
            community = services.community_create(creator=owner, **data)
            Community.objects.filter(pk=community.pk).update(created_at=founded)
            Membership.objects.filter(community=community, user=owner).update(joined_at=founded, welcomed_at=founded)
        return community

    def member(self, community, user, *, role=Role.MEMBER, joined, welcomed, by=None, personal=True, wait=None):
        if Membership.objects.filter(user=user, community=community).exists():
            return
        wait = wait or timedelta(hours=4)
        membership = Membership.objects.create(
            user=user,
            community=community,
            role=role,
            status=Status.ACTIVE,
            joined_at=joined,
            created_at=joined,
            last_visit_at=joined,
            welcomed_at=joined + wait if welcomed else None,
            welcomed_by=by if welcomed and personal else None,
            welcome_method=(Membership.WelcomeMethod.PERSONAL if personal else Membership.WelcomeMethod.AUTOMATIC)
            if welcomed and by
            else "",
            welcome_html=f"<p>Welcome to {community.name}, {user.first_name}! Glad to have you here.</p>"
            if welcomed and by
            else "",
        )
        # Backdated events, so the community's activity and "new since your last visit" look lived in.
        ActivityEvent.objects.create(
            community=community, actor=user, verb="joined", target=membership, created_at=joined
        )
        if welcomed and by and personal:
            ActivityEvent.objects.create(
                community=community, actor=by, verb="welcomed", target=membership, created_at=joined + wait
            )
