"""WordPress's automatic paragraphs, as the importer applies them to classic-editor posts."""

from articles.wpautop import wpautop


def test_blank_lines_make_paragraphs_and_single_newlines_breaks():
    assert wpautop("One\nline\n\nTwo") == "<p>One<br>\nline</p>\n<p>Two</p>"


def test_block_elements_are_not_wrapped():
    assert wpautop("Intro\n<h2>Head</h2>\nText") == "<p>Intro</p>\n<h2>Head</h2>\n<p>Text</p>"


def test_text_inside_a_block_gets_its_paragraph():
    html = wpautop("<blockquote>Quoted\n\nTwice</blockquote>")
    assert html == "<blockquote>\n<p>Quoted</p>\n<p>Twice</p>\n</blockquote>"


def test_preformatted_text_is_left_alone():
    assert wpautop("<pre>a\n\nb</pre>") == "<pre>a\n\nb</pre>"


def test_block_editor_content_is_returned_unchanged():
    html = "<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph -->"
    assert wpautop(html) == html


def test_empty_text_stays_empty():
    assert wpautop("  \n ") == "  \n "
