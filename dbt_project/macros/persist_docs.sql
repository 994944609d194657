{#-
  persist_docs in one statement per relation (issue 20, round 7).

  Mirrors dbt-core 1.11's default__persist_docs with dbt-duckdb 1.11.1's duckdb__alter_relation_comment
  and duckdb__alter_column_comment, which together send four statements per model, view and seed:
  the table's comment, the relation's columns (DESCRIBE) twice (once in persist_docs, once in
  duckdb__alter_column_comment) and the columns' comments. Here: the columns once, then the table's
  and every column's comment as one `;`-separated script (DuckDB runs them in one execute, inside the
  model's transaction). Same comments, same escaping (duckdb_escape_comment), same warning for a
  documented column the relation lacks (validate_doc_columns). 163 nodes × 2 fewer round trips
  through dbt (each ~4 events and a cursor call). Tested by tests/dbt/test_persist_docs.py and
  tests/analysts/test_column_comments.py; check it again when dbt-duckdb changes these macros.
-#}
{% macro duckdb__persist_docs(relation, model, for_relation, for_columns) -%}
  {%- set statements = [] -%}
  {%- if for_relation and config.persist_relation_docs() and model.description -%}
    {%- do statements.append(duckdb__alter_relation_comment(relation, model.description) | trim) -%}
  {%- endif -%}
  {%- if for_columns and config.persist_column_docs() and model.columns -%}
    {%- set existing_columns = adapter.get_columns_in_relation(relation) | map(attribute="name") | list -%}
    {%- set documented = validate_doc_columns(relation, model.columns, existing_columns) -%}
    {%- for column_name, column in documented.items() -%}
      {%- set name = adapter.quote(column_name) if column['quote'] else column_name -%}
      {%- do statements.append("comment on column " ~ relation ~ "." ~ name ~ " is "
                               ~ (duckdb_escape_comment(column['description']) | trim) ~ ";") -%}
    {%- endfor -%}
  {%- endif -%}
  {%- if statements -%}
    {%- do run_query(statements | join("\n")) -%}
  {%- endif -%}
{%- endmacro %}
