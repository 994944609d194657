"""Private build file, single-writer lock and atomic publication of warehouse and reports."""
