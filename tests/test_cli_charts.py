"""`intervals-mirror chart` and `report --html`: the files they write, what those show, flag
errors that name the flag, and the page as a real browser (headless Chromium) shows it,
offline."""

from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
import subprocess
import zoneinfo
from pathlib import Path

import pytest

from intervals_mirror.charts.fitness import FORM_ZONES
from intervals_mirror.cli import main
from intervals_mirror.config import Settings

import png_helpers
from server_helpers import SyncedStore

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def today_of(template: SyncedStore) -> dt.date:
    return dt.datetime.now(zoneinfo.ZoneInfo(template.dataset.athlete["timezone"])).date()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_chart_writes_a_png_or_an_svg(offline: Settings, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    png, svg = tmp_path / "fitness.png", tmp_path / "load.svg"
    code, out, _ = run(capsys, "--db", str(offline.db_path), "chart", "fitness",
                       "--out", str(png))
    assert code == 0 and out.startswith(f"Wrote {png}: Fitness chart ")
    width, height = png_helpers.size(png.read_bytes())
    assert 900 <= width <= 1100 and 400 <= height <= 600
    code, out, _ = run(capsys, "--db", str(offline.db_path), "chart", "load", "--type", "Run",
                       "--out", str(svg))
    assert code == 0 and " (Run family (" in out
    assert svg.read_text(encoding="utf-8").startswith("<svg")
    curve = tmp_path / "curve.png"
    code, out, _ = run(capsys, "--db", str(offline.db_path), "chart", "power_curve", "--from",
                       "2026-01-01", "--to", "2026-03-31", "--out", str(curve))
    assert code == 0 and out.startswith(
        f"Wrote {curve}: Power curve, Ride family (Ride, VirtualRide), best watts by duration: "
        "This period, 2026-01-01 to 2026-03-31: ")
    assert "; Period before, 2025-10-03 to 2025-12-31: " in out
    assert png_helpers.size(curve.read_bytes())[0] >= 900


@pytest.mark.parametrize(("args", "expected"), [
    (["chart", "fitness", "--from", "2026-13-01"], "--from: expected a date YYYY-MM-DD"),
    (["chart", "load", "--type", "Curling"], "--type: no 'Curling' activities"),
    (["chart", "wellness", "--fields", "wingspan"], "--fields: unknown wellness field"),
    (["report", "--html"], "--out: the HTML file to write is required"),
    (["report", "summary", "--html", "--out", "x.html"], "report: give a kind"),
])
def test_bad_flags_are_named(offline: Settings, capsys: pytest.CaptureFixture[str],
                             args: list[str], expected: str, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--db", str(offline.db_path), *args, *(
        ["--out", str(tmp_path / "x.png")] if args[0] == "chart" else []))
    assert code == 1
    assert err.startswith(f"intervals-mirror: {expected}"), err


def make_page(offline: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    page = tmp_path / "report.html"
    code, out, _ = run(capsys, "--db", str(offline.db_path), "report", "--html",
                       "--out", str(page))
    assert code == 0 and out.startswith(f"Wrote {page} (")
    return page


def test_the_html_report_holds_the_summary_and_the_charts_and_fetches_nothing(
        offline: Settings, template: SyncedStore, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    end = today_of(template)
    start = end - dt.timedelta(days=90)
    html = make_page(offline, tmp_path, capsys).read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    for a in template.dataset.activities.values():
        if start.isoformat() <= a["start_date_local"][:10] <= end.isoformat():
            sport = a.get("type") or "Unknown"
            counts[sport] = counts.get(sport, 0) + 1
    cells = dict(re.findall(r"<tr><td>([^<]+)</td><td>(\d[\d,]*) activit", html))
    assert {s: int(n.replace(",", "")) for s, n in cells.items()} == counts
    assert f"{start} to {end}" in html
    images = re.findall(r'<img alt="[^"]*" src="data:image/svg\+xml;base64,([^"]+)">', html)
    assert len(images) == 3
    svgs = [base64.b64decode(i).decode("utf-8") for i in images]
    assert "Fitness, fatigue and form" in svgs[0] and "training load" in svgs[1]
    assert "Power curve: Ride family (" in svgs[2] and "Duration" in svgs[2]
    assert "Fitness chart " in html and "Weekly training load and hours by sport" in html
    before = start - dt.timedelta(days=91)
    assert (f"Power curve, Ride family (Ride, VirtualRide), best watts by duration: This "
            f"period, {start} to {end}: ") in html
    assert f"; Period before, {before} to {start - dt.timedelta(days=1)}: " in html
    outside = re.sub(r'src="data:[^"]+"', "", html)
    assert not re.search(r'(src|href)\s*=\s*"(?!data:)', outside)
    assert "<script" not in outside and "@import" not in outside
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_the_report_of_a_sport_without_power_says_so_instead_of_a_curve(
        offline: Settings, template: SyncedStore, tmp_path: Path) -> None:
    page = tmp_path / "swim.html"
    assert main(["--db", str(offline.db_path), "report", "--html", "--type", "Swim",
                 "--out", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert html.count('<img alt="') == 2  # fitness and load
    powered = {a["type"] for a in template.dataset.activities.values()
               if a.get("icu_average_watts")}
    assert "<h2>Power curve</h2>\n<p class=\"notes\">Power curve, Swim, best watts" in html
    assert ": no activity with power; Period before, " in html
    assert "sports with power curves: " in html
    named = html.split("sports with power curves: ")[1].split(".")[0].split(", ")
    assert set(named) <= set(powered) and "Swim" not in named


def _browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


@pytest.mark.skipif(_browser() is None,
                    reason="no Chromium installed (Debian: apt-get install chromium): the HTML "
                           "report is not checked in a real browser")
def test_a_headless_browser_shows_the_report_with_its_charts_offline(
        offline: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = make_page(offline, tmp_path, capsys)
    shot = tmp_path / "report.png"
    browser = _browser()
    assert browser
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--hide-scrollbars", "--window-size=1000,1300", f"--screenshot={shot}",
         page.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert shot.exists(), result.stderr[-2000:]
    image = png_helpers.read(shot.read_bytes())
    assert (image.width, image.height) == (1000, 1300)
    colours = image.colours()
    # the fitness chart's form zones, as the page shows them (drawn at 55 % over white)
    for name, _, _, colour in FORM_ZONES:
        rgb = [round(255 * 0.45 + int(colour[i:i + 2], 16) * 0.55) for i in (1, 3, 5)]
        near = sum(n for c, n in colours.items()
                   if all(abs(a - b) <= 3 for a, b in zip(c, rgb, strict=True)))
        assert near > 1000, (name, near)
    # the summary table's text: dark pixels in the page's top part
    top = png_helpers.Png(image.width, 400, image.channels, image.rows[:400]).colours()
    assert sum(n for c, n in top.items() if max(c) < 90) > 2000
