"use strict";
/* Schemas, import errors, variables, pools, the audit log and users. */
(function () {
  const S = window.sluice;
  const { h, enc, fmtDate, canOperate, setView, section, api, get, showError, confirmed } = S;

  async function schemas() {
    const d = await get("/api/v2/sluice/schemas");
    const rows = d.subjects.map((s) => h("tr", {},
      h("td", {}, h("a", { href: "#/schemas/" + enc(s.subject), class: "subject-link" }, s.subject)),
      h("td", {}, s.versions.join(", ")), h("td", {}, String(s.latest_id)), h("td", {}, s.compatibility)));
    setView(h("h2", {}, "Schemas"),
      h("p", { class: "muted" }, "Registry ", h("span", { class: "mono" }, d.registry), ", default compatibility ", h("b", { id: "global-level" }, d.compatibility)),
      section(null, h("table", { id: "schemas" },
        h("thead", {}, h("tr", {}, ["Subject", "Versions", "Latest id", "Compatibility"].map((c) => h("th", {}, c)))),
        h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 4, class: "muted" }, "No subjects registered."))))));
  }

  async function subject(subject, from, to) {
    const d = await get("/api/v2/sluice/schemas/" + enc(subject));
    const numbers = d.versions.map((v) => v.version);
    const last = numbers[numbers.length - 1];
    from = from || String(numbers.length > 1 ? numbers[numbers.length - 2] : last);
    to = to || String(last);
    const pick = (id, value) => h("select", { id, onchange: () => {
      location.hash = "#/schemas/" + enc(subject) + "/diff/" + enc(document.getElementById("diff-from").value) + "/" + enc(document.getElementById("diff-to").value);
    } }, numbers.map((n) => h("option", { value: String(n), selected: String(n) === value ? "selected" : null }, "version " + n)));
    const diff = await get("/api/v2/sluice/schemas/" + enc(subject) + "/diff?from=" + enc(from) + "&to=" + enc(to));
    const changes = diff.changes.map((c) => h("tr", { class: "change-" + c.kind }, h("td", {}, c.kind), h("td", { class: "mono" }, c.field),
      h("td", { class: "mono" }, c.before || "—"), h("td", { class: "mono" }, c.after || "—")));
    const verdict = h("p", { id: "diff-verdict", class: diff.compatible ? "" : "error" },
      "Version " + diff.to.version + (diff.compatible ? " is " : " is not ") + diff.compatibility + "-compatible with version " + diff.from.version,
      ...diff.messages.map((m) => h("div", { class: "mono" }, m)));
    const versions = d.versions.slice().reverse().map((v) => h("details", { class: "version" },
      h("summary", {}, "Version " + v.version + " (id " + v.id + ")"), h("pre", { class: "mono" }, v.schema)));
    setView(h("h2", {}, h("a", { href: "#/schemas" }, "Schemas"), " / ", subject),
      h("p", {}, "Compatibility ", h("b", { id: "subject-level" }, d.compatibility), ", versions " + numbers.join(", ")),
      section("Diff", h("div", { class: "row" }, pick("diff-from", from), " → ", pick("diff-to", to)), verdict,
        h("table", { id: "schema-diff" }, h("thead", {}, h("tr", {}, ["Change", "Field", "Before", "After"].map((c) => h("th", {}, c)))),
          h("tbody", {}, changes.length ? changes : h("tr", {}, h("td", { colspan: 4, class: "muted" }, "No changes."))))),
      section("Versions", ...versions));
  }

  // ------------------------------------------------------------------ admin pages

  async function importErrors() {
    const errs = await get("/api/v1/importErrors");
    setView(h("h2", {}, "Import errors"), section(null, errs.import_errors.length
      ? h("table", { id: "import-errors" }, h("thead", {}, h("tr", {}, ["File", "Line", "Error", "When"].map((c) => h("th", {}, c)))),
        h("tbody", {}, errs.import_errors.map((e) => h("tr", {}, h("td", { class: "mono" }, e.filename), h("td", {}, e.line || "—"),
          h("td", {}, h("pre", { class: "mono error" }, e.stack_trace)), h("td", {}, fmtDate(e.timestamp))))))
      : h("p", { class: "muted" }, "Every DAG file loaded.")));
  }

  async function variables() {
    const vars = await get("/api/v1/variables");
    const key = h("input", { id: "var-key", placeholder: "key" }), value = h("input", { id: "var-value", placeholder: "value" });
    const form = canOperate() ? h("form", { class: "form", onsubmit: async (e) => {
      e.preventDefault();
      try { await api("POST", "/api/v1/variables", { key: key.value, value: value.value }); variables(); } catch (x) { showError(x); }
    } }, h("div", {}, h("label", {}, "Key"), key), h("div", { class: "grow" }, h("label", {}, "Value"), value), h("button", { type: "submit" }, "Set")) : null;
    const rows = vars.variables.map((v) => h("tr", {}, h("td", { class: "mono" }, v.key), h("td", { class: "mono" }, v.value),
      h("td", {}, canOperate() ? h("button", { class: "secondary", "data-action": "delete", onclick: () => confirmed("Delete variable " + v.key + "?", "Delete",
        async () => { await api("DELETE", "/api/v1/variables/" + enc(v.key)); variables(); }) }, "Delete") : null)));
    setView(h("h2", {}, "Variables"), section(null, S.table(["Key", "Value", ""], rows, "variables", "No variables."), form));
  }

  async function pools() {
    const d = await get("/api/v2/pools?limit=100");
    const name = h("input", { id: "pool-name", placeholder: "name" });
    const slots = h("input", { id: "pool-slots", type: "number", min: "-1", step: "1", placeholder: "slots (-1: unlimited)" });
    const description = h("input", { id: "pool-description", placeholder: "description" });
    const exists = (n) => d.pools.some((p) => p.name === n);
    const form = canOperate() ? h("form", { class: "form", onsubmit: async (e) => {
      e.preventDefault();
      const body = { name: name.value, slots: Number(slots.value), description: description.value || null };
      try {
        if (exists(name.value)) await api("PATCH", "/api/v2/pools/" + enc(name.value) + "?update_mask=slots&update_mask=description", body);
        else await api("POST", "/api/v2/pools", body);
        pools();
      } catch (x) { showError(x); }
    } }, h("div", {}, h("label", {}, "Pool"), name), h("div", {}, h("label", {}, "Slots"), slots),
    h("div", { class: "grow" }, h("label", {}, "Description"), description), h("button", { type: "submit", id: "pool-save" }, "Set")) : null;
    const rows = d.pools.map((p) => h("tr", { "data-pool": p.name }, h("td", { class: "mono" }, p.name), h("td", {}, String(p.slots)),
      h("td", {}, String(p.running_slots)), h("td", {}, String(p.queued_slots)), h("td", {}, String(p.scheduled_slots)), h("td", {}, String(p.open_slots)),
      h("td", {}, p.description || ""),
      h("td", {}, canOperate() && p.name !== "default_pool" ? h("button", { class: "secondary", "data-action": "delete", onclick: () => confirmed("Delete pool " + p.name + "?", "Delete",
        async () => { await api("DELETE", "/api/v2/pools/" + enc(p.name)); pools(); }) }, "Delete") : null)));
    setView(h("h2", {}, "Pools"),
      h("p", { class: "muted" }, "A pool caps how many task instances run at once across DAGs; a task names its pool with ", h("span", { class: "mono" }, "pool:"), "."),
      section(null, S.table(["Pool", "Slots", "Running", "Queued", "Scheduled", "Open", "Description", ""], rows, "pools", "No pools."), form));
  }

  /** The event log (Airflow's Audit Log): newest first, filtered by DAG and event, 50 a page. */
  async function auditLog(query) {
    const size = 50, offset = Number(query.get("offset") || 0);
    const go = (changes) => {
      const q = new URLSearchParams(query);
      for (const [k, v] of Object.entries(changes)) if (v) q.set(k, v); else q.delete(k);
      location.hash = "#/audit-log" + (q.toString() ? "?" + q : "");
    };
    const q = new URLSearchParams({ order_by: "-when", limit: String(size), offset: String(offset) });
    for (const f of ["dag_id", "event"]) if (query.get(f)) q.set(f + "_pattern", query.get(f));
    const d = await get("/api/v2/eventLogs?" + q);
    const filter = (f, label) => h("input", { id: "audit-" + f.replace("_", "-"), placeholder: label, value: query.get(f) || "",
      onchange: (e) => go({ [f]: e.target.value.trim(), offset: null }) });
    const rows = d.event_logs.map((e) => h("tr", { "data-event-id": e.event_log_id }, h("td", { class: "nowrap" }, fmtDate(e.when)),
      h("td", { class: "mono" }, e.event), h("td", {}, e.owner || "—"), h("td", {}, e.dag_id || "—"), h("td", { class: "mono wrap" }, e.run_id || "—"),
      h("td", {}, e.task_id || "—"), h("td", { class: "mono wrap" }, e.extra || "")));
    const last = Math.min(d.total_entries, offset + size);
    setView(h("div", { class: "row toolbar" }, h("h2", { class: "grow" }, "Audit log"), filter("dag_id", "DAG id contains"), filter("event", "event contains")),
      section(null, S.table(["When", "Event", "User", "DAG", "Run", "Task", "Details"], rows, "audit-table", "No events match."),
        h("div", { class: "row pager" },
          h("span", { id: "audit-page-info", class: "muted grow" }, d.total_entries ? (offset + 1) + "–" + last + " of " + d.total_entries : "0 of 0"),
          h("button", { class: "secondary", disabled: offset === 0, onclick: () => go({ offset: String(Math.max(0, offset - size)) }) }, "‹ Previous"),
          h("button", { class: "secondary", disabled: last >= d.total_entries, onclick: () => go({ offset: String(offset + size) }) }, "Next ›"))));
  }

  async function users() {
    const users = await get("/api/v2/sluice/users");
    const name = h("input", { id: "new-user", placeholder: "user name" }), pw = h("input", { id: "new-password", type: "password", placeholder: "password (8+ characters)" });
    const role = h("select", { id: "new-role" }, ["viewer", "op", "admin"].map((r) => h("option", { value: r }, r)));
    setView(h("h2", {}, "Users"), section(null, h("table", { id: "users" }, h("thead", {}, h("tr", {}, ["User", "Role", "Created", "Last login", ""].map((c) => h("th", {}, c)))),
      h("tbody", {}, users.users.map((u) => h("tr", {}, h("td", {}, u.username), h("td", {}, u.role), h("td", {}, fmtDate(u.created_on)), h("td", {}, fmtDate(u.last_login)),
        h("td", {}, u.username !== S.me().username ? h("button", { class: "danger", onclick: () => confirmed("Delete user " + u.username + "?", "Delete",
          async () => { await api("DELETE", "/api/v2/sluice/users/" + enc(u.username)); users(); }) }, "Delete") : null))))),
      h("form", { class: "form", onsubmit: async (e) => {
        e.preventDefault();
        try { await api("POST", "/api/v2/sluice/users", { username: name.value, password: pw.value, role: role.value }); users(); } catch (x) { showError(x); }
      } }, h("div", {}, h("label", {}, "User"), name), h("div", {}, h("label", {}, "Password"), pw), h("div", {}, h("label", {}, "Role"), role), h("button", { type: "submit" }, "Create"))));
  }

  Object.assign(S.pages, { schemas, subject, importErrors, variables, pools, auditLog, users });
})();
