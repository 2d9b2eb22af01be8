"""``manage.py load_demo``, the demo site's invented newsroom (``newsroom/demo.py``)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from lxml import html as lxml_html

from articles.models import Article, Image, Placement, RelatedLink, Status

# The command belongs to the demo site, which the tests' minimal host does not install
# (``make wheel-test`` runs without the checkout): it is called as an object.
load_demo_command = pytest.importorskip(
    "newsroom.management.commands.load_demo",
    reason="load_demo belongs to the demo site (newsroom/), which is not part of the wheel",
)

pytestmark = pytest.mark.django_db


def load_demo(**options):
    call_command(load_demo_command.Command(), **options)


def test_load_demo_creates_a_working_newsroom(client, capsys):
    load_demo()
    out = capsys.readouterr().out
    assert "editor" in out and "newsroom-demo" in out
    assert Article.objects.published().count() >= 28
    assert Article.objects.drafts().count() == 1
    assert Article.objects.scheduled().count() == 1
    for kind in ("sponsored", "opinion", "analysis", "fact-check"):
        assert Article.objects.published().filter(kind=kind).exists(), kind
    assert Article.objects.published().filter(lead_image=None).exists()
    assert all(image.credit and image.caption and image.alt_text for image in Image.objects.all())
    assert RelatedLink.objects.exists()
    home = client.get(reverse("articles:home")).content.decode()
    assert Article.objects.published().first().headline in home
    assert Article.objects.drafts().get().headline not in home


def test_the_demo_home_has_a_curated_lead_top_stories_and_a_package(client):
    load_demo()
    html = client.get(reverse("articles:home")).content.decode()
    lead = html[html.index('class="lead-story"') : html.index("</section>")]
    assert "Housing law passes: councils may now buy empty homes" in lead
    assert Article.objects.published().first().headline not in lead  # not simply the newest
    tops = html[html.index('class="top-stories"') :]
    assert "Flood barriers hold as river reaches record height" in tops[: tops.index("</section>")]
    package = html[html.index('class="package"') :]
    package = package[: package.index("</section>")]
    assert "Election watch" in package
    assert "Election watchdog calls for clearer rules on online adverts" in package


def test_load_demo_twice_duplicates_nothing(capsys):
    load_demo()
    counts = [m.objects.count() for m in (Article, Image, RelatedLink, Placement)]
    load_demo()
    assert [m.objects.count() for m in (Article, Image, RelatedLink, Placement)] == counts
    assert "nothing changed" in capsys.readouterr().out


def test_demo_editor_can_log_in_and_edit(client):
    load_demo()
    user = get_user_model().objects.get(username="editor")
    assert user.is_staff and not user.is_superuser
    assert client.login(username="editor", password="newsroom-demo")
    story = Article.objects.published().first()
    response = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert response.status_code == 200
    assert story.status == Status.PUBLISHED


def test_demo_reporter_cannot_publish():
    load_demo()
    reporter = get_user_model().objects.get(username="reporter")
    assert reporter.has_perm("articles.change_article")
    assert not reporter.has_perm("articles.publish_article")


def test_demo_stories_show_body_photos_and_videos(client):
    load_demo()
    call_command("make_renditions", verbosity=0)
    with_photo = Article.objects.filter(body_photos__isnull=False, status=Status.PUBLISHED).first()
    page = lxml_html.fromstring(client.get(with_photo.get_absolute_url()).content)
    assert len(page.xpath('//div[@class="story-body"]//figure[@class="photo"]')) == 1
    videos = Article.objects.filter(body__contains="data-embed").order_by("pk")
    assert videos.count() == 2
    page = client.get(videos[0].get_absolute_url()).content.decode()
    assert "youtube-nocookie.com/embed/aqz-KE-bpKQ" in page and "Watch on YouTube:" in page


def test_demo_has_a_live_story_with_a_pinned_update_and_key_events(client):
    load_demo()
    call_command("make_renditions", verbosity=0)
    story = Article.objects.get(live_since__isnull=False)
    page = lxml_html.fromstring(client.get(story.get_absolute_url()).content)
    updates = page.xpath('//section[@id="live-updates"]//article[contains(@class, "live-update")]')
    assert len(updates) == 6
    assert "live-update-pinned" in updates[0].get("class")
    assert len(page.xpath('//nav[@class="live-key-events"]//li')) == 3
    assert page.xpath('//section[@id="live-updates"]//figure[@class="photo"]')
    assert page.xpath('//section[@id="live-updates"]//iframe')
    load_demo()  # and again: nothing doubles
    assert story.live_updates.count() == 6


def test_load_demo_queues_its_photos_for_the_task_worker(
    capsys, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    photos = set(Image.objects.values_list("pk", flat=True))
    # The stories' saves queue their "More from" suggestions too (articles.tasks).
    renditions = DBTaskResult.objects.filter(
        status="READY", task_path__endswith="make_photo_renditions"
    )
    queued = {task.args_kwargs["args"][0] for task in renditions}
    assert photos and queued == photos
    assert set(Image.objects.values_list("renditions_status", flat=True)) == {"pending"}


def test_demo_accounts_have_names_given_again_on_a_second_run():
    load_demo()
    User = get_user_model()
    assert User.objects.get(username="editor").get_full_name() == "Demo Editor"
    assert User.objects.get(username="reporter").get_full_name() == "Demo Reporter"
    User.objects.filter(username__in=["editor", "reporter"]).update(first_name="DEMO", last_name="")
    load_demo()
    assert User.objects.get(username="editor").get_full_name() == "Demo Editor"
    assert User.objects.get(username="reporter").get_full_name() == "Demo Reporter"
