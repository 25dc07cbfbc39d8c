"use strict";
/* The DAG list (search, tag filter, paused/active tabs, paging on the server) and the DAG pages: grid with a details panel, graph, gantt and runs. */
(function () {
  const S = window.sluice;
  const { h, s, enc, fmtDate, fmtDur, badge, legend, canOperate, setView, section, table, api, get, showError, dagPath, runPath } = S;
  const PAGE_SIZE = 25;
  const RECENT = 25; // runs whose states the list counts per DAG

  function pauseToggle(d, after) {
    const input = h("input", { type: "checkbox", "data-pause": d.dag_id, "aria-label": "paused" });
    input.checked = d.is_paused;
    input.disabled = !canOperate();
    input.addEventListener("change", async () => {
      try { await api("PATCH", dagPath(d.dag_id), { is_paused: input.checked }); if (after) after(); }
      catch (e) { input.checked = !input.checked; showError(e); }
    });
    return h("label", { class: "switch", title: d.is_paused ? "paused" : "active" }, input, h("span"));
  }
  const triggerButton = (dagId) => canOperate()
    ? h("button", { class: "trigger", "data-dag-id": dagId, onclick: () => S.openTrigger(dagId), title: "Trigger a run" }, "▶ Trigger") : null;

  // ------------------------------------------------------------------ DAG list

  /** The list's filters live in the hash (#/dags?search=..&tag=..&paused=..&offset=..), so Back and reload keep them. */
  function listUrl(q) {
    const p = new URLSearchParams();
    for (const k of ["search", "tag", "paused", "offset"]) if (q.get(k)) p.set(k, q.get(k));
    const str = p.toString();
    return "#/dags" + (str ? "?" + str : "");
  }

  async function dagList(query) {
    const q = new URLSearchParams(query);
    const go = (changes) => {
      for (const [k, v] of Object.entries(changes)) if (v === null || v === "") q.delete(k); else q.set(k, v);
      location.hash = listUrl(q);
    };
    const search = h("input", { id: "dag-search", type: "search", placeholder: "Search DAGs", value: q.get("search") || "", "aria-label": "search DAGs" });
    let debounce = null;
    search.addEventListener("input", () => {
      clearTimeout(debounce);
      // why: the input survives the re-render, so typing keeps its focus
      debounce = setTimeout(() => { q.set("search", search.value); q.delete("offset"); history.replaceState(null, "", listUrl(q)); refresh(); }, 250);
    });
    const allTags = await get("/api/v2/dags?limit=1000");
    const tagNames = [...new Set(allTags.dags.flatMap((d) => d.tags.map((t) => t.name)))].sort();
    const tagSelect = h("select", { id: "dag-tag", "aria-label": "tag", onchange: (e) => go({ tag: e.target.value, offset: null }) },
      h("option", { value: "" }, "All tags"), tagNames.map((t) => h("option", { value: t, selected: t === q.get("tag") }, t)));
    const tabs = h("nav", { class: "tabs", id: "dag-tabs" }, [["", "All"], ["false", "Active"], ["true", "Paused"]].map(([v, label]) =>
      h("a", { href: listUrl(new URLSearchParams({ ...Object.fromEntries(q), paused: v, offset: "" })), class: (q.get("paused") || "") === v ? "active" : "", "data-tab": label.toLowerCase() }, label)));
    const body = h("div", { id: "dag-list" });
    const errs = await get("/api/v1/importErrors");
    setView(
      errs.total_entries > 0 ? h("div", { class: "card error", id: "import-error-banner" }, errs.total_entries + " DAG file(s) failed to load. ", h("a", { href: "#/import-errors" }, "Show errors")) : null,
      h("div", { class: "row toolbar" }, h("h2", { class: "grow" }, "DAGs"), search, tagSelect), tabs, body);
    async function refresh() {
      const p = new URLSearchParams({ limit: PAGE_SIZE, offset: q.get("offset") || 0, order_by: "dag_id" });
      if (q.get("search")) p.set("dag_id_pattern", q.get("search"));
      if (q.get("tag")) p.set("tags", q.get("tag"));
      if (q.get("paused")) p.set("paused", q.get("paused"));
      p.set("dag_runs_limit", RECENT);
      // why: one request a refresh, however many DAGs the page shows
      const page = await get("/api/v2/sluice/dags?" + p);
      const recent = page.dags.map((d) => d.recent_dag_runs);
      body.replaceChildren(section(null, dagTable(page.dags, recent, refresh, go), pager(page.total_entries, Number(q.get("offset") || 0), go)));
    }
    S.live(5000, refresh);
  }

  /** How many of the recent runs ended in each state, as small badges. */
  function stateCounts(runs) {
    const counts = {};
    for (const r of runs) counts[r.state] = (counts[r.state] || 0) + 1;
    return h("span", { class: "counts" }, Object.entries(counts).map(([st, n]) =>
      h("span", { class: "badge st-" + st, title: n + " " + st + " of the last " + runs.length + " runs", "data-count-state": st }, String(n))));
  }

  function dagTable(dags, recent, refresh, go) {
    const rows = dags.map((d, i) => {
      const last = recent[i][0];
      return h("tr", { "data-dag-id": d.dag_id },
        h("td", {}, pauseToggle(d, refresh)),
        h("td", {}, h("a", { href: "#/dags/" + enc(d.dag_id) + "/grid", class: "dag-link" }, d.dag_id),
          h("div", { class: "muted" }, d.description || ""),
          d.tags.map((t) => h("a", { class: "tag", href: "#/dags?tag=" + enc(t.name), onclick: (e) => { e.preventDefault(); go({ tag: t.name, offset: null }); } }, t.name))),
        h("td", { class: "mono" }, d.timetable_summary || "None"),
        h("td", {}, recent[i].length ? stateCounts(recent[i]) : "—"),
        h("td", {}, last ? [badge(last.state), " ", h("a", { href: "#/dags/" + enc(d.dag_id) + "/runs/" + enc(last.dag_run_id) }, fmtDate(last.logical_date || last.run_after))] : "—"),
        h("td", {}, fmtDate(d.next_dagrun_logical_date)),
        h("td", {}, triggerButton(d.dag_id)));
    });
    return table(["Paused", "DAG", "Schedule", "Recent runs", "Last run", "Next run", ""], rows, "dag-table", "No DAGs match.");
  }

  function pager(total, offset, go) {
    const last = Math.min(total, offset + PAGE_SIZE);
    return h("div", { class: "row pager" },
      h("span", { id: "dag-page-info", class: "muted grow" }, total ? (offset + 1) + "–" + last + " of " + total : "0 of 0"),
      h("button", { class: "secondary", id: "dag-prev", disabled: offset === 0, onclick: () => go({ offset: String(Math.max(0, offset - PAGE_SIZE)) }) }, "‹ Previous"),
      h("button", { class: "secondary", id: "dag-next", disabled: last >= total, onclick: () => go({ offset: String(offset + PAGE_SIZE) }) }, "Next ›"));
  }

  // ------------------------------------------------------------------ DAG page header and grid

  function dagHeader(dag, tab) {
    const tabs = ["grid", "graph", "gantt", "runs"].map((t) =>
      h("a", { href: "#/dags/" + enc(dag.dag_id) + "/" + t, class: t === tab ? "active" : "" }, t[0].toUpperCase() + t.slice(1)));
    return h("div", {},
      h("div", { class: "row" },
        pauseToggle(dag),
        h("h2", { class: "grow" }, dag.dag_id, " ", h("span", { class: "muted mono" }, dag.timetable_summary || "None")),
        h("span", { class: "muted" }, "next run: " + fmtDate(dag.next_dagrun_logical_date)),
        triggerButton(dag.dag_id)),
      dag.description ? h("p", { class: "muted" }, dag.description) : null,
      h("nav", { class: "tabs" }, tabs));
  }

  /** The DAG's backfills, newest first, each with its progress and (for op) pause, resume and cancel. */
  async function backfills(dagId, after) {
    const page = await get("/api/v1/backfills?limit=5&dag_id=" + enc(dagId));
    if (!page.total_entries) return null;
    const run = (b, op) => async () => { await api("PUT", "/api/v1/backfills/" + b.id + "/" + op); after(); };
    const act = (b, op, label) => h("button", { class: "secondary", "data-backfill-op": op, onclick: op === "cancel"
      ? () => S.confirmed("Cancel backfill #" + b.id + " for good? Its queued runs fail; running ones finish.", "Cancel backfill", run(b, op))
      : async () => { try { await run(b, op)(); } catch (e) { showError(e); } } }, label);
    const rows = page.backfills.map((b) => {
      const p = b.progress;
      const done = p.skipped + p.success + p.failed;
      return h("tr", { "data-backfill-id": b.id, "data-backfill-state": b.state },
        h("td", { class: "mono" }, "#" + b.id),
        h("td", {}, fmtDate(b.from_date).slice(0, 10) + " → " + fmtDate(b.to_date).slice(0, 10)),
        h("td", {}, badge(b.state)),
        h("td", {}, h("progress", { max: p.total, value: done, "aria-label": "backfill progress" }), " ",
          h("span", { class: "muted", "data-backfill-progress": b.id }, done + "/" + p.total + " · running " + (p.running + p.queued) + " · failed " + p.failed + " · skipped " + p.skipped)),
        h("td", { class: "muted" }, b.reprocess_behavior + ", max " + b.max_active_runs + (b.run_backwards ? ", backwards" : "")),
        h("td", {}, canOperate() && !b.completed_at ? [b.is_paused ? act(b, "unpause", "Resume") : act(b, "pause", "Pause"), " ", act(b, "cancel", "Cancel")] : null));
    });
    return section("Backfills", table(["", "Dates", "State", "Progress", "Reprocess", ""], rows, "backfill-table", ""));
  }

  /** A bar per run, as tall as the run was long against the longest shown. */
  function durationRow(runs) {
    const max = Math.max(0.001, ...runs.map((r) => r.duration || 0));
    return h("tr", { class: "durations" }, h("td", { class: "task muted" }, "duration"),
      runs.map((r) => {
        const bar = h("span", { class: "durbar st-" + r.state, title: r.run_id + ": " + fmtDur(r.duration), "data-duration-run": r.run_id });
        bar.style.height = Math.max(2, Math.round(((r.duration || 0) / max) * 60)) + "px";
        return h("td", {}, bar);
      }));
  }

  async function grid(dagId, selRun, selTask) {
    const [dag, g] = await Promise.all([get(dagPath(dagId)), get("/api/v2/sluice/dags/" + enc(dagId) + "/grid?limit=25")]);
    const runs = g.dag_runs;
    const cellHref = (run, task) => "#/dags/" + enc(dagId) + "/grid?run=" + enc(run) + "&task=" + enc(task);
    const head = h("tr", {}, h("th", {}, "Task"),
      runs.map((r) => h("th", { class: "run", title: r.run_id },
        h("a", { href: "#/dags/" + enc(dagId) + "/runs/" + enc(r.run_id) }, fmtDate(r.logical_date).slice(5, 16)))));
    const runRow = h("tr", {}, h("td", { class: "task muted" }, "run"),
      runs.map((r) => h("td", {}, h("span", { class: "runbar st-" + r.state, title: r.run_id + ": " + r.state, "data-run-state": r.state, "data-run-id": r.run_id }))));
    const body = g.task_ids.map((t) => h("tr", {}, h("td", { class: "task" }, t),
      runs.map((r) => {
        const ti = r.task_instances[t];
        const st = (ti && ti.state) || "none";
        const sel = selRun === r.run_id && selTask === t;
        return h("td", {}, h("a", {
          class: "cell st-" + st + (sel ? " selected" : ""), title: t + " · " + r.run_id + " · " + st + (ti && ti.duration ? " · " + fmtDur(ti.duration) : ""),
          "data-task-id": t, "data-run-id": r.run_id, "data-state": st, href: cellHref(r.run_id, t),
        }));
      })));
    const gridTable = runs.length ? h("table", { class: "grid", id: "grid" }, h("thead", {}, head), h("tbody", {}, durationRow(runs), runRow, body))
      : h("p", { class: "muted" }, "No runs yet.");
    const panel = selRun && selTask ? await details(dagId, selRun, selTask) : h("p", { class: "muted", id: "ti-details-hint" }, "Select a cell to see its task instance.");
    const bf = await backfills(dagId, () => grid(dagId, selRun, selTask));
    setView(dagHeader(dag, "grid"), bf, h("div", { class: "split" }, section(null, legend(), gridTable), h("section", { class: "card panel", id: "ti-details" }, panel)));
  }

  /** The details panel of one task instance: state, try, times, operator, links to its log and XComs. */
  async function details(dagId, runId, taskId) {
    let ti;
    try { ti = await get(runPath(dagId, runId) + "/taskInstances/" + enc(taskId)); } catch (e) {
      return h("p", { class: "muted" }, "No task instance " + taskId + " in " + runId + ".");
    }
    const page = "#/dags/" + enc(dagId) + "/runs/" + enc(runId) + "/tasks/" + enc(taskId);
    const kv = [["state", badge(ti.state)], ["try", ti.try_number + " of " + (ti.max_tries + 1)], ["operator", ti.operator || "—"],
      ["started", fmtDate(ti.start_date)], ["ended", fmtDate(ti.end_date)], ["duration", fmtDur(ti.duration)], ["run", runId]];
    return h("div", {}, h("h3", {}, taskId),
      h("dl", { class: "kv" }, kv.flatMap(([k, v]) => [h("dt", {}, k), h("dd", { "data-field": k }, v)])),
      h("p", { class: "row" }, h("a", { href: page, id: "ti-log-link" }, "Log"), h("a", { href: page + "/xcom", id: "ti-xcom-link" }, "XComs")));
  }

  // ------------------------------------------------------------------ graph and gantt

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

  async function graph(dagId, runParam) {
    const [dag, v1, tasks, runs] = await Promise.all([get(dagPath(dagId)), get("/api/v1/dags/" + enc(dagId)),
      get(dagPath(dagId) + "/tasks"), get(dagPath(dagId) + "/dagRuns?limit=50&order_by=-run_after")]);
    const run = runs.dag_runs.find((r) => r.dag_run_id === runParam) || runs.dag_runs[0];
    const states = {};
    if (run) (await get(runPath(dagId, run.dag_run_id) + "/taskInstances?limit=1000")).task_instances.forEach((t) => { states[t.task_id] = t.state || "none"; });
    const operators = Object.fromEntries(tasks.tasks.map((t) => [t.task_id, t.operator_name]));
    const defs = v1.tasks || [];
    const { pos, width, height } = layout(defs);
    const svg = s("svg", { id: "graph", width, height, viewBox: `0 0 ${width} ${height}` },
      s("defs", {}, s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" }, s("path", { d: "M0,0 L10,5 L0,10 z", fill: "#8c959f" }))));
    for (const t of defs) for (const u of t.upstream_task_ids) {
      const a = pos[u], b = pos[t.task_id];
      if (!a || !b) continue;
      const x1 = a.x + a.w, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2;
      svg.append(s("path", { class: "edge", d: `M${x1},${y1} C${x1 + 25},${y1} ${x2 - 25},${y2} ${x2},${y2}`, "marker-end": "url(#arrow)" }));
    }
    for (const t of defs) {
      const p = pos[t.task_id];
      const st = states[t.task_id] || "none";
      const link = s("a", { href: run ? "#/dags/" + enc(dagId) + "/runs/" + enc(run.dag_run_id) + "/tasks/" + enc(t.task_id) : "#/dags/" + enc(dagId) + "/graph" },
        s("g", { class: "node st-" + st, "data-task-id": t.task_id, "data-state": st },
          s("rect", { x: p.x, y: p.y, width: p.w, height: p.h, rx: 6 }),
          s("text", { x: p.x + 10, y: p.y + 22 }, t.task_id),
          s("text", { x: p.x + 10, y: p.y + 40 }, (operators[t.task_id] || "") + " · " + st)));
      svg.append(link);
    }
    const picker = h("select", { id: "graph-run", "aria-label": "run", onchange: (e) => { location.hash = "#/dags/" + enc(dagId) + "/graph?run=" + enc(e.target.value); } },
      runs.dag_runs.map((r) => h("option", { value: r.dag_run_id, selected: run && r.dag_run_id === run.dag_run_id }, r.dag_run_id + " (" + r.state + ")")));
    setView(dagHeader(dag, "graph"), section(null, h("div", { class: "row" }, run ? [h("span", {}, "Run"), picker] : h("span", { class: "muted" }, "No runs yet")), legend(), svg));
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

  async function ganttPage(dagId) {
    const dag = await get(dagPath(dagId));
    const runs = await get(dagPath(dagId) + "/dagRuns?limit=1&order_by=-run_after");
    const run = runs.dag_runs[0];
    const content = run ? gantt((await get(runPath(dagId, run.dag_run_id) + "/taskInstances?limit=1000")).task_instances) : h("p", { class: "muted" }, "No runs yet.");
    setView(dagHeader(dag, "gantt"), section(run ? "Durations of " + run.dag_run_id : "Durations", content));
  }

  Object.assign(S.pages, { dagList, grid, graph, gantt: ganttPage });
  Object.assign(S, { dagHeader, gantt });
})();
