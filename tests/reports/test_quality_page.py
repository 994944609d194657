"""The quality page's words: the gate's message beside its title, in Chinese."""

from __future__ import annotations

from pipelines.reports.quality_page import check_message

SOURCES = {"accidents": "生产安全事故", "disasters": "自然灾害", "forest_fires": "森林火灾"}


def test_a_check_message_drops_its_repeated_opening_and_names_sources_in_chinese():
    message = (
        "检查 marts_fct_missing_submissions_monthly_filed（各县级单位按月报送（含零报告））"
        "未通过：3 项不符合。"
        "涉及：131124 2026-10 accidents；230524 2026-09 forest_fires；131172 2026-10 disasters。"
    )
    shown = check_message(
        "marts_fct_missing_submissions_monthly_filed", "各县级单位按月报送（含零报告）", message, SOURCES
    )
    assert shown == (
        "未通过：3 项不符合。"
        "涉及：131124 2026-10 生产安全事故；230524 2026-09 森林火灾；131172 2026-10 自然灾害。"
    )


def test_file_names_and_other_messages_are_left_as_they_are():
    message = "文件 accidents_2026.csv 第 3 行；raw.accidents 中 2 行"
    assert check_message("x", "标题", message, SOURCES) == message
    assert check_message("x", "标题", None, SOURCES) == ""
