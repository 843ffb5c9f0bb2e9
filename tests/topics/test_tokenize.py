from themescope.topics.tokenize import MultilingualTokenizer, _unglue, segment_chinese


def test_traditional_chinese_segments_into_words_in_its_own_script():
    tokens = segment_chinese("圍堵亞太國家")
    assert tokens == ["圍堵", "亞太", "國家"]


def test_keywords_are_words_not_clauses_or_function_characters():
    tokenize = MultilingualTokenizer()
    tokens = tokenize("美國投入大量資源制裁俄羅斯、圍堵俄羅斯,無疑就放鬆了對亞太地區的控制")
    assert "制裁" in tokens and "俄羅斯" in tokens and "圍堵" in tokens
    assert all(len(t) >= 2 for t in tokens)
    assert not {"的", "了", "就", "對"} & set(tokens)
    assert all(len(t) <= 6 for t in tokens)  # words, not clauses


def test_mixed_scripts_numbers_and_stopwords():
    tokenize = MultilingualTokenizer()
    tokens = tokenize("特朗普在6月15日G7峰會上 said the sanctions against Russia 2018")
    assert "特朗普" in tokens and "峰會" in tokens
    assert "sanctions" in tokens and "russia" in tokens
    assert "the" not in tokens and "2018" not in tokens and "6" not in tokens


def test_simplified_chinese_and_memo():
    tokenize = MultilingualTokenizer()
    text = "美国对俄罗斯的制裁"
    first = tokenize(text)
    assert "制裁" in first and "俄罗斯" in first
    assert tokenize(text) is first


def test_japanese_is_segmented_into_nouns_by_mecab():
    tokenizer = MultilingualTokenizer()
    tokens = tokenizer("米国はアジア太平洋地域に戦略の重心を移した。制裁は続いている。")
    assert {"米国", "アジア", "太平洋", "戦略", "制裁"} <= set(tokens)
    # No particles, verbs or kana fragments; kanji runs are not cut as Chinese (jieba: 太平洋地)
    assert not {"は", "に", "の", "を", "移し", "た", "いる", "太平洋地"} & set(tokens)
    assert tokenizer("プーチン大統領はヘルシンキで会談した") == ["プーチン", "大統領", "ヘルシンキ", "会談"]


def test_dictionary_entries_gluing_a_function_character_are_split():
    # jieba's dictionary lists 和普京 ("and Putin"); the name is the keyword.
    tokens = MultilingualTokenizer()("特朗普和普京雙方的需要")
    assert "普京" in tokens and "和普京" not in tokens
    # Negations stay attached: 不虔誠 is not 虔誠.
    assert _unglue("不虔诚") == ["不虔诚"]
    assert _unglue("核查员") == ["核查员"]  # a content character is not stray
    assert _unglue("局局长") == ["局", "局长"]  # 戰略忽悠局局長: the bureau's chief


def test_latin_greek_and_cyrillic_words_keep_their_inner_apostrophes_and_hyphens():
    tokenize = MultilingualTokenizer()
    text = "Don't re-elect O’Brien's_x İSTANBUL ΣΟΦΊΑ Straße 3d x the well-known -dash- 'quote' naïve Санкции"
    assert tokenize(text) == [
        "re-elect",
        "o’brien's",
        "i̇stanbul",
        "σοφία",
        "straße",
        "well-known",
        "dash",
        "quote",
        "naïve",
        "санкции",
    ]
