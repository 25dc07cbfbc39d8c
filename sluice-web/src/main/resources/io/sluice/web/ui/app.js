"use strict";
/* Sluice web UI: hash routes over the REST API. No framework, no build step, no network beyond this server. */
(function () {
  const TASK_STATES = ["none", "scheduled", "queued", "running", "success", "restarting", "failed",
    "skipped", "upstream_failed", "up_for_retry", "up_for_reschedule", "deferred", "removed"];
  const view = document.getElementById("view");
  let me = null;
  let timer = null;
  let logSource = null;

  // ------------------------------------------------------------------ helpers

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
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

  async function api(method, path, body) {
    const headers = { "X-Requested-With": "fetch" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
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
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = { error: text }; }
    if (!res.ok) throw new Error((data && data.error) || res.statusText);
    return data;
  }
  const get = (p) => api("GET", p);

  function stopLive() {
    if (timer) { clearInterval(timer); timer = null; }
    if (logSource) { logSource.close(); logSource = null; }
  }
  /** Renders now, then again every ms while the route stays the same. */
  function live(ms, render) {
    const route = location.hash;
    const run = async () => {
      if (location.hash !== route) return;
      try { await render(); } catch (e) { showError(e); }
    };
    run();
    timer = setInterval(run, ms);
  }
  function showError(e) {
    const b = document.getElementById("banner");
    b.textContent = "Error: " + e.message;
    b.hidden = false;
    setTimeout(() => { b.hidden = true; }, 6000);
  }
  function setView(...children) { view.replaceChildren(...children.filter((c) => c !== null && c !== undefined)); }
  function section(title, ...children) { return h("section", { class: "card" }, title ? h("h3", {}, title) : null, ...children); }

  // ------------------------------------------------------------------ trigger dialog

  const dialog = document.getElementById("trigger-dialog");
  let triggerDag = null;
  function openTrigger(dagId) {
    triggerDag = dagId;
    document.getElementById("trigger-dag").textContent = dagId;
    document.getElementById("trigger-error").hidden = true;
    dialog.showModal();
  }
  document.getElementById("trigger-cancel").addEventListener("click", () => dialog.close());
  document.getElementById("trigger-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const err = document.getElementById("trigger-error");
    let conf;
    try { conf = JSON.parse(document.getElementById("trigger-conf").value || "{}"); } catch (x) {
      err.textContent = "The configuration is not valid JSON: " + x.message; err.hidden = false; return;
    }
    const body = { conf };
    const date = document.getElementById("trigger-date").value.trim();
    if (date) body.logical_date = date;
    try {
      const run = await api("POST", "/api/v1/dags/" + enc(triggerDag) + "/dagRuns", body);
      dialog.close();
      location.hash = "#/dags/" + enc(run.dag_id) + "/grid";
    } catch (x) { err.textContent = x.message; err.hidden = false; }
  });

  // ------------------------------------------------------------------ DAG list

  function pauseToggle(d, after) {
    const input = h("input", { type: "checkbox", "data-pause": d.dag_id, "aria-label": "paused" });
    input.checked = d.is_paused;
    input.disabled = !canOperate();
    input.addEventListener("change", async () => {
      try { await api("POST", "/api/v1/dags/" + enc(d.dag_id) + (input.checked ? "/pause" : "/unpause")); if (after) after(); }
      catch (e) { input.checked = !input.checked; showError(e); }
    });
    return h("label", { class: "switch", title: d.is_paused ? "paused" : "active" }, input, h("span"));
  }

  async function renderDags() {
    const [dags, errs] = await Promise.all([get("/api/v1/dags"), get("/api/v1/importErrors")]);
    const rows = dags.dags.map((d) => h("tr", { "data-dag-id": d.dag_id },
      h("td", {}, pauseToggle(d, () => renderDags())),
      h("td", {}, h("a", { href: "#/dags/" + enc(d.dag_id) + "/grid", class: "dag-link" }, d.dag_id),
        h("div", { class: "muted" }, d.description || ""), (d.tags || []).map((t) => h("span", { class: "role" }, t))),
      h("td", { class: "mono" }, d.schedule_interval || "None"),
      h("td", {}, d.last_run ? [badge(d.last_run.state), " ", h("a", { href: "#/dags/" + enc(d.dag_id) + "/runs/" + enc(d.last_run.run_id) }, fmtDate(d.last_run.logical_date))] : "—"),
      h("td", {}, fmtDate(d.next_dagrun)),
      h("td", {}, canOperate() ? h("button", { class: "trigger", "data-dag-id": d.dag_id, onclick: () => openTrigger(d.dag_id), title: "Trigger with conf" }, "▶ Trigger") : null)));
    const out = [];
    if (errs.total_entries > 0)
      out.push(h("div", { class: "card error", id: "import-error-banner" }, errs.total_entries + " DAG file(s) failed to load. ",
        h("a", { href: "#/import-errors" }, "Show errors")));
    out.push(section("DAGs", h("table", { id: "dag-table" },
      h("thead", {}, h("tr", {}, ["Paused", "DAG", "Schedule", "Last run", "Next run", ""].map((c) => h("th", {}, c)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 6, class: "muted" }, "No DAGs yet."))))));
    setView(...out);
  }

  // ------------------------------------------------------------------ DAG page: grid, graph, gantt, runs

  function dagHeader(dag, tab) {
    const tabs = ["grid", "graph", "gantt", "runs"].map((t) =>
      h("a", { href: "#/dags/" + enc(dag.dag_id) + "/" + t, class: t === tab ? "active" : "" }, t[0].toUpperCase() + t.slice(1)));
    return h("div", {},
      h("div", { class: "row" },
        pauseToggle(dag),
        h("h2", { class: "grow" }, dag.dag_id, " ", h("span", { class: "muted mono" }, dag.schedule_interval || "None")),
        h("span", { class: "muted" }, "next run: " + fmtDate(dag.next_dagrun)),
        canOperate() ? h("button", { class: "trigger", "data-dag-id": dag.dag_id, onclick: () => openTrigger(dag.dag_id) }, "▶ Trigger") : null),
      dag.description ? h("p", { class: "muted" }, dag.description) : null,
      h("nav", { class: "tabs" }, tabs));
  }

  async function renderGrid(dagId, selected) {
    const [dag, grid] = await Promise.all([get("/api/v1/dags/" + enc(dagId)), get("/api/v1/dags/" + enc(dagId) + "/grid?limit=25")]);
    const runs = grid.dag_runs;
    const head = h("tr", {}, h("th", {}, "Task"),
      runs.map((r) => h("th", { class: "run", title: r.run_id },
        h("a", { href: "#/dags/" + enc(dagId) + "/runs/" + enc(r.run_id) }, fmtDate(r.logical_date).slice(5, 16)))));
    const runRow = h("tr", {}, h("td", { class: "task muted" }, "run"),
      runs.map((r) => h("td", {}, h("span", { class: "runbar st-" + r.state, title: r.run_id + ": " + r.state, "data-run-state": r.state, "data-run-id": r.run_id }))));
    const body = grid.task_ids.map((t) => h("tr", {}, h("td", { class: "task" }, t),
      runs.map((r) => {
        const ti = r.task_instances[t];
        const st = (ti && ti.state) || "none";
        const sel = selected && selected.run === r.run_id && selected.task === t;
        return h("td", {}, h("a", {
          class: "cell st-" + st + (sel ? " selected" : ""), title: t + " · " + r.run_id + " · " + st,
          "data-task-id": t, "data-run-id": r.run_id, "data-state": st,
          href: "#/dags/" + enc(dagId) + "/runs/" + enc(r.run_id) + "/tasks/" + enc(t),
        }));
      })));
    setView(dagHeader(dag, "grid"),
      section(null, legend(), runs.length ? h("table", { class: "grid", id: "grid" }, h("thead", {}, head), h("tbody", {}, runRow, body))
        : h("p", { class: "muted" }, "No runs yet.")));
  }

  function layout(tasks) {
    const depth = {};
    for (const t of tasks) depth[t.task_id] = Math.max(0, ...t.upstream_task_ids.map((u) => (depth[u] ?? 0) + 1));
    const cols = {};
    for (const t of tasks) (cols[depth[t.task_id]] = cols[depth[t.task_id]] || []).push(t.task_id);
    const pos = {};
    const W = 170, H = 54;
    for (const [c, ids] of Object.entries(cols)) ids.forEach((id, i) => { pos[id] = { x: 20 + c * (W + 50), y: 20 + i * (H + 20), w: W, h: H }; });
    const width = 40 + Object.keys(cols).length * (W + 50);
    const height = 40 + Math.max(1, ...Object.values(cols).map((c) => c.length)) * (H + 20);
    return { pos, width, height };
  }

  async function renderGraph(dagId) {
    const dag = await get("/api/v1/dags/" + enc(dagId));
    const runs = await get("/api/v1/dags/" + enc(dagId) + "/dagRuns?limit=1");
    const run = runs.dag_runs[0];
    const states = {};
    if (run) (await get("/api/v1/dags/" + enc(dagId) + "/dagRuns/" + enc(run.run_id) + "/taskInstances")).task_instances.forEach((t) => { states[t.task_id] = t.state; });
    const tasks = dag.tasks || [];
    const { pos, width, height } = layout(tasks);
    const svg = s("svg", { id: "graph", width, height, viewBox: `0 0 ${width} ${height}` },
      s("defs", {}, s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" }, s("path", { d: "M0,0 L10,5 L0,10 z", fill: "#8c959f" }))));
    for (const t of tasks) for (const u of t.upstream_task_ids) {
      const a = pos[u], b = pos[t.task_id];
      if (!a || !b) continue;
      const x1 = a.x + a.w, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2;
      svg.append(s("path", { class: "edge", d: `M${x1},${y1} C${x1 + 25},${y1} ${x2 - 25},${y2} ${x2},${y2}`, "marker-end": "url(#arrow)" }));
    }
    for (const t of tasks) {
      const p = pos[t.task_id];
      const st = states[t.task_id] || "none";
      const link = s("a", { href: run ? "#/dags/" + enc(dagId) + "/runs/" + enc(run.run_id) + "/tasks/" + enc(t.task_id) : "#/dags/" + enc(dagId) + "/graph" },
        s("g", { class: "node st-" + st, "data-task-id": t.task_id, "data-state": st },
          s("rect", { x: p.x, y: p.y, width: p.w, height: p.h, rx: 6 }),
          s("text", { x: p.x + 10, y: p.y + 22 }, t.task_id),
          s("text", { x: p.x + 10, y: p.y + 40 }, (t.operator || "") + " · " + st)));
      svg.append(link);
    }
    setView(dagHeader(dag, "graph"), section(run ? "Latest run: " + run.run_id : "No runs yet", legend(), svg));
  }

  function gantt(tis) {
    const started = tis.filter((t) => t.start_date);
    if (!started.length) return h("p", { class: "muted" }, "No task has started yet.");
    const t0 = Math.min(...started.map((t) => Date.parse(t.start_date)));
    const t1 = Math.max(...started.map((t) => Date.parse(t.end_date || new Date().toISOString())));
    const span = Math.max(1, t1 - t0);
    const W = 640, rowH = 22, left = 170;
    const svg = s("svg", { id: "gantt", width: left + W + 90, height: 30 + started.length * rowH });
    started.sort((a, b) => Date.parse(a.start_date) - Date.parse(b.start_date)).forEach((t, i) => {
      const a = Date.parse(t.start_date), b = Date.parse(t.end_date || new Date().toISOString());
      const x = left + ((a - t0) / span) * W, w = Math.max(2, ((b - a) / span) * W), y = 10 + i * rowH;
      svg.append(s("text", { x: 4, y: y + 14 }, t.task_id),
        s("rect", { class: "st-" + (t.state || "none"), x, y, width: w, height: rowH - 6, rx: 3 }, s("title", {}, `${t.task_id}: ${fmtDur(t.duration)} (${t.state})`)),
        s("text", { x: x + w + 6, y: y + 14 }, fmtDur(t.duration)));
    });
    svg.append(s("text", { x: left, y: 20 + started.length * rowH + 6, class: "muted" }, "total " + fmtDur(span / 1000)));
    return svg;
  }

  async function renderGantt(dagId) {
    const dag = await get("/api/v1/dags/" + enc(dagId));
    const runs = await get("/api/v1/dags/" + enc(dagId) + "/dagRuns?limit=1");
    const run = runs.dag_runs[0];
    const content = run ? gantt((await get("/api/v1/dags/" + enc(dagId) + "/dagRuns/" + enc(run.run_id) + "/taskInstances")).task_instances) : h("p", { class: "muted" }, "No runs yet.");
    setView(dagHeader(dag, "gantt"), section(run ? "Durations of " + run.run_id : "Durations", content));
  }

  async function renderRuns(dagId) {
    const dag = await get("/api/v1/dags/" + enc(dagId));
    const runs = await get("/api/v1/dags/" + enc(dagId) + "/dagRuns?limit=100");
    const rows = runs.dag_runs.map((r) => h("tr", {},
      h("td", {}, badge(r.state)), h("td", {}, h("a", { href: "#/dags/" + enc(dagId) + "/runs/" + enc(r.run_id) }, r.run_id)),
      h("td", {}, r.run_type), h("td", {}, fmtDate(r.logical_date)), h("td", {}, fmtDate(r.start_date)), h("td", {}, fmtDur(r.duration))));
    setView(dagHeader(dag, "runs"), section(null, h("table", {},
      h("thead", {}, h("tr", {}, ["State", "Run", "Type", "Logical date", "Started", "Duration"].map((c) => h("th", {}, c)))), h("tbody", {}, rows))));
  }

  async function renderRun(dagId, runId) {
    const run = await get("/api/v1/dags/" + enc(dagId) + "/dagRuns/" + enc(runId));
    const kv = h("dl", { class: "kv" },
      ["state", "run_type", "logical_date", "data_interval_start", "data_interval_end", "queued_at", "start_date", "end_date", "duration"].flatMap((k) => [
        h("dt", {}, k), h("dd", {}, k === "state" ? badge(run.state) : k.endsWith("date") || k.endsWith("_at") || k.startsWith("data_interval") ? fmtDate(run[k]) : k === "duration" ? fmtDur(run[k]) : run[k])]),
      h("dt", {}, "conf"), h("dd", {}, h("pre", { class: "mono" }, JSON.stringify(run.conf, null, 2))));
    const clear = canOperate() ? h("button", { class: "secondary", id: "clear-run", onclick: async () => {
      if (!confirm("Clear every task of this run so that it runs again?")) return;
      try { await api("POST", "/api/v1/dags/" + enc(dagId) + "/dagRuns/" + enc(runId) + "/clear", {}); renderRun(dagId, runId); } catch (e) { showError(e); }
    } }, "Clear run") : null;
    const rows = run.task_instances.map((t) => h("tr", { "data-task-id": t.task_id },
      h("td", {}, badge(t.state)), h("td", {}, h("a", { href: "#/dags/" + enc(dagId) + "/runs/" + enc(runId) + "/tasks/" + enc(t.task_id) }, t.task_id)),
      h("td", {}, t.try_number + " / " + (t.max_tries + 1)), h("td", {}, fmtDate(t.start_date)), h("td", {}, fmtDur(t.duration))));
    setView(
      h("div", { class: "row" }, h("h2", { class: "grow" }, h("a", { href: "#/dags/" + enc(dagId) + "/grid" }, dagId), " / ", runId), clear),
      section("Run", kv),
      section("Task instances", h("table", { id: "run-tasks" }, h("thead", {}, h("tr", {}, ["State", "Task", "Try", "Started", "Duration"].map((c) => h("th", {}, c)))), h("tbody", {}, rows))),
      section("Gantt", gantt(run.task_instances)));
  }

  async function renderTask(dagId, runId, taskId, tryParam) {
    const base = "/api/v1/dags/" + enc(dagId) + "/dagRuns/" + enc(runId) + "/taskInstances/" + enc(taskId);
    const ti = await get(base);
    const tries = Math.max(1, ti.try_number);
    const tryNo = tryParam ? Number(tryParam) : tries;
    const pre = h("pre", { class: "log", id: "log-lines" });
    const status = h("span", { class: "muted", id: "log-status" }, "loading…");
    const tryLinks = h("span", {}, "Try: ", Array.from({ length: tries }, (_, i) => i + 1).map((n) =>
      h("a", { href: "#/dags/" + enc(dagId) + "/runs/" + enc(runId) + "/tasks/" + enc(taskId) + "/" + n, class: n === tryNo ? "active" : "" }, " " + n + " ")));
    const clear = canOperate() ? h("button", { class: "secondary", id: "clear-task", onclick: async () => {
      try { await api("POST", base + "/clear", { include_downstream: true }); location.hash = "#/dags/" + enc(dagId) + "/grid"; } catch (e) { showError(e); }
    } }, "Clear (with downstream)") : null;
    setView(
      h("div", { class: "row" }, h("h2", { class: "grow" }, h("a", { href: "#/dags/" + enc(dagId) + "/grid" }, dagId), " / ",
        h("a", { href: "#/dags/" + enc(dagId) + "/runs/" + enc(runId) }, runId), " / ", taskId), clear),
      section(null, h("dl", { class: "kv" },
        h("dt", {}, "state"), h("dd", { id: "task-state" }, badge(ti.state)),
        h("dt", {}, "try"), h("dd", {}, ti.try_number + " of " + (ti.max_tries + 1)),
        h("dt", {}, "started"), h("dd", {}, fmtDate(ti.start_date)),
        h("dt", {}, "ended"), h("dd", {}, fmtDate(ti.end_date)),
        h("dt", {}, "duration"), h("dd", {}, fmtDur(ti.duration)),
        h("dt", {}, "pool"), h("dd", {}, ti.pool),
        h("dt", {}, "executor"), h("dd", { class: "mono" }, ti.hostname || "—"))),
      section("Log", h("div", { class: "row" }, tryLinks, status), pre));
    // Follow the log live with server-sent events; the server ends the stream when the try is over.
    logSource = new EventSource(base + "/logs/" + tryNo + "/stream");
    status.textContent = "following…";
    logSource.addEventListener("line", (e) => {
      const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      pre.append(e.data + "\n");
      if (atBottom) pre.scrollTop = pre.scrollHeight;
    });
    logSource.addEventListener("end", (e) => {
      const st = JSON.parse(e.data).state;
      status.textContent = "finished: " + st;
      document.getElementById("task-state").replaceChildren(badge(st));
      logSource.close();
      logSource = null;
    });
    logSource.onerror = () => { if (logSource) { status.textContent = "log stream closed"; logSource.close(); logSource = null; } };
  }

  // ------------------------------------------------------------------ pipeline

  function box(x, y, w, kind, title, lines, state) {
    const g = s("g", { class: "flow-box " + (state || ""), "data-node": title });
    g.append(s("rect", { x, y, width: w, height: 62, rx: 8 }),
      s("text", { x: x + 10, y: y + 15, class: "kind" }, kind),
      s("text", { x: x + 10, y: y + 32 }, title));
    lines.forEach((l, i) => g.append(s("text", { x: x + 10, y: y + 48 + i * 12, class: "flow-label" }, l)));
    return g;
  }

  function chart(history, key) {
    const W = 640, H = 160, L = 50;
    const series = {};
    history.forEach((p, i) => Object.entries(p[key] || {}).forEach(([name, v]) => { (series[name] = series[name] || []).push([i, Number(v) || 0]); }));
    const names = Object.keys(series);
    const max = Math.max(1, ...names.flatMap((n) => series[n].map((p) => p[1])));
    const n = Math.max(2, history.length);
    const svg = s("svg", { width: W + L + 10, height: H + 30, class: "chart", "data-chart": key });
    svg.append(s("line", { class: "axis", x1: L, y1: H, x2: L + W, y2: H }), s("line", { class: "axis", x1: L, y1: 0, x2: L, y2: H }),
      s("text", { x: 2, y: 12 }, fmtNum(max) + "/s"), s("text", { x: 2, y: H }, "0"));
    names.forEach((name, i) => {
      const pts = series[name].map(([x, y]) => `${L + (x / (n - 1)) * W},${H - (y / max) * (H - 5)}`).join(" ");
      svg.append(s("polyline", { class: "chart-line c" + (i % 6), points: pts }));
    });
    const leg = h("div", { class: "legend" }, names.map((nm, i) => h("span", {}, h("i", { class: "k" + (i % 6) }), nm)));
    return h("div", {}, svg, leg);
  }

  async function renderPipeline() {
    const p = await get("/api/v1/pipeline");
    const topics = Object.fromEntries((p.topics || []).map((t) => [t.name, t]));
    const sinks = Object.fromEntries((p.sinks || []).map((t) => [t.table, t]));
    const streams = p.streams || [];
    const kafkaUp = p.kafka && p.kafka.status === "up";
    const flows = p.flows || [];
    const colX = [20, 290, 560, 830], W = 170, rowH = 96, lastW = 210;
    const height = 30 + (flows.length + 1) * rowH;
    const svg = s("svg", { id: "pipeline-diagram", width: 1060, height, viewBox: `0 0 1060 ${height}` },
      s("defs", {}, s("marker", { id: "farrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" }, s("path", { d: "M0,0 L10,5 L0,10 z", fill: "#1f6feb" }))));
    // an edge with its rate above the arrow and its lag or freshness below
    const edge = (x1, y, x2, above, below, id) => {
      const mid = (x1 + x2) / 2;
      svg.append(s("path", { class: "flow-edge", d: `M${x1},${y} L${x2},${y}`, "marker-end": "url(#farrow)" }),
        s("text", { x: mid, y: y - 7, class: "flow-label", "text-anchor": "middle", "data-edge": id }, above));
      if (below) svg.append(s("text", { x: mid, y: y + 16, class: "flow-label", "text-anchor": "middle", "data-edge-detail": id }, below));
    };
    flows.forEach((f, i) => {
      const y = 20 + i * rowH;
      const t = topics[f.topic];
      const job = streams.find((q) => (q.topics || []).includes(f.topic)) || streams.find((q) => q.job === f.job);
      const sink = sinks[f.table];
      svg.append(box(colX[0], y, W, "source", f.source, [f.name], "up"));
      svg.append(box(colX[1], y, W, "topic", f.topic, t ? [fmtNum(t.end_offset, 0) + " rec · " + t.partitions + " part."] : [kafkaUp ? "not created yet" : "Kafka down"], t ? "up" : "down"));
      svg.append(box(colX[2], y, W, "spark job", job ? job.job + (job.query ? "/" + job.query : "") : f.job, job ? [job.status + " · batch " + (job.batch_id ?? "—")] : ["not running"], job && job.status === "running" ? "up" : "down"));
      svg.append(box(colX[3], y, lastW, "cassandra", f.table, sink && sink.rows !== undefined ? [fmtNum(sink.rows, 0) + " rows"] : [sink ? sink.status : "unknown"], sink && sink.status === "up" ? "up" : "down"));
      const ym = y + 31;
      edge(colX[0] + W, ym, colX[1], t ? fmtNum(t.rate_per_sec) + " rec/s" : "—", null, f.name + ":produce");
      const lag = job && job.lag !== null && job.lag !== undefined ? "lag " + fmtNum(job.lag, 0) : null;
      edge(colX[1] + W, ym, colX[2], job ? fmtNum(job.input_rows_per_second) + " rows/s" : "—", lag, f.name + ":consume");
      const fresh = sink && sink.freshness_seconds !== undefined && sink.freshness_seconds !== null ? "fresh " + fmtDur(sink.freshness_seconds) : null;
      edge(colX[2] + W, ym, colX[3], sink && sink.rate_per_sec !== undefined ? fmtNum(sink.rate_per_sec) + " rows/s" : "—", fresh, f.name + ":write");
    });
    const dlqY = 20 + flows.length * rowH;
    const dlq = p.dlq || {};
    const dlqBox = box(colX[2], dlqY, W, "dead letters", dlq.topic || "dlq", [(dlq.count === null || dlq.count === undefined ? "—" : fmtNum(dlq.count, 0)) + " records"], dlq.count > 0 ? "down" : "up");
    svg.append(s("a", { href: "#/dlq", id: "dlq-link" }, dlqBox));
    const topicRows = (p.topics || []).map((t) => h("tr", { "data-topic": t.name }, h("td", {}, t.name), h("td", {}, t.partitions), h("td", {}, fmtNum(t.end_offset, 0)),
      h("td", { class: "rate" }, fmtNum(t.rate_per_sec)), h("td", {}, (t.consumer_groups || []).map((g) => g.group + ": " + fmtNum(g.lag, 0)).join(", ") || "—")));
    const streamRows = streams.map((q) => h("tr", {}, h("td", {}, q.job), h("td", {}, q.query), h("td", {}, q.status), h("td", {}, q.batch_id ?? "—"),
      h("td", {}, fmtNum(q.input_rows_per_second)), h("td", {}, fmtNum(q.processed_rows_per_second)), h("td", {}, q.lag ?? "—"), h("td", {}, q.restarts ?? 0), h("td", {}, fmtDate(q.updated_at))));
    const sinkRows = (p.sinks || []).map((t) => h("tr", {}, h("td", {}, t.table), h("td", {}, t.status || "—"), h("td", {}, fmtNum(t.rows, 0)), h("td", {}, fmtNum(t.rate_per_sec)),
      h("td", {}, fmtDate(t.latest)), h("td", {}, t.freshness_seconds === undefined || t.freshness_seconds === null ? "—" : fmtDur(t.freshness_seconds)), h("td", { class: "error" }, t.error || "")));
    const table = (cols, rows, id) => h("table", { id }, h("thead", {}, h("tr", {}, cols.map((c) => h("th", {}, c)))), h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: cols.length, class: "muted" }, "none"))));
    setView(
      h("div", { class: "row" }, h("h2", { class: "grow" }, "Pipeline"), h("span", { class: "muted" }, "Kafka " + (p.kafka ? p.kafka.status : "?") + " · updated " + fmtDate(p.updated_at))),
      p.kafka && p.kafka.error ? h("div", { class: "card error" }, "Kafka: " + p.kafka.error) : null,
      p.spark ? h("p", { id: "spark-master" }, "Spark master: " + p.spark.master, p.spark.ui ? [" · ", h("a", { href: p.spark.ui, target: "_blank", id: "spark-ui-link" }, "Spark master web UI")] : null) : null,
      section("Flow: source → topic → job → table", svg),
      section("Throughput: records produced per second by topic", chart(p.history || [], "topics")),
      section("Throughput: rows processed per second by stream job", chart(p.history || [], "streams")),
      section("Topics", table(["Topic", "Partitions", "End offset", "Rate/s", "Consumer lag"], topicRows, "topics-table")),
      section("Stream jobs", table(["Job", "Query", "Status", "Batch", "In rows/s", "Processed rows/s", "Lag", "Restarts", "Updated"], streamRows, "streams-table")),
      section("Sinks", table(["Table", "Status", "Rows", "Rows/s", "Latest", "Freshness", ""], sinkRows, "sinks-table")));
  }

  async function renderDlq() {
    const d = await get("/api/v1/pipeline/dlq?limit=100");
    const rows = d.records.map((r) => h("tr", {},
      h("td", {}, r.partition + "/" + r.offset), h("td", {}, fmtDate(r.timestamp)), h("td", {}, r.stage || "—"), h("td", {}, r.source_topic || "—"),
      h("td", { class: "error" }, r.error || ""), h("td", {}, h("pre", { class: "mono" }, (r.value || "").slice(0, 300))),
      h("td", {}, canOperate() && r.source_topic ? h("button", { class: "secondary", onclick: async () => {
        try { const x = await api("POST", "/api/v1/pipeline/dlq/replay", { partition: r.partition, offset: r.offset }); showError(new Error("replayed " + x.replayed + " record(s)")); } catch (e) { showError(e); }
      } }, "Replay") : null)));
    setView(h("h2", {}, "Dead letters: " + d.topic), section(null, h("table", { id: "dlq-table" },
      h("thead", {}, h("tr", {}, ["Partition/offset", "Time", "Stage", "Source topic", "Error", "Value", ""].map((c) => h("th", {}, c)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 7, class: "muted" }, "No dead letters."))))));
  }

  // ------------------------------------------------------------------ schemas

  async function renderSchemas() {
    const d = await get("/api/v1/schemas");
    const rows = d.subjects.map((s) => h("tr", {},
      h("td", {}, h("a", { href: "#/schemas/" + enc(s.subject), class: "subject-link" }, s.subject)),
      h("td", {}, s.versions.join(", ")), h("td", {}, String(s.latest_id)), h("td", {}, s.compatibility)));
    setView(h("h2", {}, "Schemas"),
      h("p", { class: "muted" }, "Registry ", h("span", { class: "mono" }, d.registry), ", default compatibility ", h("b", { id: "global-level" }, d.compatibility)),
      section(null, h("table", { id: "schemas" },
        h("thead", {}, h("tr", {}, ["Subject", "Versions", "Latest id", "Compatibility"].map((c) => h("th", {}, c)))),
        h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 4, class: "muted" }, "No subjects registered."))))));
  }

  async function renderSubject(subject, from, to) {
    const d = await get("/api/v1/schemas/" + enc(subject));
    const numbers = d.versions.map((v) => v.version);
    const last = numbers[numbers.length - 1];
    from = from || String(numbers.length > 1 ? numbers[numbers.length - 2] : last);
    to = to || String(last);
    const pick = (id, value) => h("select", { id, onchange: () => {
      location.hash = "#/schemas/" + enc(subject) + "/diff/" + enc(document.getElementById("diff-from").value) + "/" + enc(document.getElementById("diff-to").value);
    } }, numbers.map((n) => h("option", { value: String(n), selected: String(n) === value ? "selected" : null }, "version " + n)));
    const diff = await get("/api/v1/schemas/" + enc(subject) + "/diff?from=" + enc(from) + "&to=" + enc(to));
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

  async function renderImportErrors() {
    const errs = await get("/api/v1/importErrors");
    setView(h("h2", {}, "Import errors"), section(null, errs.import_errors.length
      ? h("table", { id: "import-errors" }, h("thead", {}, h("tr", {}, ["File", "Line", "Error", "When"].map((c) => h("th", {}, c)))),
        h("tbody", {}, errs.import_errors.map((e) => h("tr", {}, h("td", { class: "mono" }, e.filename), h("td", {}, e.line || "—"),
          h("td", {}, h("pre", { class: "mono error" }, e.stack_trace)), h("td", {}, fmtDate(e.timestamp))))))
      : h("p", { class: "muted" }, "Every DAG file loaded.")));
  }

  async function renderVariables() {
    const vars = await get("/api/v1/variables");
    const key = h("input", { id: "var-key", placeholder: "key" }), value = h("input", { id: "var-value", placeholder: "value" });
    const form = canOperate() ? h("form", { class: "form", onsubmit: async (e) => {
      e.preventDefault();
      try { await api("POST", "/api/v1/variables", { key: key.value, value: value.value }); renderVariables(); } catch (x) { showError(x); }
    } }, h("div", {}, h("label", {}, "Key"), key), h("div", { class: "grow" }, h("label", {}, "Value"), value), h("button", { type: "submit" }, "Set")) : null;
    setView(h("h2", {}, "Variables"), section(null, h("table", { id: "variables" }, h("thead", {}, h("tr", {}, ["Key", "Value", ""].map((c) => h("th", {}, c)))),
      h("tbody", {}, vars.variables.map((v) => h("tr", {}, h("td", { class: "mono" }, v.key), h("td", { class: "mono" }, v.value),
        h("td", {}, canOperate() ? h("button", { class: "secondary", onclick: async () => { try { await api("DELETE", "/api/v1/variables/" + enc(v.key)); renderVariables(); } catch (e) { showError(e); } } }, "Delete") : null))))), form));
  }

  async function renderUsers() {
    const users = await get("/api/v1/users");
    const name = h("input", { id: "new-user", placeholder: "user name" }), pw = h("input", { id: "new-password", type: "password", placeholder: "password (8+ characters)" });
    const role = h("select", { id: "new-role" }, ["viewer", "op", "admin"].map((r) => h("option", { value: r }, r)));
    setView(h("h2", {}, "Users"), section(null, h("table", { id: "users" }, h("thead", {}, h("tr", {}, ["User", "Role", "Created", "Last login", ""].map((c) => h("th", {}, c)))),
      h("tbody", {}, users.users.map((u) => h("tr", {}, h("td", {}, u.username), h("td", {}, u.role), h("td", {}, fmtDate(u.created_on)), h("td", {}, fmtDate(u.last_login)),
        h("td", {}, u.username !== me.username ? h("button", { class: "danger", onclick: async () => { if (confirm("Delete " + u.username + "?")) { try { await api("DELETE", "/api/v1/users/" + enc(u.username)); renderUsers(); } catch (e) { showError(e); } } } }, "Delete") : null))))),
      h("form", { class: "form", onsubmit: async (e) => {
        e.preventDefault();
        try { await api("POST", "/api/v1/users", { username: name.value, password: pw.value, role: role.value }); renderUsers(); } catch (x) { showError(x); }
      } }, h("div", {}, h("label", {}, "User"), name), h("div", {}, h("label", {}, "Password"), pw), h("div", {}, h("label", {}, "Role"), role), h("button", { type: "submit" }, "Create"))));
  }

  // ------------------------------------------------------------------ router

  async function route() {
    stopLive();
    const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
    document.querySelectorAll("header nav a").forEach((a) => a.classList.toggle("active", a.dataset.nav === parts[0]));
    try {
      if (parts[0] === "" || parts[0] === "dags" && parts.length === 1) return live(5000, renderDags);
      if (parts[0] === "dags") {
        const dagId = parts[1];
        if (parts[2] === "runs" && parts[4] === "tasks") return renderTask(dagId, parts[3], parts[5], parts[6]);
        if (parts[2] === "runs" && parts[3]) return live(3000, () => renderRun(dagId, parts[3]));
        if (parts[2] === "graph") return live(3000, () => renderGraph(dagId));
        if (parts[2] === "gantt") return live(3000, () => renderGantt(dagId));
        if (parts[2] === "runs") return live(5000, () => renderRuns(dagId));
        return live(2000, () => renderGrid(dagId));
      }
      if (parts[0] === "pipeline") return live(3000, renderPipeline);
      if (parts[0] === "dlq") return await renderDlq();
      if (parts[0] === "schemas" && parts[1]) return await renderSubject(parts[1], parts[3], parts[4]);
      if (parts[0] === "schemas") return await renderSchemas();
      if (parts[0] === "import-errors") return await renderImportErrors();
      if (parts[0] === "variables") return await renderVariables();
      if (parts[0] === "users") return await renderUsers();
      setView(h("p", {}, "Page not found."));
    } catch (e) { showError(e); }
  }

  async function init() {
    me = await get("/api/v1/me");
    document.getElementById("me-name").textContent = me.username;
    document.getElementById("me-role").textContent = me.role;
    document.getElementById("nav-users").hidden = me.role !== "admin";
    document.getElementById("logout").addEventListener("click", async () => {
      try { await api("POST", "/logout"); } finally { location.href = "/login"; }
    });
    try {
      const errs = await get("/api/v1/importErrors");
      const c = document.getElementById("import-error-count");
      c.textContent = errs.total_entries;
      c.hidden = errs.total_entries === 0;
    } catch (_) { /* shown on the page itself */ }
    window.addEventListener("hashchange", route);
    route();
  }
  init();
})();
