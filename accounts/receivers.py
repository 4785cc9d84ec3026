from allauth.account.signals import user_signed_up
from django.dispatch import receiver

from .models import Profile


@receiver(user_signed_up, dispatch_uid="accounts.create_profile")
def create_profile(sender, request, user, **kwargs):
    Profile.objects.get_or_create(user=user)
