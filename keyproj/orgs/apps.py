from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "keyproj.orgs"
    label = "orgs"
    verbose_name = "单位"
