package io.sluice.web.api.v2;

import static io.sluice.web.api.BodySchema.NAME;
import static io.sluice.web.api.BodySchema.NAME_HELP;
import static io.sluice.web.api.BodySchema.any;
import static io.sluice.web.api.BodySchema.bool;
import static io.sluice.web.api.BodySchema.dateTime;
import static io.sluice.web.api.BodySchema.integer;
import static io.sluice.web.api.BodySchema.object;
import static io.sluice.web.api.BodySchema.string;

import io.sluice.web.api.BodySchema;

/**
 * The one schema of each {@code /api/v2} request body: the fields of Airflow 3's document (which
 * refuses unknown ones too), with the lengths the metadata database can store, so that a body is
 * refused with a 422 naming the field before anything is written. The handlers read bodies only
 * through these.
 */
final class V2Bodies {
  private V2Bodies() {}

  private static final int NOTE = 1000;
  private static final int DESCRIPTION = 1000;

  private static BodySchema v2(BodySchema.Field... fields) {
    return BodySchema.of(fields).refusingWith(422);
  }

  private static BodySchema.Field name(String field) {
    return string(field, 250).pattern(NAME, NAME_HELP);
  }

  private static BodySchema.Field runId(String field) {
    return string(field, 250)
        .pattern("[A-Za-z0-9_.:+\\-~]{1,250}", "1 to 250 letters, digits or _ . : + - ~");
  }

  private static BodySchema.Field teamName() {
    return string("team_name", 50);
  }

  static final BodySchema VARIABLE =
      v2(
          name("key").required(),
          any("value", 1_000_000).required(),
          string("description", DESCRIPTION),
          teamName());

  /** PATCH: the fields of {@link #VARIABLE}, each optional (the update mask says which count). */
  static final BodySchema VARIABLE_PATCH =
      v2(name("key"), any("value", 1_000_000), string("description", DESCRIPTION), teamName());

  static final BodySchema POOL =
      v2(
          name("name").required(),
          integer("slots", -1, Integer.MAX_VALUE).required(),
          string("description", DESCRIPTION),
          bool("include_deferred"),
          teamName());

  static final BodySchema POOL_PATCH =
      v2(
          name("pool"),
          integer("slots", -1, Integer.MAX_VALUE),
          string("description", DESCRIPTION),
          bool("include_deferred"),
          teamName());

  /** Connection fields; {@code connection_id} and {@code conn_type} required when creating. */
  private static BodySchema connection(boolean create) {
    BodySchema.Field id = name("connection_id");
    BodySchema.Field type =
        string("conn_type", 100)
            .pattern("[A-Za-z0-9_.\\-]{1,100}", "1 to 100 letters, digits or _ . -");
    return v2(
        create ? id.required() : id,
        create ? type.required() : type,
        string("description", DESCRIPTION),
        string("host", 500),
        integer("port", 0, 65535),
        string("login", 500),
        // why: stored encrypted in 4,000 characters: 700 characters of up to 3 UTF-8 bytes each,
        // with IV and tag, in base64, fit
        string("password", 700),
        string("schema", 500),
        any("extra", 100_000),
        teamName());
  }

  static final BodySchema CONNECTION = connection(true);

  /** PATCH and {@code /connections/test}: the connection fields, each optional. */
  static final BodySchema CONNECTION_PARTIAL = connection(false);

  static final BodySchema DAG_PATCH = v2(bool("is_paused"));

  static final BodySchema TRIGGER =
      v2(
          object("conf", 1_000_000),
          runId("dag_run_id"),
          dateTime("data_interval_start"),
          dateTime("data_interval_end"),
          dateTime("logical_date"),
          dateTime("run_after"),
          string("note", NOTE),
          string("partition_key", 250));

  static final BodySchema RUN_PATCH =
      v2(string("state", 16).oneOf("queued", "success", "failed"), string("note", NOTE));

  static final BodySchema RUN_CLEAR =
      v2(bool("dry_run"), bool("only_failed"), bool("run_on_latest_version"));

  static final BodySchema TASK_INSTANCE_PATCH =
      v2(
          string("new_state", 16).oneOf("success", "failed"),
          string("note", NOTE),
          bool("include_upstream"),
          bool("include_downstream"),
          bool("include_future"),
          bool("include_past"));

  /** {@code task_ids} items are task ids or {@code [task_id, map_index]} pairs. */
  static final BodySchema CLEAR_TASK_INSTANCES =
      v2(
          runId("dag_run_id"),
          any("task_ids", 100_000),
          dateTime("start_date"),
          dateTime("end_date"),
          bool("dry_run"),
          bool("only_failed"),
          bool("only_running"),
          bool("include_upstream"),
          bool("include_downstream"),
          bool("include_future"),
          bool("include_past"),
          bool("reset_dag_runs"),
          bool("prevent_running_task"),
          bool("run_on_latest_version"));
}
