"""WordPress shortcodes: captions become figures, embeds stay as URL lines, others go."""

from articles.importers.shortcodes import FigurePhoto, attributes, convert


def no_photo(_attachment_id):
    return None


def test_attributes_accept_all_quotings():
    assert attributes(""" id="attachment_5" align='alignleft' width=300""") == {
        "id": "attachment_5",
        "align": "alignleft",
        "width": "300",
    }


def test_caption_becomes_figure_keeping_the_original_image_when_not_imported():
    result = convert(
        '[caption id="attachment_5"]<img src="a.jpg" alt="A"> Boats.[/caption]', no_photo
    )
    assert (
        result.html.strip()
        == '<figure><img src="a.jpg" alt="A"><figcaption>Boats.</figcaption></figure>'
    )
    assert result.figures == 1 and result.attachment_ids == [5]


def test_caption_around_an_imported_photo_becomes_its_body_figure():
    result = convert(
        '[caption id="attachment_5"]<a href="x"><img src="a.jpg" alt="A"></a> Boats.[/caption]',
        lambda attachment_id: FigurePhoto(pk=1),
    )
    assert result.html.strip() == '<figure data-image="1"><figcaption>Boats.</figcaption></figure>'
    assert result.alt_texts == {1: "A"}


def test_old_caption_attribute_is_read():
    result = convert(
        '[caption id="attachment_5" caption="Boats."]<img src="a.jpg">[/caption]', no_photo
    )
    assert "<figcaption>Boats.</figcaption>" in result.html


def test_embed_becomes_a_line_holding_the_url():
    result = convert("See [embed]https://youtu.be/abc[/embed] now", no_photo)
    assert "https://youtu.be/abc" in result.html.splitlines()
    assert result.embeds == 1


def test_unknown_bracketed_words_are_text():
    assert convert("He said [sic] and [1].", no_photo).html == "He said [sic] and [1]."


def test_escaped_shortcode_is_kept_literally():
    result = convert("Write [[gallery]] to show one.", no_photo)
    assert result.html == "Write [gallery] to show one." and not result.dropped


def test_dropped_shortcodes_are_counted_by_name():
    result = convert('[audio src="a.mp3"] [gallery] [box]Kept[/box]', no_photo)
    assert result.html.strip() == "Kept"
    assert result.dropped == {"audio": 1, "gallery": 1, "box": 1}
