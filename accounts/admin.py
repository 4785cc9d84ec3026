from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .forms import ProfileForm
from .models import Profile, User


class ProfileAdminForm(forms.ModelForm):
    """The admin cleans uploaded avatars exactly as the profile page does."""

    class Meta:
        model = Profile
        fields = ["user", "organisation", "job_title", "bio", "avatar", "expertise", "is_expert"]

    clean_avatar = ProfileForm.clean_avatar


class ProfileInline(admin.StackedInline):
    model = Profile
    form = ProfileAdminForm
    can_delete = False
    readonly_fields = ["bio_html"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name", "profile__organisation"]
    inlines = [ProfileInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "time_zone")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    form = ProfileAdminForm
    list_display = ["user", "organisation", "job_title", "is_expert"]
    list_filter = ["is_expert"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "organisation"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
