"use strict";
/* Runs and task instances: the runs list, a run (mark, clear, delete) and a task instance (log, XComs, rendered template, mark, clear with options). */
(function () {
  const S = window.sluice;
  const { h, enc, fmtDate, fmtDur, badge, canOperate, setView, section, table, api, get, showError, notify, confirmed, dagPath, runPath } = S;

  const runHref = (dagId, runId) => "#/dags/" + enc(dagId) + "/runs/" + enc(runId);
  const taskHref = (dagId, runId, taskId) => runHref(dagId, runId) + "/tasks/" + enc(taskId);

  async function runs(dagId) {
    const [dag, list] = await Promise.all([get(dagPath(dagId)), get(dagPath(dagId) + "/dagRuns?limit=100&order_by=-run_after")]);
    const rows = list.dag_runs.map((r) => h("tr", { "data-run-id": r.dag_run_id },
      h("td", {}, badge(r.state)), h("td", {}, h("a", { href: runHref(dagId, r.dag_run_id) }, r.dag_run_id)),
      h("td", {}, r.run_type), h("td", {}, fmtDate(r.logical_date)), h("td", {}, fmtDate(r.start_date)), h("td", {}, fmtDur(r.duration))));
    setView(S.dagHeader(dag, "runs"), section(null, table(["State", "Run", "Type", "Logical date", "Started", "Duration"], rows, "runs-table", "No runs yet.")));
  }

  function runActions(dagId, run, after) {
    if (!canOperate()) return null;
    const path = runPath(dagId, run.dag_run_id);
    const mark = (state) => h("button", { class: "secondary", id: "mark-run-" + state, onclick: () =>
      confirmed("Mark run " + run.dag_run_id + " as " + state + "? Its unfinished tasks follow.", "Mark " + state, async () => {
        await api("PATCH", path, { state }); notify("Run " + run.dag_run_id + " marked " + state + ".", "ok"); after();
      }) }, "Mark " + state);
    return h("div", { class: "row actions-bar" }, mark("success"), mark("failed"),
      h("button", { class: "secondary", id: "clear-run", onclick: () =>
        confirmed("Clear every task of run " + run.dag_run_id + " so that it runs again?", "Clear run", async () => {
          await api("POST", path + "/clear", { dry_run: false }); after();
        }) }, "Clear run"),
      h("button", { class: "danger", id: "delete-run", onclick: () =>
        confirmed("Delete run " + run.dag_run_id + " with its task instances, XComs and logs? This cannot be undone.", "Delete run", async () => {
          await api("DELETE", path);
          notify("Run " + run.dag_run_id + " deleted.", "ok");
          location.hash = "#/dags/" + enc(dagId) + "/runs";
        }) }, "Delete run"));
  }

  /** A run's or task instance's note: shown to everyone, written by op (PATCH with update_mask=note). */
  function noteSection(path, note, what) {
    const text = h("textarea", { id: "note-text", rows: 3, maxlength: 1000, "aria-label": "note", placeholder: "No note on this " + what + "." });
    text.value = note || "";
    if (!canOperate()) return section("Note", h("p", { id: "note-view", class: note ? "" : "muted" }, note || "No note."));
    const save = h("button", { class: "secondary", id: "note-save", onclick: async () => {
      try {
        await api("PATCH", path + "?update_mask=note", { note: text.value.trim() || null });
        notify("Note saved.", "ok");
      } catch (e) { showError(e); }
    } }, "Save note");
    return section("Note", text, h("div", { class: "row" }, save));
  }

  async function run(dagId, runId) {
    const [r, tis] = await Promise.all([get(runPath(dagId, runId)), get(runPath(dagId, runId) + "/taskInstances?limit=1000")]);
    const kv = h("dl", { class: "kv" },
      ["state", "run_type", "logical_date", "data_interval_start", "data_interval_end", "queued_at", "start_date", "end_date", "duration"].flatMap((k) => [
        h("dt", {}, k), h("dd", { "data-field": k }, k === "state" ? badge(r.state) : k.endsWith("date") || k.endsWith("_at") || k.startsWith("data_interval") ? fmtDate(r[k]) : k === "duration" ? fmtDur(r[k]) : r[k])]),
      h("dt", {}, "conf"), h("dd", {}, h("pre", { class: "mono" }, JSON.stringify(r.conf, null, 2))));
    const rows = tis.task_instances.map((t) => h("tr", { "data-task-id": t.task_id },
      h("td", {}, badge(t.state)), h("td", {}, h("a", { href: taskHref(dagId, runId, t.task_id) }, t.task_id)), h("td", {}, t.operator || "—"),
      h("td", {}, t.try_number + " / " + (t.max_tries + 1)), h("td", {}, fmtDate(t.start_date)), h("td", {}, fmtDur(t.duration))));
    setView(
      h("div", { class: "row" }, h("h2", { class: "grow" }, h("a", { href: "#/dags/" + enc(dagId) + "/grid" }, dagId), " / ", runId)),
      runActions(dagId, r, () => run(dagId, runId)),
      section("Run", kv),
      noteSection(runPath(dagId, runId), r.note, "run"),
      section("Task instances", table(["State", "Task", "Operator", "Try", "Started", "Duration"], rows, "run-tasks")),
      section("Gantt", S.gantt(tis.task_instances)));
  }

  // ------------------------------------------------------------------ task instance

  function taskActions(dagId, runId, taskId, after) {
    if (!canOperate()) return null;
    const path = runPath(dagId, runId) + "/taskInstances/" + enc(taskId);
    const mark = (state) => h("button", { class: "secondary", id: "mark-task-" + state, onclick: () =>
      confirmed("Mark " + taskId + " of " + runId + " as " + state + "?", "Mark " + state, async () => {
        await api("PATCH", path, { new_state: state }); notify(taskId + " marked " + state + ".", "ok"); after();
      }) }, "Mark " + state);
    const opt = (id, label, checked) => h("label", { class: "check" }, h("input", { type: "checkbox", id, checked }), " " + label);
    const clear = h("button", { class: "secondary", id: "clear-task", onclick: () => {
      const options = h("div", { id: "clear-options" }, opt("clear-downstream", "with downstream tasks", true),
        opt("clear-upstream", "with upstream tasks", false), opt("clear-only-failed", "only failed tasks", false));
      const checked = (id) => document.getElementById(id).checked;
      return confirmed("Clear " + taskId + " of " + runId + " so that it runs again?", "Clear", async () => {
        const body = { dry_run: false, dag_run_id: runId, task_ids: [taskId], include_downstream: checked("clear-downstream"),
          include_upstream: checked("clear-upstream"), only_failed: checked("clear-only-failed") };
        const res = await api("POST", dagPath(dagId) + "/clearTaskInstances", body);
        notify("Cleared " + res.total_entries + " task instance(s).", "ok");
        location.hash = "#/dags/" + enc(dagId) + "/grid";
      }, options);
    } }, "Clear…");
    return h("div", { class: "row actions-bar" }, mark("success"), mark("failed"), clear);
  }

  async function downloadLog(base, taskId, tryNo) {
    try {
      const text = await api("GET", base + "/logs/" + tryNo, undefined, "text/plain");
      const a = h("a", { href: URL.createObjectURL(new Blob([text], { type: "text/plain" })), download: taskId + "-try" + tryNo + ".log" });
      document.body.append(a);
      a.click();
      a.remove();
    } catch (e) { showError(e); }
  }

  async function xcomTab(base) {
    const list = await get(base + "/xcomEntries?limit=1000");
    const rows = await Promise.all(list.xcom_entries.map(async (x) => {
      const full = await get(base + "/xcomEntries/" + enc(x.key));
      return h("tr", { "data-xcom-key": x.key }, h("td", { class: "mono" }, x.key),
        h("td", {}, h("pre", { class: "mono wrap" }, JSON.stringify(full.value, null, 2))), h("td", {}, fmtDate(x.timestamp)));
    }));
    return table(["Key", "Value", "Pushed"], rows, "xcom-table", "This task instance pushed no XComs.");
  }

  /** Each field a try rendered, with the value the task used; one try at a time, the latest first. */
  async function renderedTab(streamBase, here, tryParam) {
    const res = await get(streamBase + "/renderedFields");
    const shown = tryParam ? Number(tryParam) : Math.max(1, res.try_number);
    const chosen = res.tries.find((t) => t.try_number === shown);
    const tryLinks = h("div", { class: "row" }, h("span", {}, "Try: ", res.tries.map((t) =>
      h("a", { href: here + "/rendered/" + t.try_number, class: t.try_number === shown ? "active" : "" }, " " + t.try_number + " "))));
    const rows = Object.entries(chosen ? chosen.rendered_fields : {}).map(([field, value]) => h("tr", { "data-field": field },
      h("td", { class: "mono" }, field), h("td", {}, h("pre", { class: "mono wrap" }, value))));
    return [tryLinks, table(["Field", "Rendered value"], rows, "rendered-table", "This try rendered no template fields.")];
  }

  function followLog(streamBase, tryNo, pre, status) {
    // why: the server sends the log as it is written and ends the stream when the try is over
    const source = new EventSource(streamBase + "/logs/" + tryNo + "/stream");
    S.onLeave(() => source.close());
    status.textContent = "following…";
    source.addEventListener("line", (e) => {
      const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      pre.append(e.data + "\n");
      if (atBottom) pre.scrollTop = pre.scrollHeight;
    });
    source.addEventListener("end", (e) => {
      const st = JSON.parse(e.data).state;
      status.textContent = "finished: " + st;
      document.getElementById("task-state").replaceChildren(badge(st));
      source.close();
    });
    source.onerror = () => { status.textContent = "log stream closed"; source.close(); };
  }

  async function task(dagId, runId, taskId, tab, sub) {
    const base = runPath(dagId, runId) + "/taskInstances/" + enc(taskId);
    const streamBase = "/api/v2/sluice/dags/" + enc(dagId) + "/dagRuns/" + enc(runId) + "/taskInstances/" + enc(taskId);
    const ti = await get(base);
    const tries = Math.max(1, ti.try_number);
    const showXcom = tab === "xcom";
    const showRendered = tab === "rendered";
    const tryNo = !showXcom && !showRendered && tab ? Number(tab) : tries;
    const here = taskHref(dagId, runId, taskId);
    const tabs = h("nav", { class: "tabs" }, h("a", { href: here, class: showXcom || showRendered ? "" : "active", id: "tab-log" }, "Log"),
      h("a", { href: here + "/xcom", class: showXcom ? "active" : "", id: "tab-xcom" }, "XCom"),
      h("a", { href: here + "/rendered", class: showRendered ? "active" : "", id: "tab-rendered" }, "Rendered template"));
    const info = section(null, h("dl", { class: "kv" },
      h("dt", {}, "state"), h("dd", { id: "task-state" }, badge(ti.state)),
      h("dt", {}, "try"), h("dd", {}, ti.try_number + " of " + (ti.max_tries + 1)),
      h("dt", {}, "operator"), h("dd", {}, ti.operator || "—"),
      h("dt", {}, "started"), h("dd", {}, fmtDate(ti.start_date)),
      h("dt", {}, "ended"), h("dd", {}, fmtDate(ti.end_date)),
      h("dt", {}, "duration"), h("dd", {}, fmtDur(ti.duration)),
      h("dt", {}, "pool"), h("dd", {}, ti.pool),
      h("dt", {}, "executor"), h("dd", { class: "mono" }, ti.hostname || "—")));
    const header = h("div", { class: "row" }, h("h2", { class: "grow" }, h("a", { href: "#/dags/" + enc(dagId) + "/grid" }, dagId), " / ",
      h("a", { href: runHref(dagId, runId) }, runId), " / ", taskId));
    const actions = taskActions(dagId, runId, taskId, S.reload);
    const note = noteSection(base, ti.note, "task instance");
    if (showXcom) return setView(header, actions, info, note, tabs, section(null, await xcomTab(base)));
    if (showRendered) return setView(header, actions, info, note, tabs, section(null, ...(await renderedTab(streamBase, here, sub))));
    const pre = h("pre", { class: "log", id: "log-lines" });
    const status = h("span", { class: "muted", id: "log-status" }, "loading…");
    const tryLinks = h("span", {}, "Try: ", Array.from({ length: tries }, (_, i) => i + 1).map((n) =>
      h("a", { href: here + "/" + n, class: n === tryNo ? "active" : "" }, " " + n + " ")));
    const download = h("button", { class: "secondary", id: "log-download", onclick: () => downloadLog(base, taskId, tryNo) }, "Download");
    setView(header, actions, info, note, tabs, section(null, h("div", { class: "row" }, tryLinks, h("span", { class: "grow" }, status), download), pre));
    followLog(streamBase, tryNo, pre, status);
  }

  Object.assign(S.pages, { runs, run, task });
})();
