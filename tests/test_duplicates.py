from articles.duplicates import duplicate_groups


def test_groups_names_equal_once_folded():
    groups = duplicate_groups(
        [(1, "Kim Jong Un"), (2, "Rain"), (3, "Kim Jong-un"), (4, "kim  jong un")]
    )
    assert groups == [[1, 3, 4]]


def test_groups_close_spellings():
    groups = duplicate_groups([(1, "Zelensky"), (2, "Zelenskyy"), (3, "Zelenksy"), (4, "Putin")])
    assert groups == [[1, 2, 3]]


def test_short_names_need_an_exact_fold():
    assert duplicate_groups([(1, "Iran"), (2, "Iraq"), (3, "EU"), (4, "US")]) == []


def test_names_without_letters_are_left_alone():
    assert duplicate_groups([(1, "🌊"), (2, "🔥")]) == []
