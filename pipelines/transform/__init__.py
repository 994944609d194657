"""dbt inside Dagster: the models that compute every indicator, run with `dbt build`."""
