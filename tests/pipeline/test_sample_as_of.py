"""The bundled sample carries its own as-of date: a run on it shows the same state on any day."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines import settings as settings_module
from pipelines.runner import as_of_note
from pipelines.settings import DEFAULT_DATA_DIR, PipelineSettings, sample_as_of

FAR_FUTURE = date(2031, 3, 15)


@pytest.fixture
def later_today(monkeypatch):
    """Pretend the run happens years after the sample was made."""
    monkeypatch.setattr(settings_module, "today_in_china", lambda: FAR_FUTURE)


def test_the_bundled_sample_says_its_as_of_date():
    assert sample_as_of(DEFAULT_DATA_DIR) == date(2026, 11, 26)


def test_a_run_on_the_sample_uses_its_date_on_any_day(later_today):
    settings = PipelineSettings(data_dir=str(DEFAULT_DATA_DIR))
    assert settings.as_of_date == date(2026, 11, 26)
    assert settings.as_of_origin == "sample"
    assert "SAMPLE_DATA.txt" in as_of_note(settings) and "--as-of" in as_of_note(settings)


def test_an_explicit_as_of_still_wins(later_today, monkeypatch):
    given = PipelineSettings(data_dir=str(DEFAULT_DATA_DIR), as_of="2025-12-31")
    assert (given.as_of_date, given.as_of_origin, as_of_note(given)) == (date(2025, 12, 31), "given", "")
    monkeypatch.setenv("EM_AS_OF", "2026-06-30")
    from_env = PipelineSettings(data_dir=str(DEFAULT_DATA_DIR))
    assert (from_env.as_of_date, from_env.as_of_origin) == (date(2026, 6, 30), "given")


def test_real_data_runs_as_of_today(later_today, tmp_path):
    (tmp_path / "accidents").mkdir()
    settings = PipelineSettings(data_dir=str(tmp_path))
    assert (settings.as_of_date, settings.as_of_origin) == (FAR_FUTURE, "today")
    assert "today" in as_of_note(settings)


@pytest.mark.parametrize("text", [
    "示例数据 / SAMPLE DATA\n",  # an older marker without a date
    "示例数据\nas-of: 2026-13-45\n",  # not a date
    "示例数据\nsee as-of: 2026-11-26 in the README\n",  # not a line of its own
])
def test_a_marker_without_a_valid_date_falls_back_to_today(later_today, tmp_path, text):
    (tmp_path / "SAMPLE_DATA.txt").write_text(text, encoding="utf-8")
    settings = PipelineSettings(data_dir=str(tmp_path))
    assert settings.is_sample_data
    assert (settings.as_of_date, settings.as_of_origin) == (FAR_FUTURE, "today")


def test_generated_samples_carry_the_date(tmp_path):
    from sample.profiles import AS_OF
    from sample.readme import marker_text

    (tmp_path / "SAMPLE_DATA.txt").write_text(marker_text(AS_OF), encoding="utf-8")
    assert sample_as_of(tmp_path) == date.fromisoformat(AS_OF)
