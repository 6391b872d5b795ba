from django.urls import path

from gazette.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("confirm-email/", views.confirm_email, name="confirm_email"),
    path("confirm-email/<str:token>/", views.verify_email, name="verify_email"),
    path("password/", views.change_password, name="change_password"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_sent, name="password_reset_sent"),
    path(
        "password/reset/<str:uidb64>/<str:token>/",
        views.password_reset_link,
        name="password_reset_link",
    ),
    path("display-name/", views.change_display_name, name="change_display_name"),
    path("terms/", views.accept_terms, name="accept_terms"),
    path("download/", views.export, name="export"),
    path("delete/", views.delete_account, name="delete"),
    path("deleted/", views.account_deleted, name="account_deleted"),
]
