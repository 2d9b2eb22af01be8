from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitTag

from articles.conf import app_settings

# The newsroom keeps its own tag vocabulary (articles.Tag); taggit's generic
# tag table stays empty here, so its admin screen would only confuse editors.
if admin.site.is_registered(TaggitTag):
    admin.site.unregister(TaggitTag)

# The demo site brands its own admin; the app never touches a host's admin site.
admin.site.site_header = app_settings.SITE_NAME
admin.site.site_title = app_settings.SITE_NAME
admin.site.index_title = _("The newsroom desk")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    # Uploaded photos; in production a web server or object storage serves MEDIA_URL.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
