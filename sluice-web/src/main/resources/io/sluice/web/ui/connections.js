"use strict";
/* The Connections page over /api/v2/connections: list, add, edit, test and delete. Secrets are write-only: they read *** and an empty password field keeps the stored one. */
(function () {
  const S = window.sluice;
  const { h, enc, canOperate, setView, section, table, api, get, notify, showError, confirmed } = S;
  const BASE = "/api/v2/connections";
  const TYPES = ["kafka", "http", "postgres", "cassandra", "aws", "spark", "fs", "generic"];
  const FIELDS = ["connection_id", "conn_type", "description", "host", "port", "login", "password", "schema", "extra"];

  // why: a test reaches any host and port from the server's network, so only an admin may run one
  const canTest = () => S.me() && S.me().role === "admin";

  async function test(body) {
    try {
      const res = await api("POST", BASE + "/test", body);
      notify((res.status ? "" : "Connection test failed: ") + res.message, res.status ? "ok" : "error");
    } catch (e) { showError(e); }
  }

  /** The add/edit dialog; conn is null to add one. */
  function edit(conn) {
    const dialog = document.getElementById("conn-dialog");
    const field = (name, attrs) => {
      const el = name === "extra" ? h("textarea", { id: "conn-" + name, rows: 3, spellcheck: "false", ...attrs }) : h("input", { id: "conn-" + name, ...attrs });
      const v = conn ? conn[name] : null;
      if (name !== "password" && v !== null && v !== undefined) el.value = String(v);
      return h("div", { class: "field" }, h("label", { for: "conn-" + name }, name.replace("_", " ")), el);
    };
    const error = h("p", { class: "error", id: "conn-error", hidden: true });
    const values = () => {
      const b = {};
      for (const f of FIELDS) {
        const v = document.getElementById("conn-" + f).value.trim();
        if (f === "password" && v === "" && conn) continue; // why: empty keeps the stored secret
        b[f] = f === "port" ? (v === "" ? null : Number(v)) : v === "" ? null : v;
      }
      return b;
    };
    const form = h("form", { id: "conn-form", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const body = values();
      try {
        if (conn) { delete body.connection_id; await api("PATCH", BASE + "/" + enc(conn.connection_id), body); }
        else await api("POST", BASE, body);
        S.closeDialog(dialog);
        notify("Connection " + (conn ? conn.connection_id : body.connection_id) + " saved.", "ok");
        connections();
      } catch (x) { error.textContent = x.message; error.hidden = false; }
    } },
    h("h3", {}, conn ? "Edit connection " + conn.connection_id : "Add a connection"),
    conn ? null : field("connection_id", { required: true, placeholder: "my_kafka" }),
    field("conn_type", { required: true, list: "conn-types", placeholder: "kafka" }),
    h("datalist", { id: "conn-types" }, TYPES.map((t) => h("option", { value: t }))),
    field("description", {}), field("host", {}), field("port", { type: "number", min: 1, max: 65535 }), field("login", { autocomplete: "off" }),
    field("password", { type: "password", autocomplete: "new-password", placeholder: conn && conn.password ? "unchanged (stored, write-only)" : "" }),
    field("schema", {}), field("extra", { placeholder: "{\"key\": \"value\"} (sensitive values read ***)" }),
    error,
    h("div", { class: "actions" },
      canTest() && h("button", { type: "button", class: "secondary", id: "conn-test", onclick: () => test({ conn_type: "generic", ...values(), connection_id: conn ? conn.connection_id : document.getElementById("conn-connection_id").value }) }, "Test"),
      h("button", { type: "button", class: "secondary", id: "conn-cancel", onclick: () => S.closeDialog(dialog) }, "Cancel"),
      h("button", { type: "submit", id: "conn-save" }, "Save")));
    if (conn) form.append(h("input", { type: "hidden", id: "conn-connection_id", value: conn.connection_id }));
    dialog.replaceChildren(form);
    S.openDialog(dialog);
  }

  async function connections() {
    const list = await get(BASE + "?limit=1000");
    const op = canOperate();
    const rows = list.connections.map((c) => h("tr", { "data-conn-id": c.connection_id },
      h("td", { class: "mono" }, c.connection_id), h("td", {}, c.conn_type), h("td", { class: "mono" }, c.host || "—"), h("td", {}, c.port ?? "—"),
      h("td", {}, c.login || "—"), h("td", { class: "mono secret" }, c.password || "—"), h("td", { class: "muted" }, c.description || ""),
      h("td", { class: "row-actions" }, op ? [
        canTest() && h("button", { class: "secondary", "data-action": "test", onclick: () => test({ connection_id: c.connection_id, conn_type: c.conn_type }) }, "Test"),
        h("button", { class: "secondary", "data-action": "edit", onclick: () => edit(c) }, "Edit"),
        h("button", { class: "danger", "data-action": "delete", onclick: () => confirmed("Delete connection " + c.connection_id + "? Tasks that use it will fail.", "Delete",
          async () => { await api("DELETE", BASE + "/" + enc(c.connection_id)); notify("Connection " + c.connection_id + " deleted.", "ok"); connections(); }) }, "Delete")] : null)));
    setView(h("div", { class: "row" }, h("h2", { class: "grow" }, "Connections"),
      op ? h("button", { id: "conn-add", onclick: () => edit(null) }, "+ Add connection") : null),
    h("p", { class: "muted" }, "Passwords and sensitive extras are stored encrypted and never shown again. The built-in defaults (kafka_default…) are listed by sluice connections list."),
    section(null, table(["Id", "Type", "Host", "Port", "Login", "Password", "Description", ""], rows, "connections", "No connections yet.")));
  }

  S.pages.connections = connections;
})();
