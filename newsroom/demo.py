"""Invented demo content: sections, authors, tags, photos and stories.

Everything is generated locally (photos are drawn with Pillow), and loading is
idempotent: stories are matched by headline, the rest by slug, so a second run adds nothing.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from articles.body import embed_figure, photo_figure
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Front,
    Image,
    LiveUpdate,
    Package,
    Placement,
    RelatedLink,
    Section,
    Status,
    StoryKind,
    Tag,
)
from articles.tasks import schedule_renditions

SECTIONS = [
    ("World", "world", "Reporting from every continent."),
    ("Politics", "politics", "Parliament, elections and the people in power."),
    ("Business", "business", "Markets, companies and the economy."),
    ("Science", "science", "Research, climate and health."),
    ("Culture", "culture", "Books, film, music and the arts."),
    ("Sport", "sport", "Results, analysis and the stories behind them."),
]

AUTHORS = [
    ("Amara Okafor", "Covers climate and energy from the science desk."),
    ("Tomás Lindqvist", "Political correspondent; previously based in Brussels."),
    ("Mei Takahashi", "Business reporter following markets and trade."),
    ("Jonah Abernethy", "Culture editor and occasional film critic."),
    ("Priya Raman", "World affairs reporter on the foreign desk."),
    ("Elena Duarte", "Sports writer who has covered four Olympic Games."),
]

AGENCIES = ["NORTHWIND WIRE", "HARBOUR PRESS AGENCY", "STAFF", "METRO PICTURES"]
PHOTOGRAPHERS = ["Ana Ruiz", "Kofi Mensah", "Lena Varga", "Sam O'Neill", "Yusuf Demir"]

# (section slug, headline, dek, tags)
STORIES = [
    (
        "world",
        "Flood barriers hold as river reaches record height",
        "Engineers credit a decade of upgrades after the town escapes the worst of the storm surge.",
        ["Floods", "Climate change", "Infrastructure", "🌊"],
    ),
    (
        "world",
        "Coastal nations agree to share early-warning data",
        "A regional pact links tide gauges and weather stations across six countries.",
        ["Climate change", "Diplomacy"],
    ),
    (
        "world",
        "Ferry service resumes after three-week strike",
        "Island residents welcome the return of daily crossings as unions accept a new pay deal.",
        ["Transport", "Labour"],
    ),
    (
        "world",
        "Volunteers rebuild village library washed away in spring",
        "Donated books arrive from four countries as the reading room reopens.",
        ["Floods", "Books"],
    ),
    (
        "world",
        "Border crossing reopens to freight traffic",
        "Lorries queue for miles on the first day as customs checks restart.",
        ["Trade", "Diplomacy", "Transport", "Москва"],
    ),
    (
        "politics",
        "Parliament passes housing bill after late-night session",
        "The law lets councils buy empty homes and bring them back into use.",
        ["Housing", "Parliament"],
    ),
    (
        "politics",
        "Mayor sets out plan for free bus travel for under-18s",
        "The scheme would start next autumn and cost the city an estimated 40 million a year.",
        ["Transport", "Local government"],
    ),
    (
        "politics",
        "Election watchdog calls for clearer rules on online adverts",
        "A report finds thousands of political adverts ran without saying who paid for them.",
        ["Elections", "Technology"],
    ),
    (
        "politics",
        "Ministers promise review of school building safety",
        "Inspections will cover every school built before 1990.",
        ["Education", "Infrastructure", "Parliament"],
    ),
    (
        "politics",
        "Opposition leader unveils green industry strategy",
        "The plan pairs new wind ports with retraining for oil and gas workers.",
        ["Climate change", "Energy", "Labour"],
    ),
    (
        "business",
        "Small lenders see surge in demand for green mortgages",
        "Buyers are trading lower rates for promises to insulate their homes.",
        ["Housing", "Energy", "Banking"],
    ),
    (
        "business",
        "Chip maker to open research centre in former mill town",
        "The company says the site will employ 400 engineers within five years.",
        ["Technology", "Jobs"],
    ),
    (
        "business",
        "Shipping costs fall as new canal locks open",
        "Freight rates on the busiest route have dropped by a fifth since the opening.",
        ["Trade", "Transport", "Infrastructure"],
    ),
    (
        "business",
        "Bakery chain bets on four-day week",
        "Staff keep full pay; managers say absences have already halved.",
        ["Labour", "Jobs"],
    ),
    (
        "business",
        "Central bank holds rates and signals patience",
        "Policymakers want more evidence that price rises are slowing before they cut.",
        ["Banking", "Economy"],
    ),
    (
        "science",
        "Satellite maps reveal speed of glacier retreat",
        "Researchers combined twenty years of images to chart the ice's losses.",
        ["Climate change", "Space"],
    ),
    (
        "science",
        "Hospital trial cuts waiting times with shared scheduling",
        "Five hospitals pooled their operating theatres and cleared a backlog in months.",
        ["Health", "Technology"],
    ),
    (
        "science",
        "Rare orchid found flowering on disused railway line",
        "Botanists had not recorded the species in the county for sixty years.",
        ["Nature", "Transport"],
    ),
    (
        "science",
        "New battery design survives ten thousand charges",
        "The university team says the cells could make grid storage far cheaper.",
        ["Energy", "Technology"],
    ),
    (
        "science",
        "Night-sky survey counts fewer stars above cities",
        "Volunteers in 30 towns found light pollution rising faster than expected.",
        ["Space", "Nature"],
    ),
    (
        "culture",
        "Debut novel about a lighthouse keeper wins first-book prize",
        "Judges praised its portrait of a family living at the edge of the sea.",
        ["Books", "Awards"],
    ),
    (
        "culture",
        "Museum returns carved doors to their original village",
        "The doors were taken in 1904 and will be rehung in the restored meeting house.",
        ["Museums", "Heritage"],
    ),
    (
        "culture",
        "Folk festival moves to the harbour after fire at usual venue",
        "Organisers say every ticket will be honoured at the new waterfront stage.",
        ["Music", "Festivals"],
    ),
    (
        "culture",
        "Silent film restored from nitrate reels found in attic",
        "Archivists spent two years scanning the fragile footage frame by frame.",
        ["Film", "Heritage"],
    ),
    (
        "culture",
        "City orchestra to play free concerts in every district",
        "The season opens in a bus depot and ends in the botanical gardens.",
        ["Music", "Local government"],
    ),
    (
        "sport",
        "Underdogs reach cup final after penalty shoot-out",
        "The second-tier side beat the league leaders with a save in the final kick.",
        ["Football", "Cup"],
    ),
    (
        "sport",
        "Marathon course changed to avoid flooded riverside path",
        "Runners will finish in the old market square instead.",
        ["Athletics", "Floods"],
    ),
    (
        "sport",
        "Swimmer breaks national record at first senior meet",
        "The 17-year-old took almost a second off a mark that had stood since 2009.",
        ["Swimming", "Records"],
    ),
    (
        "sport",
        "Cycling club opens track built on old gasworks site",
        "The velodrome is free for schools on weekday mornings.",
        ["Cycling", "Infrastructure"],
    ),
    (
        "sport",
        "Women's league sells out opening weekend",
        "Attendance has trebled in three seasons, the league says.",
        ["Football", "Records"],
    ),
    # The kinds a reader must tell apart (``STORY_KINDS``), and a story without a photo.
    (
        "politics",
        "Four-year budgets would give councils room to plan",
        "Our columnist argues that annual settlements cost more than they save.",
        ["Local government"],
    ),
    (
        "business",
        "Why the four-day week keeps spreading",
        "Productivity, hiring and energy bills explain most of it; the rest is harder to measure.",
        ["Jobs", "Economy"],
    ),
    (
        "science",
        "Fact check: do flood barriers just move water downstream?",
        "The claim is common after every storm. The river authority's data says it is mostly false.",
        ["Floods", "Infrastructure"],
    ),
    (
        "world",
        "Ferry services resume after overnight strike",
        "Operators say timetables will be back to normal by the weekend.",
        ["Transport"],
    ),
]

DRAFT = (
    "politics",
    "Draft: councils weigh four-year budgets",
    "Not ready for readers yet.",
    ["Local government"],
)
SCHEDULED = (
    "science",
    "Embargoed: comet to pass closest to Earth in a century",
    "Astronomers share the best viewing times.",
    ["Space"],
)
# Stories that are not plain news, by headline; the sponsored one names its sponsor.
STORY_KINDS = {
    "Bakery chain bets on four-day week": StoryKind.SPONSORED,
    "Four-year budgets would give councils room to plan": StoryKind.OPINION,
    "Why the four-day week keeps spreading": StoryKind.ANALYSIS,
    "Fact check: do flood barriers just move water downstream?": StoryKind.FACT_CHECK,
}
SPONSOR = "Hearth & Crumb Bakeries"
# A story without a photo, shared with the site's default image (ARTICLES_DEFAULT_IMAGE).
WITHOUT_PHOTO = {"Ferry services resume after overnight strike"}
# Hours since publication of the stories above, so the home page shows them among the newest.
HOURS_AGO = {
    "Four-year budgets would give councils room to plan": 3,
    "Why the four-day week keeps spreading": 5,
    "Fact check: do flood barriers just move water downstream?": 10,
    "Ferry services resume after overnight strike": 12,
}

PARAGRAPHS = [
    "Residents gathered early on {day} to see the results for themselves, many of them carrying photographs of how things looked a year ago.",
    "“We were told this would take a decade,” said one local organiser. “It took less than half that, because people refused to give up.”",
    "Officials said the figures would be published in full next month, along with an independent review of what worked and what did not.",
    "The change follows years of campaigning by community groups, who collected more than 12,000 signatures and presented them at the town hall.",
    "Critics warned that the cost could rise sharply if the timetable slips, and asked for quarterly reports to be made public.",
    "Experts contacted by {site} broadly welcomed the move, though several cautioned that the long-term effects are still uncertain.",
    "The next stage begins in the spring, when a second group of sites will be chosen from more than forty applications.",
    "For many of those involved, the day was less about numbers than about being heard. “This is ours now,” one volunteer said.",
]

# Stories the demo also publishes in other languages, linked to their original
# (STORIES[index]) as translations: the "Read in …" links and hreflang alternates.
TRANSLATIONS = [
    (
        0,
        "de",
        "Hochwasserschutz hält, als der Fluss einen Rekordstand erreicht",
        "Ingenieure verweisen auf zehn Jahre Ausbau: Die Stadt entgeht dem Schlimmsten der Sturmflut.",
        [
            "Schon am frühen Morgen kamen Anwohner ans Ufer, um die Schutzwände mit eigenen Augen zu sehen.",
            "„Man hat uns gesagt, das dauert zehn Jahre“, sagte eine Organisatorin aus dem Viertel. „Es ging in der Hälfte der Zeit, weil niemand aufgegeben hat.“",
            "Die Stadt will die vollständigen Messwerte im nächsten Monat veröffentlichen, zusammen mit einem unabhängigen Gutachten.",
        ],
    ),
    (
        0,
        "fr",
        "Les digues tiennent face à une crue record du fleuve",
        "Les ingénieurs saluent dix ans de travaux : la ville échappe au pire de la tempête.",
        [
            "Dès l’aube, des habitants sont venus sur les quais constater par eux-mêmes la solidité des digues.",
            "« On nous avait annoncé dix ans de chantier », raconte une responsable associative. « Il en a fallu moitié moins, parce que personne n’a renoncé. »",
            "La mairie publiera les relevés complets le mois prochain, accompagnés d’un audit indépendant.",
        ],
    ),
    (
        0,
        "es",
        "Los diques resisten mientras el río alcanza un nivel récord",
        "Los ingenieros atribuyen el éxito a una década de obras: la ciudad se libra de lo peor del temporal.",
        [
            "Desde primera hora, los vecinos se acercaron a la ribera para ver los diques con sus propios ojos.",
            "«Nos dijeron que tardaría diez años», contó una organizadora vecinal. «Se hizo en la mitad, porque nadie se rindió».",
            "El ayuntamiento publicará las mediciones completas el mes que viene, junto con una auditoría independiente.",
        ],
    ),
    (
        0,
        "ar",
        "الحواجز تصمد أمام فيضان النهر القياسي",
        "المهندسون يعزون النجاة إلى عقد من التحديثات، والمدينة تفلت من أسوأ آثار العاصفة.",
        [
            "توافد السكان منذ الصباح الباكر إلى ضفة النهر ليروا الحواجز بأعينهم.",
            "«قيل لنا إن الأمر سيستغرق عشر سنوات»، قالت إحدى منظمات الحي. «لكنه استغرق نصف المدة لأن أحداً لم يستسلم».",
            "وستنشر البلدية القياسات الكاملة الشهر المقبل، مع مراجعة مستقلة لما نجح وما لم ينجح.",
        ],
    ),
    (
        1,
        "de",
        "Küstenstaaten wollen Frühwarndaten teilen",
        "Ein regionales Abkommen verbindet Pegel und Wetterstationen in sechs Ländern.",
        [
            "Die Vereinbarung wurde nach zweijährigen Verhandlungen unterzeichnet.",
            "Fachleute sprechen von einem wichtigen Schritt, warnen aber vor Lücken in der Finanzierung.",
        ],
    ),
]

PALETTES = [
    ((11, 61, 145), (242, 169, 0)),
    ((20, 110, 80), (230, 230, 200)),
    ((120, 30, 60), (250, 200, 160)),
    ((30, 30, 40), (90, 180, 220)),
    ((180, 80, 20), (250, 240, 220)),
    ((60, 40, 120), (200, 220, 120)),
]


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        if n:
            self.created[kind] = self.created.get(kind, 0) + n


def draw_photo(seed: int, width: int = 1200, height: int = 675) -> bytes:
    """Draw an abstract landscape-like picture, deterministic for ``seed``, as JPEG bytes."""
    rng = random.Random(seed)
    top, bottom = PALETTES[seed % len(PALETTES)]
    picture = PILImage.new("RGB", (width, height), top)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / height
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    horizon = int(height * rng.uniform(0.55, 0.75))
    for _ in range(rng.randint(3, 7)):
        x = rng.randint(0, width)
        w = rng.randint(width // 10, width // 3)
        h = rng.randint(height // 8, height // 2)
        shade = tuple(max(0, c - rng.randint(40, 90)) for c in top)
        draw.polygon([(x - w, horizon), (x, horizon - h), (x + w, horizon)], fill=shade)
    draw.rectangle([(0, horizon), (width, height)], fill=tuple(c // 3 for c in top))
    sun = rng.randint(40, 90)
    cx, cy = rng.randint(sun, width - sun), rng.randint(sun, horizon - sun)
    draw.ellipse([(cx - sun, cy - sun), (cx + sun, cy + sun)], fill=bottom)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()


TAG_DESCRIPTIONS = {
    "Climate change": "How a warming climate reshapes weather, coasts, farming and policy.",
    "Floods": "Rivers, storm surges and the defences built against them.",
}


# Videos in the demo's bodies, as the stored body keeps them (articles/body.py).
VIDEOS = {3: "https://www.youtube.com/watch?v=aqz-KE-bpKQ", 8: "https://vimeo.com/76979871"}
BODY_PHOTO_EVERY = 3  # every third story shows a second photo in its body


def _body(index: int, site: str, photo: Image | None = None) -> str:
    rng = random.Random(index)
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    paragraphs = rng.sample(PARAGRAPHS, 5)
    html = [f"<p>{p.format(day=rng.choice(days), site=site)}</p>" for p in paragraphs[:3]]
    if photo is not None:
        html.append(photo_figure(photo.pk, "Seen from the other side, later the same day."))
    html.append("<h2>What happens next</h2>")
    html += [f"<p>{p.format(day=rng.choice(days), site=site)}</p>" for p in paragraphs[3:]]
    html.append(
        "<blockquote><p>“It shows what is possible when people work together.”</p></blockquote>"
    )
    if index in VIDEOS:
        html.append(embed_figure(VIDEOS[index]))
    return "\n".join(html)


def _photo(index: int, headline: str, report: DemoReport) -> Image:
    """Draw and file one demo photo (``index`` 100 and up: a story's second photo)."""
    rng = random.Random(1000 + index)
    agency = AGENCIES[index % len(AGENCIES)]
    photographer = PHOTOGRAPHERS[index % len(PHOTOGRAPHERS)]
    credit = f"{photographer}/{agency.title()}" if agency == "STAFF" else f"{agency}/{photographer}"
    image = Image(
        caption=f"A scene from the story “{headline}”. Illustration made for the demo.",
        credit=credit,
        copyright_notice=f"© {timezone.now().year} {agency.title()}",
        source="Newsroom demo library",
        alt_text=rng.choice(
            [
                "Stylised hills under a low sun at dusk",
                "Abstract landscape of mountains beside a calm sea",
                "Illustrated skyline with a bright sun over dark peaks",
            ]
        ),
    )
    image.file.save(f"demo-{index:02d}.jpg", ContentFile(draw_photo(index)), save=False)
    image.full_clean()
    image.save()
    schedule_renditions(image)
    report.add("photos")
    return image


#: The live story's updates, oldest first: (minutes before the story's newest, title,
#: text, pinned, key event, with a photo, with a video).
LIVE_UPDATES = [
    (300, "Flood warning issued", "The river authority raised its highest warning for the "
     "lower valley at dawn.", False, True, False, False),
    (240, "", "Sandbags are being handed out at the town hall until the evening.",
     False, False, False, False),
    (180, "What we know so far", "The barriers are holding. No one has been hurt. The river "
     "is expected to peak tonight; we will keep this page up to date.", True, False, False, False),
    (120, "Old bridge closed", "Police closed the old bridge to traffic as water reached "
     "its arches.", False, True, True, False),
    (60, "", "Engineers explain how the barriers work in this short film.",
     False, False, False, True),
    (20, "River peaks below the barrier tops", "The gauge at the old bridge read 6.2 metres, "
     "a record, 40 centimetres below the top of the barriers.", False, True, False, False),
]  # fmt: skip


def _live_coverage(article: Article, authors: list[Author], report: DemoReport) -> None:
    """Cover ``article`` live: a few updates, one pinned, key events (none if it has some)."""
    if article.live_updates.exists():
        return
    newest = article.published_at
    article.live_since = newest - timedelta(minutes=LIVE_UPDATES[0][0] + 10)
    article.save(update_fields=["live_since"])
    for n, (minutes, title, text, pinned, key, photo, video) in enumerate(LIVE_UPDATES):
        update = LiveUpdate(
            article=article,
            title=title,
            body=f"<p>{text}</p>",
            published_at=newest - timedelta(minutes=minutes),
            pinned=pinned,
            key_event=key,
            image=_photo(200 + n, title or article.headline, report) if photo else None,
            embed_url=VIDEOS[3] if video else "",
        )
        update.full_clean()
        update.save()
        update.authors.set([authors[n % 2]])
    report.add("live updates", len(LIVE_UPDATES))


def _demo_account(username: str, first_name: str, last_name: str):
    """Return the demo login ``username`` and whether it is new; its name is set on every run.

    The admin greets people by name, so accounts made before the names were given get them too.
    """
    names = {"first_name": first_name, "last_name": last_name}
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True, **names}
    )
    if not created and (user.first_name, user.last_name) != (first_name, last_name):
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
    return user, created


#: The home page's front, by index in STORIES: a lead, top stories, one named package.
HOME_LEAD = (5, "Housing law passes: councils may now buy empty homes")
HOME_TOP = (0, 10, 2)
HOME_PACKAGE = ("Election watch", (7, 9, 6))


def _curate_home(published: list[Article], report: DemoReport) -> None:
    """Give the home page a curated front, once: a newer story no longer takes the lead."""
    front, _ = Front.objects.get_or_create(section=None)
    if front.placements.exists():
        return
    lead, headline = HOME_LEAD
    placements = [Placement(front=front, article=published[lead], headline=headline)]
    placements += [
        Placement(front=front, article=published[index], position=position)
        for position, index in enumerate(HOME_TOP, start=1)
    ]
    name, indexes = HOME_PACKAGE
    package, _ = Package.objects.get_or_create(front=front, name=name)
    placements += [
        Placement(front=front, package=package, article=published[index], position=position)
        for position, index in enumerate(indexes)
    ]
    for placement in placements:
        placement.full_clean()
        placement.save()
    report.add("front placements", len(placements))


@transaction.atomic
def load_demo(site_name: str, editor_password: str) -> DemoReport:
    """Create the demo newsroom; objects that already exist are kept as they are."""
    report = DemoReport()
    sections = {}
    for name, slug, description in SECTIONS:
        sections[slug], created = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        report.add("sections", int(created))
    authors = []
    for name, bio in AUTHORS:
        slug = name.lower().replace(" ", "-").replace("á", "a")
        author, created = Author.objects.get_or_create(
            slug=slug, defaults={"name": name, "bio": bio}
        )
        authors.append(author)
        report.add("authors", int(created))

    now = timezone.now()
    stories: list[Article] = []
    plan = [
        (entry, Status.PUBLISHED, now - timedelta(hours=HOURS_AGO.get(entry[1], 7 * i + 1)))
        for i, entry in enumerate(STORIES)
    ]
    plan.append((DRAFT, Status.DRAFT, None))
    plan.append((SCHEDULED, Status.PUBLISHED, now + timedelta(days=3)))
    for index, ((section, headline, dek, tags), status, published_at) in enumerate(plan):
        article = Article.objects.filter(headline=headline).first()
        if article is None:
            in_body = (
                _photo(100 + index, headline, report) if index % BODY_PHOTO_EVERY == 0 else None
            )
            article = Article(
                headline=headline,
                dek=dek,
                body=_body(index, site_name, in_body),
                section=sections[section],
                # The demo's own stories are English, whatever the site's language.
                language="en",
                status=status,
                published_at=published_at,
                kind=STORY_KINDS.get(headline, StoryKind.NEWS),
                sponsor_name=SPONSOR if STORY_KINDS.get(headline) == StoryKind.SPONSORED else "",
            )
            if headline not in WITHOUT_PHOTO:
                article.lead_image = _photo(index, headline, report)
            article.full_clean()
            article.save()
            article.tags.set(tags)
            byline = [authors[index % len(authors)]]
            if index % 4 == 0:
                byline.append(authors[(index + 2) % len(authors)])
            ArticleAuthor.objects.bulk_create(
                ArticleAuthor(article=article, author=author, position=position)
                for position, author in enumerate(byline)
            )
            report.add("articles")
        stories.append(article)

    for index, language, headline, dek, paragraphs in TRANSLATIONS:
        original = stories[index]
        if Article.objects.filter(headline=headline).exists():
            continue
        translation = Article(
            headline=headline,
            dek=dek,
            body="\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
            section=original.section,
            status=Status.PUBLISHED,
            published_at=original.published_at + timedelta(minutes=30),
            language=language,
            translation_of=original,
            lead_image=original.lead_image,
        )
        translation.full_clean()
        translation.save()
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article=translation, author=line.author, position=line.position)
            for line in original.bylines.all()
        )
        report.add("translations")

    for name, description in TAG_DESCRIPTIONS.items():
        Tag.objects.filter(name=name, description="").update(description=description)

    published = stories[: len(STORIES)]
    for index, article in enumerate(published):
        if article.related_links.exists():
            continue
        links = [
            RelatedLink(
                article=article, target=published[(index + step) % len(published)], position=n
            )
            for n, step in enumerate((5, 11))
        ]
        if index % 5 == 0:
            links.append(
                RelatedLink(
                    article=article,
                    url="https://www.example.org/background",
                    title="Background: how we reported this story",
                    image=article.lead_image,
                    position=len(links),
                )
            )
        for link in links:
            link.full_clean()
        RelatedLink.objects.bulk_create(links)
        report.add("related links", len(links))

    _curate_home(published, report)
    # The newest story is covered live (the flood): updates, a pinned one, key events.
    _live_coverage(published[0], authors, report)

    editor, created = _demo_account("editor", "Demo", "Editor")
    if created:
        editor.set_password(editor_password)
        editor.save()
        editor.user_permissions.set(
            Permission.objects.filter(content_type__app_label__in=["articles", "taggit"])
        )
        report.add("editors")
    # A reporter, to try the workflow's roles: drafts and "submit for review", no publishing.
    reporter, created = _demo_account("reporter", "Demo", "Reporter")
    if created:
        reporter.set_password(editor_password)
        reporter.save()
        reporter.groups.set(Group.objects.filter(newsroom_role__kind="reporter"))
        report.add("reporters")
    return report
