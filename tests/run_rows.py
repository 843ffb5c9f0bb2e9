"""Four paragraphs from four answers, in two topics, as a run's rows: the small real run the
run-folder and notebook-write tests build with ``Run.from_documents``."""

ROWS = [
    {
        "paragraph_id": f"q1-a{i}-p1",
        "question_id": "q1",
        "answer_id": f"q1-a{i}",
        "author": f"author {i % 2}",
        "position": 0,
        "language": "en",
        "text": text,
        "topic": i % 2,
        "topic_label": ["sanctions", "alliance"][i % 2],
        "probability": 0.9,
        "x": float(i),
        "y": float(-i),
    }
    for i, text in enumerate(
        [
            "Sanctions will stay as long as the war goes on.",
            "NATO keeps growing eastwards, so nothing will change.",
            "New sanctions on Russian banks followed the summit.",
            "Finland joining NATO moved the alliance to Russia's border.",
        ]
    )
]
