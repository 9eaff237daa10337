from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "keyproj.exchange"
    label = "exchange"
    verbose_name = "数据交换"
