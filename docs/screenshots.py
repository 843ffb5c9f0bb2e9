"""Redraw the README's report screenshots from a run: docs/report.png, docs/report-authors.png.

python docs/screenshots.py [RUN_DIR]     (default runs/default; needs Debian's chromium)
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
SHOTS = {"report.png": "#map", "report-authors.png": "#authors"}


def main(run_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    report = (run_dir / "report.html").resolve()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(report.as_uri())
        page.wait_for_selector("#fig-map .main-svg")
        for name, anchor in SHOTS.items():
            page.locator(anchor).scroll_into_view_if_needed()
            page.evaluate(f"document.querySelector('{anchor}').scrollIntoView()")
            page.wait_for_timeout(300)
            page.screenshot(path=str(DOCS / name))
            print("written:", DOCS / name)
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("runs/default"))
