"""When statisticians' files are due: monthly registers, yearly statistics."""

from __future__ import annotations

import dagster as dg

from pipelines.automation.jobs import full_run_job
from pipelines.settings import TIMEZONE

monthly_load_schedule = dg.ScheduleDefinition(
    name="monthly_registers_load",
    job=full_run_job,
    cron_schedule="0 8 5 * *",  # accidents, disasters, forest fires are filed by the 5th
    execution_timezone=str(TIMEZONE),
    tags={"em/trigger": "monthly"},
    description="每月5日08:00（北京时间）加载事故、灾害、森林火灾月报。",
)

yearly_load_schedule = dg.ScheduleDefinition(
    name="yearly_statistics_load",
    job=full_run_job,
    cron_schedule="0 8 1 4 *",  # preliminary GDP and population are out by spring
    execution_timezone=str(TIMEZONE),
    tags={"em/trigger": "yearly"},
    description="每年4月1日08:00（北京时间）加载社会经济统计与能力建设指标年报。",
)

schedules = [monthly_load_schedule, yearly_load_schedule]
