from allauth.account.signals import user_signed_up
from django.dispatch import receiver

from .services import profile_for


@receiver(user_signed_up, dispatch_uid="accounts.create_profile")
def create_profile(sender, request, user, **kwargs):
    profile_for(user)
