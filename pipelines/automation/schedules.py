"""When statisticians' files are due: monthly registers, yearly statistics (Beijing time).

Both schedules run the whole ``full_run`` job: the loaders take whatever is in the data folder
(new and changed files loaded, unchanged ones skipped), so a schedule never needs to know which
files it is for. They are on by default; they fire only while the Dagster daemon runs
(``make dev`` starts it with the UI). See docs/operations.md.
"""

from __future__ import annotations

import dagster as dg

from pipelines.automation.jobs import full_run_job
from pipelines.settings import TIMEZONE

monthly_load_schedule = dg.ScheduleDefinition(
    name="monthly_registers_load",
    job=full_run_job,
    cron_schedule="0 8 5 * *",  # accidents, disasters, forest fires are filed by the 5th
    execution_timezone=str(TIMEZONE),
    default_status=dg.DefaultScheduleStatus.RUNNING,
    tags={"em/trigger": "monthly"},
    description="每月5日08:00（北京时间）加载事故、灾害、森林火灾月报。"
    " Monthly load of the registers: the 5th of every month at 08:00 Beijing time.",
)

yearly_load_schedule = dg.ScheduleDefinition(
    name="yearly_statistics_load",
    job=full_run_job,
    cron_schedule="0 8 1 4 *",  # preliminary GDP and population are out by spring
    execution_timezone=str(TIMEZONE),
    default_status=dg.DefaultScheduleStatus.RUNNING,
    tags={"em/trigger": "yearly"},
    description="每年4月1日08:00（北京时间）加载社会经济统计与能力建设指标年报。"
    " Yearly load of statistics and capabilities: 1 April at 08:00 Beijing time.",
)

schedules = [monthly_load_schedule, yearly_load_schedule]
