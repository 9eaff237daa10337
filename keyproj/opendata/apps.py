from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "keyproj.opendata"
    label = "opendata"
    verbose_name = "公开数据"
