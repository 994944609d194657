"""One module per section of a plan report, each read → shape → chart (see plan_report.py)."""
