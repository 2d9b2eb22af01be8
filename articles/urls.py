from django.urls import path, register_converter

from . import views


class UnicodeSlugConverter:
    """Match the Unicode slugs that ``SlugField(allow_unicode=True)`` accepts."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("story/<uslug:slug>/", views.ArticleDetailView.as_view(), name="article"),
    path("section/<uslug:slug>/", views.SectionView.as_view(), name="section"),
    path("tag/<uslug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<uslug:slug>/", views.AuthorView.as_view(), name="author"),
]
