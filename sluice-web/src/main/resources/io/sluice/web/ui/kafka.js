"use strict";
/* The Kafka page: topics, a partition's records and consumer groups; an op can produce a test record and reset an inactive group's offsets. */
(function () {
  const S = window.sluice;
  const { h, enc, fmtDate, fmtNum, canOperate, setView, section, table, api, get, notify, showError, confirmed } = S;

  async function kafka() {
    const [t, g] = await Promise.all([get("/api/v2/sluice/kafka/topics"), get("/api/v2/sluice/kafka/groups")]);
    const topics = t.topics.map((x) => h("tr", { "data-topic": x.name },
      h("td", {}, h("a", { href: "#/kafka/topics/" + enc(x.name), class: "topic-link" }, x.name)),
      h("td", {}, x.partitions), h("td", {}, x.replication_factor), h("td", {}, fmtNum(x.records, 0)),
      h("td", {}, x.subject ? h("a", { href: "#/schemas/" + enc(x.subject) }, x.subject) : "—")));
    const groups = g.groups.map((x) => h("tr", { "data-group": x.group },
      h("td", {}, h("a", { href: "#/kafka/groups/" + enc(x.group) }, x.group)), h("td", {}, x.state)));
    setView(h("h2", {}, "Kafka"),
      section("Topics", table(["Topic", "Partitions", "Replication", "Records", "Value schema"], topics, "kafka-topics", "No topics.")),
      section("Consumer groups", table(["Group", "State"], groups, "kafka-groups", "No consumer groups.")));
  }

  function recordRow(r) {
    const headers = Object.entries(r.headers || {}).map(([k, v]) => k + ": " + v).join("\n");
    return h("tr", { "data-offset": r.offset },
      h("td", {}, r.partition + "/" + r.offset), h("td", {}, fmtDate(r.timestamp)),
      h("td", { class: "mono record-key" }, r.key === null ? "null" : r.key),
      h("td", {}, h("pre", { class: "mono" }, headers || "—")),
      h("td", {}, h("pre", { class: "mono record-value" }, r.value === null ? "null" : r.value),
        r.error ? h("div", { class: "error" }, r.error) : null,
        h("div", { class: "muted" }, (r.format || "") + (r.schema_id !== null && r.schema_id !== undefined ? " · schema id " + r.schema_id : ""))));
  }

  /** "name: value" lines as an object; a line without a colon is an error naming it. */
  function parseHeaders(text) {
    const headers = {};
    for (const line of text.split("\n").map((l) => l.trim()).filter((l) => l)) {
      const at = line.indexOf(":");
      if (at < 1) throw new Error("Header line \"" + line + "\" is not name: value");
      headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    return headers;
  }

  /** The Produce record dialog (op): key, headers and value, sent after a confirmation. */
  function produceDialog(topic, schema, sent) {
    const dialog = document.getElementById("produce-dialog");
    const key = h("input", { id: "produce-key", placeholder: "none (null key)" });
    const headers = h("textarea", { id: "produce-headers", rows: 2, spellcheck: "false", placeholder: "name: value, one per line" });
    const value = h("textarea", { id: "produce-value", rows: 8, spellcheck: "false", class: "mono",
      placeholder: schema ? "JSON matching " + schema.subject + " version " + schema.version : "any text, sent as UTF-8" });
    const error = h("p", { class: "error", id: "produce-error", hidden: true });
    const fail = (e) => { error.textContent = e.message; error.hidden = false; };
    async function send() {
      const body = { key: key.value === "" ? null : key.value, headers: parseHeaders(headers.value), value: value.value };
      const r = await api("POST", "/api/v2/sluice/kafka/topics/" + enc(topic) + "/records", body);
      S.closeDialog(dialog);
      notify("Produced to " + r.topic + ": partition " + r.partition + ", offset " + r.offset + " (" + r.format + (r.schema_id !== null ? ", schema id " + r.schema_id : "") + ").", "ok");
      sent(r);
    }
    const form = h("form", { id: "produce-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      error.hidden = true;
      try { parseHeaders(headers.value); } catch (x) { fail(x); return; }
      if (!(await S.confirmAction("Produce this record to " + topic + "? Its consumers will read it.", "Produce"))) return;
      try { await send(); } catch (x) { fail(x); }
    } },
    h("h3", {}, "Produce a record to " + topic),
    h("p", { class: "muted" }, schema ? "The value is JSON, written as Avro with " + schema.subject + " version " + schema.version + " (id " + schema.id + ")." : "No value schema: the value is written as UTF-8 text."),
    h("div", { class: "field" }, h("label", { for: "produce-key" }, "Key"), key),
    h("div", { class: "field" }, h("label", { for: "produce-headers" }, "Headers"), headers),
    h("div", { class: "field" }, h("label", { for: "produce-value" }, "Value"), value),
    error,
    h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary", id: "produce-cancel", onclick: () => S.closeDialog(dialog) }, "Cancel"),
      h("button", { type: "submit", id: "produce-send" }, "Produce")));
    dialog.replaceChildren(form);
    S.openDialog(dialog);
  }

  async function kafkaTopic(topic) {
    const d = await get("/api/v2/sluice/kafka/topics/" + enc(topic));
    const parts = d.partitions.map((p) => h("tr", {}, h("td", {}, p.partition), h("td", {}, p.leader ?? "—"),
      h("td", {}, p.replicas.join(", ")), h("td", {}, p.in_sync_replicas.join(", ")), h("td", {}, fmtNum(p.begin_offset, 0)), h("td", {}, fmtNum(p.end_offset, 0))));
    const config = Object.entries(d.config).map(([k, v]) => h("tr", {}, h("td", { class: "mono" }, k), h("td", { class: "mono" }, v ?? "")));
    const partition = h("select", { id: "records-partition" }, d.partitions.map((p) => h("option", { value: String(p.partition) }, "partition " + p.partition)));
    const offset = h("input", { id: "records-offset", placeholder: "first offset (default: oldest)", inputmode: "numeric" });
    const time = h("input", { id: "records-time", placeholder: "or from time, e.g. 2024-03-01T00:00:00Z" });
    const key = h("input", { id: "records-key", placeholder: "only this key" });
    const body = h("div", { id: "records-body" });
    async function load(from) {
      const q = new URLSearchParams({ partition: partition.value, limit: "50" });
      if (from !== undefined) q.set("offset", String(from));
      else if (offset.value.trim()) q.set("offset", offset.value.trim());
      else if (time.value.trim()) q.set("timestamp", time.value.trim());
      if (key.value) q.set("key", key.value);
      try {
        const page = await api("GET", "/api/v2/sluice/kafka/topics/" + enc(topic) + "/records?" + q);
        const more = page.next_offset < page.end_offset
          ? h("button", { id: "records-next", class: "secondary", onclick: () => load(page.next_offset) }, "Next page (from offset " + page.next_offset + ")") : null;
        body.replaceChildren(
          table(["Partition/offset", "Time", "Key", "Headers", "Value"], page.records.map(recordRow), "kafka-records", "No records from there."),
          h("p", { class: "muted" }, "Partition " + page.partition + ": next offset " + page.next_offset + " of " + page.end_offset), more || "");
      } catch (e) { showError(e); }
    }
    const form = h("form", { class: "form", id: "records-form", onsubmit: (e) => { e.preventDefault(); load(); } },
      h("div", {}, h("label", {}, "Partition"), partition), h("div", {}, h("label", {}, "Offset"), offset),
      h("div", { class: "grow" }, h("label", {}, "Time"), time), h("div", {}, h("label", {}, "Key"), key), h("button", { type: "submit", id: "records-load" }, "Show records"));
    const schema = d.schema
      ? h("p", { id: "topic-schema" }, "Values: subject ", h("a", { href: "#/schemas/" + enc(d.schema.subject) }, d.schema.subject), ", version " + d.schema.version + " (id " + d.schema.id + ")")
      : h("p", { id: "topic-schema", class: "muted" }, "No schema registered for " + topic + "-value; values are shown as they are.");
    const produce = canOperate()
      ? h("button", { id: "produce-open", class: "secondary", onclick: () => produceDialog(topic, d.schema, (r) => {
        partition.value = String(r.partition); offset.value = String(r.offset); time.value = ""; key.value = ""; load(); }) }, "Produce record")
      : null;
    setView(h("div", { class: "row" }, h("h2", { class: "grow" }, h("a", { href: "#/kafka" }, "Kafka"), " / ", topic), produce), schema,
      section("Records", form, body),
      section("Partitions", table(["Partition", "Leader", "Replicas", "In sync", "First offset", "Next offset"], parts, "kafka-partitions", "No partitions.")),
      section(null, h("details", {}, h("summary", {}, "Configuration (" + config.length + " entries)"), table(["Name", "Value"], config, "kafka-config", "None."))));
    await load();
  }

  function groupTable(d) {
    const rows = d.partitions.map((p) => h("tr", { "data-partition": p.topic + "/" + p.partition },
      h("td", {}, h("a", { href: "#/kafka/topics/" + enc(p.topic) }, p.topic)), h("td", {}, p.partition),
      h("td", { class: "offset" }, p.current_offset ?? "—"), h("td", {}, fmtNum(p.log_end_offset, 0)), h("td", { class: "lag" }, p.lag ?? "—"), h("td", { class: "mono" }, p.consumer_id || "—")));
    const total = d.partitions.reduce((a, p) => a + (p.lag || 0), 0);
    return [h("p", {}, "State ", h("b", { id: "group-state" }, d.state), ", " + d.members + " member(s), total lag " + fmtNum(total, 0)),
      table(["Topic", "Partition", "Committed offset", "Log end offset", "Lag", "Consumer"], rows, "kafka-group", "No offsets committed.")];
  }

  /** The reset form: where to move the offsets, then a confirmation; the table shows the result. */
  function resetForm(group, shown) {
    const to = h("select", { id: "reset-to" }, [["earliest", "earliest offset"], ["latest", "latest offset (skip everything)"],
      ["datetime", "first record at or after a time"], ["shift_by", "shift by N from the committed offset"]].map(([v, l]) => h("option", { value: v }, l)));
    const value = h("input", { id: "reset-value", placeholder: "time (2024-03-01T00:00:00Z) or N (-10)" });
    async function reset() {
      const body = { to: to.value };
      if (to.value === "datetime") body.datetime = value.value.trim();
      if (to.value === "shift_by") body.shift_by = Number(value.value.trim());
      const r = await api("POST", "/api/v2/sluice/kafka/groups/" + enc(group) + "/reset-offsets", body);
      shown.replaceChildren(...groupTable(r.group));
      notify("Offsets of " + group + " reset: " + r.offsets.map((o) => o.topic + "/" + o.partition + " → " + o.new_offset).join(", "), "ok");
    }
    return h("form", { class: "form", id: "reset-form", onsubmit: (e) => { e.preventDefault();
      confirmed("Reset the committed offsets of group " + group + " to " + to.options[to.selectedIndex].text + "?", "Reset offsets", reset); } },
    h("div", {}, h("label", {}, "Reset offsets to"), to), h("div", { class: "grow" }, h("label", {}, "Time or N"), value),
    h("button", { type: "submit", id: "reset-offsets", class: "danger" }, "Reset offsets"));
  }

  async function kafkaGroup(group) {
    const d = await get("/api/v2/sluice/kafka/groups/" + enc(group));
    const shown = h("div", { id: "group-offsets" }, ...groupTable(d));
    setView(h("h2", {}, h("a", { href: "#/kafka" }, "Kafka"), " / group ", group), section(null, shown),
      canOperate() ? section("Reset offsets", h("p", { class: "muted" }, "Only while the group has no consumers: stop them first."), resetForm(group, shown)) : "");
  }

  Object.assign(S.pages, { kafka, kafkaTopic, kafkaGroup });
})();
