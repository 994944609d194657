"""Schedules (Beijing time), the jobs they run, and the rebuild ("backfill") job."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import islice
from zoneinfo import ZoneInfo

import dagster as dg
from dagster._utils.schedules import cron_string_iterator

from pipelines.automation.jobs import FULL_RUN_JOB, REBUILD_JOB, jobs, rebuild_job
from pipelines.automation.schedules import monthly_load_schedule, schedules, yearly_load_schedule

SHANGHAI = ZoneInfo("Asia/Shanghai")


def next_ticks(schedule: dg.ScheduleDefinition, after: datetime, n: int) -> list[datetime]:
    it = cron_string_iterator(after.timestamp(), schedule.cron_schedule, schedule.execution_timezone)
    return [t.astimezone(SHANGHAI).replace(tzinfo=None) for t in islice(it, n)]


def test_schedules_run_the_full_job_in_beijing_time():
    assert {s.name for s in schedules} == {"monthly_registers_load", "yearly_statistics_load"}
    for s in schedules:
        assert s.execution_timezone == "Asia/Shanghai"
        assert s.job_name == FULL_RUN_JOB
        assert s.default_status == dg.DefaultScheduleStatus.RUNNING
    assert monthly_load_schedule.cron_schedule == "0 8 5 * *"
    assert yearly_load_schedule.cron_schedule == "0 8 1 4 *"


def test_monthly_load_is_on_the_fifth_at_eight_beijing_time():
    ticks = next_ticks(monthly_load_schedule, datetime(2026, 11, 26, tzinfo=SHANGHAI), 3)
    assert ticks == [datetime(2026, 12, 5, 8), datetime(2027, 1, 5, 8), datetime(2027, 2, 5, 8)]
    # 08:00 in Beijing is midnight UTC: a UTC server still fires at the right moment
    utc = next(
        cron_string_iterator(
            datetime(2026, 11, 26, tzinfo=UTC).timestamp(),
            monthly_load_schedule.cron_schedule,
            "Asia/Shanghai",
        )
    )
    assert utc.astimezone(UTC).replace(tzinfo=None) == datetime(2026, 12, 5, 0, 0)


def test_yearly_load_is_on_the_first_of_april():
    ticks = next_ticks(yearly_load_schedule, datetime(2026, 11, 26, tzinfo=SHANGHAI), 2)
    assert ticks == [datetime(2027, 4, 1, 8), datetime(2028, 4, 1, 8)]


def test_a_schedule_tick_asks_for_one_full_run_tagged_with_its_trigger():
    for schedule, tag in ((monthly_load_schedule, "monthly"), (yearly_load_schedule, "yearly")):
        context = dg.build_schedule_context(
            scheduled_execution_time=datetime(2026, 12, 5, 8, tzinfo=SHANGHAI)
        )
        result = schedule.evaluate_tick(context)
        assert len(result.run_requests) == 1
        assert result.run_requests[0].tags["em/trigger"] == tag


def test_the_rebuild_job_starts_from_an_empty_build_file():
    from pipelines.definitions import defs

    assert {j.name for j in jobs} == {FULL_RUN_JOB, REBUILD_JOB}
    merged = dg.Definitions.merge(defs, dg.Definitions(jobs=[rebuild_job]))
    job = merged.resolve_job_def(REBUILD_JOB)
    resolved = dg.validate_run_config(job, {})
    assert resolved["ops"]["warehouse_workspace"]["config"]["rebuild"] is True
    full = merged.resolve_job_def(FULL_RUN_JOB)
    assert dg.validate_run_config(full, {})["ops"]["warehouse_workspace"]["config"]["rebuild"] is False
    assert {k.to_user_string() for k in job.asset_layer.executable_asset_keys} == {
        k.to_user_string() for k in full.asset_layer.executable_asset_keys
    }
