from themescope.config import CurationStep
from themescope.curation.anchors import excerpt, resolve_steps

IDS = ["q1-a1-p1", "q1-a1-p2", "q1-a2-p1", "q1-a2-p2"]
TEXTS = [
    "美國想要和俄羅斯恢復關係?不存在的,起碼但就目前的形勢來看,現在談這個還為時尚早。",
    "其實以美國的性子,和俄羅斯之間想要關係逐漸正常化,前提是俄羅斯必須付出一定代價。",
    "特朗普始終對普京懷有好感。在他沒有當選美國總統之前,他就在俄羅斯投資興業。",
    "近期美國的通俄門調查接近尾聲,特朗普就急不可耐的,謀求與普京舉行直接對話。",
]


def _rename(anchor) -> CurationStep:
    return CurationStep.model_validate({"rename": anchor, "label": "x"})


def test_an_id_alone_is_taken_where_it_exists_but_unchecked():
    step, gone = resolve_steps([_rename("q1-a2-p1"), _rename("q9-a1-p1")], IDS, TEXTS)
    assert step.rows == [2] and step.anchors[0].status == "unchecked"
    assert gone.rows == [] and gone.anchors[0].status == "gone"


def test_text_that_moved_to_another_id_is_found_there():
    # An answer gained a paragraph: q1-a1-p1's text is now at q1-a1-p2.
    shifted = [TEXTS[0][:5] + "!", TEXTS[0], *TEXTS[2:]]
    (step,) = resolve_steps([_rename({"id": "q1-a1-p1", "text": excerpt(TEXTS[0])})], IDS, shifted)
    assert step.rows == [1]
    assert (step.anchors[0].status, step.anchors[0].found) == ("found elsewhere", "q1-a1-p2")


def test_an_edited_paragraph_still_holds_a_gone_one_does_not():
    edited = [TEXTS[0] + "後面加了一句話。", *TEXTS[1:]]
    anchor = {"id": "q1-a1-p1", "text": excerpt(TEXTS[0])}
    (step,) = resolve_steps(
        [_rename(anchor)], IDS, [TEXTS[0][:20] + "改了一些字" + TEXTS[0][25:], *TEXTS[1:]]
    )
    assert step.rows == [0] and step.anchors[0].status == "edited"
    (step,) = resolve_steps([_rename(anchor)], IDS, edited)  # its start is the same
    assert step.anchors[0].status == "held"
    (step,) = resolve_steps([_rename(anchor)], IDS, ["Something else entirely, in English.", *TEXTS[1:]])
    assert step.rows == [] and step.anchors[0].status == "gone"


def test_whitespace_does_not_matter():
    spaced = ["  " + TEXTS[0][:10] + "\n\t " + TEXTS[0][10:], *TEXTS[1:]]
    (step,) = resolve_steps(
        [_rename({"id": "q1-a1-p1", "text": excerpt(TEXTS[0][:10] + " " + TEXTS[0][10:])})], IDS, spaced
    )
    assert step.anchors[0].status == "held"


def test_move_resolves_its_destination_and_two_anchors_on_one_paragraph_count_once():
    step = CurationStep.model_validate({"move": ["q1-a1-p1", "q1-a1-p1", "q1-a2-p2"], "to": "q1-a2-p1"})
    (resolved,) = resolve_steps([step], IDS, TEXTS)
    assert resolved.rows == [0, 3] and resolved.to == 2
    step = CurationStep.model_validate({"move": ["q1-a1-p1"], "to": "q7-a1-p1"})
    (resolved,) = resolve_steps([step], IDS, TEXTS)
    assert resolved.to is None and resolved.anchors[-1].status == "gone"
