import pytest

from articles.text import fold_name, join_tag_names, split_tag_names, tag_key


@pytest.mark.parametrize("name", ["Putin", "putin", "Ｐｕｔｉｎ", "Pu\u200btin", "  PUTIN "])
def test_tag_key_makes_variants_one(name):
    assert tag_key(name) == "putin"


def test_split_tag_names_splits_on_commas_only():
    assert split_tag_names("climate change, North  Korea,,") == ["climate change", "North Korea"]


def test_split_tag_names_drops_repeats_ignoring_case():
    assert split_tag_names("Floods, floods, FLOODS") == ["Floods"]


def test_split_tag_names_keeps_quoted_commas():
    assert split_tag_names('"Washington, D.C.", rain') == ["Washington, D.C.", "rain"]


def test_join_tag_names_round_trips():
    names = ["Washington, D.C.", "climate change"]
    assert split_tag_names(join_tag_names(names)) == names


@pytest.mark.parametrize("name", ["Kim Jong Un", "Kim Jong-un", "kim  jong un", "Kím Jong Ün"])
def test_fold_name_ignores_case_punctuation_diacritics_and_spaces(name):
    assert fold_name(name) == "kimjongun"
