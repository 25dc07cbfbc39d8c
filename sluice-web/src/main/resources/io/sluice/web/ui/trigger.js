"use strict";
/*
 * The trigger dialog: a form built from the DAG's typed params (their JSON schemas in
 * /api/v2/dags/{id}/details), checked in the page, then by the server, whose refusal is shown
 * beside the param it names. Raw JSON stays available as an advanced option.
 */
(function () {
  const S = window.sluice;
  const { h, enc, api, get, dagPath } = S;
  const dialog = document.getElementById("trigger-dialog");
  const form = document.getElementById("trigger-form");
  const fieldsBox = document.getElementById("trigger-fields");
  const rawConf = document.getElementById("trigger-conf");
  const logicalDate = document.getElementById("trigger-date");
  const runId = document.getElementById("trigger-run-id");
  const formError = document.getElementById("trigger-error");
  let current = null; // { dagId, fields: [{ name, schema, input, error, required }] }

  const types = (schema) => [].concat(schema.type || []).filter((t) => t !== "null");
  const kind = (schema) => schema.enum ? "enum" : schema.format === "date" ? "date" : schema.format === "date-time" ? "datetime" : types(schema)[0] || "any";

  /** The input for one param, pre-filled with its default. */
  function input(name, p, k) {
    const schema = p.schema || {};
    const id = "param-" + name;
    const v = p.value;
    if (k === "enum") {
      return h("select", { id, name }, schema.enum.length && !isRequired(schema) ? h("option", { value: "" }, "—") : null,
        schema.enum.map((e) => h("option", { value: JSON.stringify(e), selected: JSON.stringify(e) === JSON.stringify(v) }, String(e))));
    }
    if (k === "boolean") { const c = h("input", { id, name, type: "checkbox" }); c.checked = v === true; return c; }
    const attrs = { id, name, value: v === null || v === undefined ? "" : k === "any" && typeof v !== "string" ? JSON.stringify(v) : String(v) };
    if (k === "integer" || k === "number") Object.assign(attrs, { type: "number", step: k === "integer" ? "1" : "any", min: schema.minimum, max: schema.maximum });
    else if (k === "date") Object.assign(attrs, { type: "date", min: schema.formatMinimum, max: schema.formatMaximum });
    else if (k === "datetime") Object.assign(attrs, { type: "datetime-local", step: "1", value: v ? String(v).replace(/Z$|[+-]\d\d:\d\d$/, "").slice(0, 19) : "" });
    else Object.assign(attrs, { type: "text", minlength: schema.minLength, maxlength: schema.maxLength, pattern: schema.pattern });
    return h("input", attrs);
  }
  const isRequired = (schema) => schema.type !== undefined && ![].concat(schema.type).includes("null");

  /** The field's value for the conf, or undefined when left empty; throws a message when the page refuses it. */
  function valueOf(f) {
    const { input: el, schema, kind: k } = f;
    if (k === "boolean") return el.checked;
    if (el.validity && el.validity.badInput) throw k === "date" || k === "datetime" ? "is not a valid date" : "is not a valid number";
    const raw = el.value.trim();
    if (raw === "") { if (f.required) throw "is required"; return undefined; }
    if (k === "enum") return JSON.parse(raw);
    if (k === "integer" || k === "number") {
      const n = Number(raw);
      if (!Number.isFinite(n) || (k === "integer" && !Number.isInteger(n))) throw "must be " + (k === "integer" ? "an integer" : "a number");
      if (schema.minimum !== undefined && n < schema.minimum) throw "must be at least " + schema.minimum;
      if (schema.maximum !== undefined && n > schema.maximum) throw "must be at most " + schema.maximum;
      return n;
    }
    if (k === "date") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || isNaN(Date.parse(raw + "T00:00:00Z"))) throw "is not a valid date (YYYY-MM-DD)";
      if (schema.formatMinimum && raw < schema.formatMinimum) throw "must be on or after " + schema.formatMinimum;
      if (schema.formatMaximum && raw > schema.formatMaximum) throw "must be on or before " + schema.formatMaximum;
      return raw;
    }
    if (k === "datetime") {
      const d = new Date(raw + "Z");
      if (isNaN(d)) throw "is not a valid date-time";
      return d.toISOString().replace(".000Z", "Z");
    }
    if (k === "any") { try { return JSON.parse(raw); } catch (_) { return raw; } }
    if (schema.minLength !== undefined && raw.length < schema.minLength) throw "needs at least " + schema.minLength + " characters";
    if (schema.maxLength !== undefined && raw.length > schema.maxLength) throw "takes at most " + schema.maxLength + " characters";
    if (schema.pattern && !new RegExp("^(?:" + schema.pattern + ")$").test(raw)) throw "must match " + schema.pattern;
    return raw;
  }

  function reset(dagId) {
    current = { dagId, fields: [] };
    document.getElementById("trigger-dag").textContent = dagId;
    fieldsBox.replaceChildren(h("p", { class: "muted" }, "Loading params…"));
    rawConf.value = "{}";
    document.getElementById("trigger-advanced").open = false;
    logicalDate.value = "";
    runId.value = "";
    formError.hidden = true;
    formError.textContent = "";
  }

  async function openTrigger(dagId) {
    reset(dagId);
    S.openDialog(dialog);
    let details;
    try { details = await get(dagPath(dagId) + "/details"); } catch (e) { showFormError(e.message); return; }
    if (!current || current.dagId !== dagId) return;
    const params = details.params || {};
    const rows = Object.entries(params).map(([name, p]) => {
      const schema = p.schema || {};
      const k = kind(schema);
      const required = isRequired(schema);
      const el = input(name, p, k);
      const error = h("p", { class: "error field-error", id: "param-error-" + name, hidden: true });
      current.fields.push({ name, schema, kind: k, input: el, error, required });
      const type = k === "any" ? "JSON or text" : k;
      return h("div", { class: "field", "data-param": name },
        h("label", { for: "param-" + name }, name, required ? h("span", { class: "required", title: "required" }, " *") : null, h("span", { class: "muted" }, " (" + type + ")")),
        p.description ? h("div", { class: "muted hint" }, p.description) : null, el, error);
    });
    fieldsBox.replaceChildren(...(rows.length ? rows : [h("p", { class: "muted" }, "This DAG has no params.")]));
  }

  function showFormError(message) { formError.textContent = message; formError.hidden = false; }
  function fieldError(name, text) {
    const f = current.fields.find((x) => x.name === name);
    if (!f) return false;
    f.error.textContent = text;
    f.error.hidden = false;
    return true;
  }

  async function submit(e) {
    e.preventDefault();
    formError.hidden = true;
    const conf = {};
    let ok = true;
    for (const f of current.fields) {
      f.error.hidden = true;
      try { const v = valueOf(f); if (v !== undefined) conf[f.name] = v; } catch (msg) { fieldError(f.name, f.name + " " + msg); ok = false; }
    }
    let extra;
    try { extra = JSON.parse(rawConf.value.trim() || "{}"); } catch (x) { showFormError("The raw JSON is not valid: " + x.message); return; }
    if (extra === null || typeof extra !== "object" || Array.isArray(extra)) { showFormError("The raw JSON must be an object."); return; }
    if (!ok) { showFormError("Fix the fields marked above."); return; }
    const body = { conf: Object.assign(conf, extra) };
    if (logicalDate.value) body.logical_date = new Date(logicalDate.value + "Z").toISOString();
    if (runId.value.trim()) body.dag_run_id = runId.value.trim();
    const dagId = current.dagId;
    try {
      await api("POST", dagPath(dagId) + "/dagRuns", body);
    } catch (x) {
      // why: the server names the param at fault; its message goes beside that field
      if (x.param && fieldError(x.param, x.message)) showFormError("The server refused the run (" + x.status + "): see " + x.param + ".");
      else showFormError(x.message);
      return;
    }
    const target = "#/dags/" + enc(dagId) + "/grid";
    if (location.hash === target) S.closeDialog(dialog); else location.hash = target;
  }

  form.addEventListener("submit", submit);
  document.getElementById("trigger-cancel").addEventListener("click", () => S.closeDialog(dialog));
  dialog.addEventListener("close", () => { current = null; });
  S.openTrigger = openTrigger;
})();
