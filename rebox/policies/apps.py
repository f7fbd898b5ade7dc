from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "rebox.policies"
    label = "policies"
    verbose_name = "Return policies"
