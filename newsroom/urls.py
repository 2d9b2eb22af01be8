import re

from csp.constants import NONE
from csp.decorators import csp
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve
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

if settings.DEBUG and "//" not in settings.MEDIA_URL:
    # Uploaded photos; in production a web server or object storage serves MEDIA_URL
    # with the same headers (README "Deploying"). Content-Type comes from the file's
    # extension, which is the format the photo decoded as; SecurityMiddleware adds
    # nosniff; the policy keeps a file opened on its own from running anything.
    media = csp({"default-src": [NONE], "sandbox": True})(serve)
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            media,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
