"""Public pages of the accounts: activation with a one-time code."""

from django.urls import path

from hadir.org.views import activate_view

urlpatterns = [
    path("", activate_view, name="activate"),
]
