from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The demo site's own commands: ``load_demo`` (invented content) and ``seed_bench``."""

    name = "newsroom"
    verbose_name = "Newsroom demo site"
