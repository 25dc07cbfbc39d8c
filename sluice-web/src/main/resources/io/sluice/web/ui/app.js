"use strict";
/*
 * Sluice web UI: hash routes over the REST API. No framework, no build step, no network beyond this
 * server. This file holds the shared helpers (window.sluice) and the router; the pages live in
 * dags.js, task.js, trigger.js, connections.js, pipeline.js and admin.js, loaded after it.
 */
(function () {
  const TASK_STATES = ["none", "scheduled", "queued", "running", "success", "restarting", "failed",
    "skipped", "upstream_failed", "up_for_retry", "up_for_reschedule", "deferred", "removed"];
  const view = document.getElementById("view");
  const S = { pages: {}, TASK_STATES };
  window.sluice = S;
  let me = null;
  let timer = null;
  const cleanups = [];

  // ------------------------------------------------------------------ DOM and formatting

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
    return el;
  }
  const SVG_NS = "http://www.w3.org/2000/svg";
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, v);
    for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
    return el;
  }
  const enc = encodeURIComponent;
  function fmtDate(iso) {
    if (!iso) return "—";
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  }
  function fmtDur(sec) {
    if (sec === null || sec === undefined) return "—";
    if (sec < 1) return (sec * 1000).toFixed(0) + " ms";
    if (sec < 120) return sec.toFixed(2) + " s";
    return (sec / 60).toFixed(1) + " min";
  }
  function fmtNum(n, digits) {
    if (n === null || n === undefined) return "—";
    return Number(n).toLocaleString(undefined, { maximumFractionDigits: digits === undefined ? 1 : digits });
  }
  function badge(state) { return h("span", { class: "badge st-" + (state || "none"), "data-state": state || "none" }, state || "none"); }
  function legend() {
    return h("div", { class: "legend", id: "state-legend" },
      TASK_STATES.map((st) => h("span", {}, h("i", { class: "st-" + st }), st)));
  }
  function canOperate() { return me && (me.role === "op" || me.role === "admin"); }
  function setView(...children) { view.replaceChildren(...children.filter((c) => c !== null && c !== undefined)); }
  function section(title, ...children) { return h("section", { class: "card" }, title ? h("h3", {}, title) : null, ...children); }
  function table(cols, rows, id, empty) {
    return h("table", { id }, h("thead", {}, h("tr", {}, cols.map((c) => h("th", {}, c)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: cols.length, class: "muted" }, empty || "none"))));
  }
  const dagPath = (dagId) => "/api/v2/dags/" + enc(dagId);
  const runPath = (dagId, runId) => dagPath(dagId) + "/dagRuns/" + enc(runId);

  // ------------------------------------------------------------------ API

  /** Calls the API; a refusal throws an Error with the server's message, status and param. */
  async function api(method, path, body, accept) {
    const headers = { "X-Requested-With": "fetch" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (accept) headers.Accept = accept;
    if (method !== "GET" && me && me.csrf_token) headers["X-CSRF-Token"] = me.csrf_token;
    const res = await fetch(path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401) {
      location.href = "/login?next=" + enc("/" + location.hash);
      throw new Error("not logged in");
    }
    if (res.status === 204) return null;
    const text = await res.text();
    if (accept && accept.startsWith("text/") && res.ok) return text;
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = { error: text }; }
    if (!res.ok) {
      const detail = data && (data.detail || data.error);
      const e = new Error(typeof detail === "string" ? detail : res.statusText + (detail ? ": " + JSON.stringify(detail) : ""));
      e.status = res.status;
      e.param = (data && data.param) || res.headers.get("Sluice-Param");
      throw e;
    }
    return data;
  }

  // ------------------------------------------------------------------ banners and dialogs

  /** A banner that stays until dismissed: kind "ok" for a success, "error" for a failure. */
  function notify(message, kind) {
    const b = document.getElementById("banner");
    b.className = "banner " + (kind || "error");
    b.replaceChildren(h("span", { id: "banner-text", class: "grow" }, message),
      h("button", { class: "link", id: "banner-close", "aria-label": "dismiss", onclick: () => { b.hidden = true; } }, "×"));
    b.hidden = false;
  }
  function showError(e) { notify("Error: " + e.message, "error"); }

  /**
   * Opens a dialog as a step in the browser's history, so that Back closes it; closing it any
   * other way steps back out of that entry.
   */
  function openDialog(dialog) {
    if (!dialog.open) {
      history.pushState({ dialog: dialog.id }, "", location.href);
      dialog.showModal();
    }
  }
  function closeDialog(dialog) {
    if (!dialog.open) return;
    dialog.close();
  }
  document.addEventListener("close", (e) => {
    if (e.target.tagName === "DIALOG" && history.state && history.state.dialog === e.target.id) history.back();
  }, true);
  window.addEventListener("popstate", () => {
    document.querySelectorAll("dialog[open]").forEach((d) => { if (!history.state || history.state.dialog !== d.id) d.close(); });
  });

  /** Asks before a destructive action; resolves to true when confirmed. */
  function confirmAction(message, okLabel, extra) {
    const dialog = document.getElementById("confirm-dialog");
    document.getElementById("confirm-text").textContent = message;
    document.getElementById("confirm-extra").replaceChildren(...(extra ? [extra] : []));
    const ok = document.getElementById("confirm-ok");
    ok.textContent = okLabel || "Confirm";
    return new Promise((resolve) => {
      let answer = false;
      const onOk = () => { answer = true; closeDialog(dialog); };
      const onCancel = () => closeDialog(dialog);
      const cancel = document.getElementById("confirm-cancel");
      ok.addEventListener("click", onOk);
      cancel.addEventListener("click", onCancel);
      dialog.addEventListener("close", () => {
        ok.removeEventListener("click", onOk);
        cancel.removeEventListener("click", onCancel);
        // why: the action may navigate; let the step back out of the dialog's entry land first
        if (history.state && history.state.dialog === dialog.id) window.addEventListener("popstate", () => resolve(answer), { once: true });
        else resolve(answer);
      }, { once: true });
      openDialog(dialog);
    });
  }

  /** Runs an action after a confirmation, reporting failures in the banner. */
  async function confirmed(message, okLabel, action, extra) {
    if (!(await confirmAction(message, okLabel, extra))) return;
    try { await action(); } catch (e) { showError(e); }
  }

  // ------------------------------------------------------------------ live pages and router

  function stopLive() {
    if (timer) { clearInterval(timer); timer = null; }
    while (cleanups.length) cleanups.pop()();
  }
  /** Renders now, then again every ms while the route stays the same. */
  function live(ms, render) {
    const path = () => location.hash.split("?")[0];
    const route = path();
    const run = async () => {
      if (path() !== route) return;
      try { await render(); } catch (e) { showError(e); }
    };
    run();
    timer = setInterval(run, ms);
  }
  /** Registers what to undo (an event stream, a listener) when the page is left. */
  function onLeave(fn) { cleanups.push(fn); }

  /** The route: path segments and query of the hash, as in #/dags/etl/grid?run=x. */
  function currentRoute() {
    const [path, query] = location.hash.replace(/^#\/?/, "").split("?");
    return { parts: path.split("/").map(decodeURIComponent), query: new URLSearchParams(query || "") };
  }

  async function route() {
    stopLive();
    const { parts, query } = currentRoute();
    const P = S.pages;
    document.querySelectorAll("header nav a").forEach((a) => a.classList.toggle("active", a.dataset.nav === parts[0]));
    try {
      if (parts[0] === "" || parts[0] === "dags" && parts.length === 1) return P.dagList(query);
      if (parts[0] === "dags") {
        const dagId = parts[1];
        if (parts[2] === "runs" && parts[4] === "tasks") return P.task(dagId, parts[3], parts[5], parts[6], parts[7]);
        if (parts[2] === "runs" && parts[3]) return live(3000, () => P.run(dagId, parts[3]));
        if (parts[2] === "graph") return live(3000, () => P.graph(dagId, query.get("run")));
        if (parts[2] === "gantt") return live(3000, () => P.gantt(dagId));
        if (parts[2] === "runs") return live(5000, () => P.runs(dagId));
        return live(2000, () => P.grid(dagId, query.get("run"), query.get("task")));
      }
      if (parts[0] === "connections") return await P.connections();
      if (parts[0] === "pipeline") return live(3000, P.pipeline);
      if (parts[0] === "dlq") return await P.dlq();
      if (parts[0] === "kafka" && parts[1] === "topics" && parts[2]) return await P.kafkaTopic(parts[2]);
      if (parts[0] === "kafka" && parts[1] === "groups" && parts[2]) return await P.kafkaGroup(parts[2]);
      if (parts[0] === "kafka") return await P.kafka();
      if (parts[0] === "schemas" && parts[1]) return await P.subject(parts[1], parts[3], parts[4]);
      if (parts[0] === "schemas") return await P.schemas();
      if (parts[0] === "import-errors") return await P.importErrors();
      if (parts[0] === "variables") return await P.variables();
      if (parts[0] === "pools") return await P.pools();
      if (parts[0] === "audit-log") return await P.auditLog(query);
      if (parts[0] === "users") return await P.users();
      setView(h("p", {}, "Page not found."));
    } catch (e) { showError(e); }
  }

  async function init() {
    me = await api("GET", "/api/v2/sluice/me");
    document.getElementById("me-name").textContent = me.username;
    document.getElementById("me-role").textContent = me.role;
    document.getElementById("nav-users").hidden = me.role !== "admin";
    document.getElementById("logout").addEventListener("click", async () => {
      try { await api("POST", "/logout"); } finally { location.href = "/login"; }
    });
    try {
      const errs = await api("GET", "/api/v1/importErrors");
      const c = document.getElementById("import-error-count");
      c.textContent = errs.total_entries;
      c.hidden = errs.total_entries === 0;
    } catch (_) { /* shown on the page itself */ }
    window.addEventListener("hashchange", () => {
      // why: a dialog belongs to the page it was opened on
      document.querySelectorAll("dialog[open]").forEach((d) => d.close());
      route();
    });
    route();
  }

  Object.assign(S, {
    h, s, enc, fmtDate, fmtDur, fmtNum, badge, legend, canOperate, setView, section, table, dagPath, runPath,
    api, get: (p) => api("GET", p), notify, showError, openDialog, closeDialog, confirmAction, confirmed,
    live, onLeave, me: () => me, reload: route,
  });
  // why: the page scripts load after this one and register themselves in S.pages first
  document.addEventListener("DOMContentLoaded", init);
})();
