"""`intervals-mirror chart` and `report --html`: the files they write, what those show, flag
errors that name the flag, and the page as a real browser (headless Chromium) shows it,
offline."""

from __future__ import annotations

import base64
import datetime as dt
import re
import zoneinfo
from collections.abc import Sequence
from pathlib import Path

import pytest

from intervals_mirror.charts.fitness import FORM_ZONES
from intervals_mirror.charts.load import SPORT_COLOURS
from intervals_mirror.charts.power_curve import COLOURS as CURVE_COLOURS
from intervals_mirror.cli import main
from intervals_mirror.config import Settings

import png_helpers
from browser_helpers import browser, visit
from server_helpers import SyncedStore


def today_of(template: SyncedStore) -> dt.date:
    return dt.datetime.now(zoneinfo.ZoneInfo(template.dataset.athlete["timezone"])).date()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_chart_writes_a_png_or_an_svg(offline: Settings, template: SyncedStore, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    png, svg = tmp_path / "fitness.png", tmp_path / "load.svg"
    code, out, _ = run(capsys, "--db", str(offline.db_path), "chart", "fitness",
                       "--out", str(png))
    assert code == 0 and out.startswith(f"Wrote {png}: Fitness chart ")
    width, height = png_helpers.size(png.read_bytes())
    assert 900 <= width <= 1100 and 400 <= height <= 600
    code, out, _ = run(capsys, "--db", str(offline.db_path), "chart", "load", "--type", "Run",
                       "--out", str(svg))
    held = {a["type"] for a in template.dataset.activities.values()
            if a.get("type") in ("Run", "VirtualRun", "TrailRun")}
    assert code == 0 and (" (Run family (" if len(held) > 1 else " (Run): ") in out
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
    (["chart", "fitness", "--out", "fitness.jpg"], "--out: expected FILE.png (or FILE.svg)"),
    (["report", "--html"], "--out: the HTML file to write is required"),
    (["report", "summary", "--html", "--out", "x.html"], "report: give a kind"),
    (["report", "summary", "--out", "x.html"], "--out: only `report --html` writes a file"),
    (["report", "--html", "--out", "x.html", "--by", "month"], "--by: only the text reports"),
    (["report", "summary", "--fields", "hrv"], "--fields: only the wellness report takes it"),
    (["report", "fitness", "--type", "Ride"], "--type: only the summary report takes it"),
    (["report", "wellness", "--type", "Run"], "--type: only the summary report takes it"),
])
def test_bad_flags_are_named(offline: Settings, capsys: pytest.CaptureFixture[str],
                             args: list[str], expected: str, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--db", str(offline.db_path), *args, *(
        ["--out", str(tmp_path / "x.png")] if args[0] == "chart" and "--out" not in args else []))
    assert code == 1
    assert err.startswith(f"intervals-mirror: {expected}"), err


@pytest.mark.parametrize("args", [["chart", "fitness"], ["report", "--html"],
                                  ["datasette-metadata"], ["bundle"]])
def test_an_out_file_in_a_missing_folder_is_a_flag_error_before_any_work(
        offline: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        args: list[str]) -> None:
    target = tmp_path / "no-such-folder" / ("x.png" if args[0] == "chart" else "x.html")
    with pytest.raises(SystemExit) as stopped:
        main(["--db", str(offline.db_path), *args, "--out", str(target)])
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert "argument --out: expected a file in an existing folder" in err, err
    assert f"(no folder {target.parent})" in err and "Error" not in err
    assert not target.parent.exists()


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


ALL_IMAGES_DRAWN = ("[...document.images].map(i => i.complete && i.naturalWidth > 0)")


@pytest.mark.skipif(browser() is None,
                    reason="no Chromium installed (Debian: apt-get install chromium): the HTML "
                           "report is not checked in a real browser")
def test_a_headless_browser_shows_the_report_with_its_charts_offline(
        offline: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The page as Chromium shows it, every host unresolvable: nothing asked of the network,
    nothing failed or logged, three charts drawn, and the screenshot shows them."""
    page = make_page(offline, tmp_path, capsys)
    seen = visit(page.as_uri(), tmp_path / "profile", width=1000, height=2500, ask={
        "images": ALL_IMAGES_DRAWN, "height": "document.documentElement.scrollHeight"})
    assert seen.failed == [] and seen.errors == []
    assert seen.requests[0] == page.as_uri()
    assert all(url.startswith("data:image/svg+xml;base64,") for url in seen.requests[1:])
    assert seen.found["images"] == [True, True, True]
    assert seen.found["height"] <= 2500, "the screenshot holds the whole page"
    image = png_helpers.read(seen.screenshot)
    colours = image.colours()
    assert sum(n for c, n in colours.items() if c != (255, 255, 255)) > 0.15 * 1000 * 2500

    def near(rgb: Sequence[int], within: int = 3) -> int:
        return sum(n for c, n in colours.items()
                   if all(abs(a - b) <= within for a, b in zip(c, rgb, strict=True)))

    for name, _, _, colour in FORM_ZONES:  # the fitness chart's zones, drawn at 55 % on white
        assert near([round(255 * 0.45 + int(colour[i:i + 2], 16) * 0.55)
                     for i in (1, 3, 5)]) > 1000, name
    assert near(rgb(SPORT_COLOURS[0])) > 5000  # the load chart's main sport
    for colour in CURVE_COLOURS:  # the power curve's two periods
        assert near(rgb(colour), 12) > 300, colour
    # the summary table's text: dark pixels in the page's top part
    top = png_helpers.Png(image.width, 400, image.channels, image.rows[:400]).colours()
    assert sum(n for c, n in top.items() if max(c) < 90) > 2000


def rgb(colour: str) -> list[int]:
    return [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
