from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "yingshang.demo"
    label = "demo"
    verbose_name = "Demo world"

    def ready(self):
        from yingshang.core.auth import set_demo_accounts_provider

        from .world import demo_accounts

        set_demo_accounts_provider(demo_accounts)
