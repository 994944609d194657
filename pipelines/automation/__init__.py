"""Schedules and the file-arrival sensor (Asia/Shanghai time)."""
