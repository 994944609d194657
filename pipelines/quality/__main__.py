"""``python -m pipelines.quality``: rewrite the GX suites, validation definitions and checkpoints
under ``expectations/`` from ``suites.suite_specs()`` (then review and commit the files)."""

from pipelines.quality import config
from pipelines.quality.gx_project import build_project

if __name__ == "__main__":
    built = build_project()
    where = config.expectations_dir()
    print(f"wrote {len(built)} suites / validation definitions / checkpoints under {where}")
