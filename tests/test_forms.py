import pytest
from django.core.exceptions import ValidationError

from articles.forms import TagNamesField, TagNamesWidget
from articles.models import Tag


def test_tag_field_keeps_multi_word_tags_whole():
    assert TagNamesField().clean("climate change") == ["climate change"]


def test_tag_field_refuses_unbalanced_quotes():
    with pytest.raises(ValidationError) as info:
        TagNamesField().clean('"Washington, D.C., rain')
    assert info.value.code == "unbalanced"


def test_tag_field_sees_case_only_edits_as_unchanged():
    assert not TagNamesField().has_changed([Tag(name="Rain")], "rain")


def test_tag_widget_shows_names_with_commas_only():
    html = TagNamesWidget().render("tags", [Tag(name="climate change"), Tag(name="Floods")])
    assert 'value="climate change, Floods"' in html
