"""The account pages: our profile page and allauth's login, sign-up, password, email and two-factor pages."""

from . import LOGIN, NOT_FOUND, OK, REDIRECT, Row, same, who

ROWS = [
    Row(
        "accounts:profile_edit",
        expect=same(who(OK, anonymous=LOGIN)),
    ),
    Row(
        "account_login",
        expect=same(who(REDIRECT, anonymous=OK)),
    ),
    Row(
        "account_logout",
        expect=same(who(OK, anonymous=REDIRECT)),
    ),
    Row(
        "account_inactive",
        expect=same(who(OK)),
    ),
    Row(
        "account_signup",
        expect=same(who(REDIRECT, anonymous=OK)),
    ),
    Row(
        "account_reauthenticate",
        expect=same(who(OK, anonymous=LOGIN)),
    ),
    Row(
        "account_request_reauthentication_code",
        expect=same(who(OK, anonymous=LOGIN)),
    ),
    Row(
        "account_confirm_reauthentication_code",
        expect=same(who(REDIRECT, anonymous=LOGIN)),
    ),
    Row(
        "account_email",
        expect=same(who(OK, anonymous=LOGIN)),
    ),
    Row(
        "account_email_verification_sent",
        expect=same(who(OK)),
    ),
    Row(
        "account_change_password",
        expect=same(who(OK, anonymous=LOGIN)),
    ),
    Row(
        "account_set_password",
        expect=same(who(REDIRECT, anonymous=LOGIN)),
    ),
    Row(
        "account_reset_password",
        expect=same(who(OK)),
    ),
    Row(
        "account_confirm_login_code",
        expect=same(who(REDIRECT, anonymous=LOGIN)),
    ),
    Row(
        "account_confirm_email",
        args={"key": "bogus-key"},
        expect=same(who(OK)),
    ),
    Row(
        "account_reset_password_from_key_done",
        expect=same(who(OK)),
    ),
    Row(
        "account_reset_password_from_key",
        args={"uidb36": "1", "key": "bogus-key"},
        expect=same(who(OK)),
    ),
    Row(
        "account_reset_password_done",
        expect=same(who(OK)),
    ),
    Row(
        "mfa_index",
        expect=same(who(OK, anonymous=LOGIN)),
    ),
    Row(
        "mfa_authenticate",
        expect=same(who(REDIRECT, anonymous=LOGIN)),
    ),
    Row(
        "mfa_reauthenticate",
        expect=same(who(REDIRECT, anonymous=LOGIN)),
    ),
    Row(
        "mfa_activate_totp",
        expect=same(who(REDIRECT, anonymous=LOGIN)),
    ),
    Row(
        "mfa_deactivate_totp",
        expect=same(who(NOT_FOUND, anonymous=LOGIN)),
    ),
    Row(
        "mfa_view_recovery_codes",
        expect=same(who(NOT_FOUND, anonymous=LOGIN)),
    ),
    Row(
        "mfa_generate_recovery_codes",
        expect=same(who(REDIRECT, anonymous=LOGIN)),
    ),
    Row(
        "mfa_download_recovery_codes",
        expect=same(who(NOT_FOUND, anonymous=LOGIN)),
    ),
]
