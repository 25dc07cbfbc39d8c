// Photographs every page of the web UI in headless Chromium, through chromedriver's WebDriver
// HTTP API (no npm packages). capture.sh starts a server with data for it; against another server:
//   SLUICE_BASE=http://127.0.0.1:8080 SLUICE_USER=admin SLUICE_PASSWORD=... node capture.mjs
// It triggers runs, sets a connection, a variable and a pool, then writes ui-<page>.png to
// SLUICE_OUT (this folder by default).
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BASE = process.env.SLUICE_BASE;
const USER = process.env.SLUICE_USER || "admin";
const PASSWORD = process.env.SLUICE_PASSWORD;
const OUT = process.env.SLUICE_OUT || path.dirname(fileURLToPath(import.meta.url));
const WIDTH = 1440, HEIGHT = 900;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

/** A Chromium session; js() runs a script in the page, ajs() an async one (last argument: done). */
async function browser() {
  const port = await freePort();
  const driver = spawn("/usr/bin/chromedriver", ["--port=" + port], { stdio: "ignore" });
  const call = async (method, p, body) => {
    const r = await fetch("http://127.0.0.1:" + port + p, {
      method, headers: { "Content-Type": "application/json" }, body: body ? JSON.stringify(body) : undefined,
    });
    const j = await r.json();
    if (j.value && j.value.error) throw new Error(method + " " + p + ": " + j.value.message);
    return j.value;
  };
  for (let i = 0; ; i++) {
    try { await call("GET", "/status"); break; } catch (e) { if (i > 50) throw e; await sleep(200); }
  }
  const profile = fs.mkdtempSync("/tmp/sluice-shots-");
  const created = await call("POST", "/session", { capabilities: { alwaysMatch: { "goog:chromeOptions": {
    binary: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
      "--window-size=" + WIDTH + "," + HEIGHT, "--user-data-dir=" + profile],
  } } } });
  const s = (method, p, body) => call(method, "/session/" + created.sessionId + p, body);
  const b = {
    open: async (hash) => { await s("POST", "/url", { url: BASE + "/" + hash }); await sleep(400); },
    js: (script, ...args) => s("POST", "/execute/sync", { script, args }),
    ajs: (script, ...args) => s("POST", "/execute/async", { script, args }),
    size: (width, height) => s("POST", "/window/rect", { width, height }),
    back: () => s("POST", "/back", {}),
    click: async (css) => { await b.waitFor(css); await b.js("document.querySelector(arguments[0]).click()", css); await sleep(300); },
    type: (css, value) => b.js("const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('input', { bubbles: true }))", css, value),
    waitFor: async (css, ms = 30000) => {
      for (const t = Date.now(); Date.now() - t < ms; await sleep(250)) {
        if (await b.js("return !!document.querySelector(arguments[0])", css)) return;
      }
      throw new Error("no " + css + " on " + await b.js("return location.href"));
    },
    /** The whole page (up to 2400 px tall) as ui-<name>.png, the window back to its size after. */
    shot: async (name, full = true) => {
      await sleep(500);
      if (full) {
        const h = await b.js("return Math.min(2400, Math.max(document.documentElement.scrollHeight, arguments[0]))", HEIGHT);
        const w = await b.js("return window.outerWidth");
        await b.size(w, h + 100); await sleep(300);
      }
      fs.writeFileSync(path.join(OUT, "ui-" + name + ".png"), Buffer.from(await s("GET", "/screenshot"), "base64"));
      if (full) await b.size(await b.js("return window.outerWidth"), HEIGHT);
      console.log("ui-" + name + ".png");
    },
    quit: async () => { try { await s("DELETE", ""); } finally { driver.kill(); fs.rmSync(profile, { recursive: true, force: true }); } },
  };
  return b;
}

/** Calls the API from the page, with its session and CSRF token. */
function api(b, method, p, body) {
  return b.ajs(`const [method, p, body, done] = arguments;
    fetch("/api/v2/sluice/me").then((r) => r.json()).then((me) => fetch(p, { method,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": me.csrf_token },
      body: body === null ? undefined : JSON.stringify(body) }))
    .then(async (r) => done({ status: r.status, body: r.status === 204 ? null : await r.json() }))`, method, p, body === undefined ? null : body);
}

async function runToEnd(b, dagId, conf) {
  await api(b, "PATCH", "/api/v2/dags/" + dagId, { is_paused: false });
  const r = await api(b, "POST", "/api/v2/dags/" + dagId + "/dagRuns", { logical_date: null, conf: conf || {} });
  if (r.status !== 200) throw new Error("trigger " + dagId + ": " + JSON.stringify(r.body));
  const runId = r.body.dag_run_id;
  for (let i = 0; i < 180; i++) {
    const run = await api(b, "GET", "/api/v2/dags/" + dagId + "/dagRuns/" + encodeURIComponent(runId));
    if (["success", "failed"].includes(run.body.state)) return runId;
    await sleep(500);
  }
  throw new Error(dagId + " " + runId + " did not end");
}

async function seed(b) {
  // why: the Spark jobs and the hourly and per-minute DAGs would only keep the machine busy
  for (const d of ["stream_jobs", "weather_hourly"]) await api(b, "PATCH", "/api/v2/dags/" + d, { is_paused: true });
  await runToEnd(b, "user_automation");
  await api(b, "PATCH", "/api/v2/dags/user_automation", { is_paused: true });
  await runToEnd(b, "consume_users");
  await runToEnd(b, "typed_report", { count: 3 });
  const runId = await runToEnd(b, "typed_report", { count: 7, mode: "full" });
  await api(b, "PATCH", "/api/v2/dags/typed_report/dagRuns/" + encodeURIComponent(runId) + "?update_mask=note", { note: "re-run after the source fixed its dates" });
  await api(b, "POST", "/api/v2/connections", { connection_id: "warehouse", conn_type: "postgres", host: "db.internal", port: 5432, login: "loader", password: "s3cret", schema: "dw", description: "The reporting warehouse" });
  await api(b, "POST", "/api/v2/connections", { connection_id: "weather_api", conn_type: "http", host: "api.open-meteo.com", port: 443, description: "Open-Meteo" });
  await api(b, "POST", "/api/v2/variables", { key: "report_recipients", value: "data-team@example.org" });
  await api(b, "POST", "/api/v2/variables", { key: "warehouse_api_key", value: "k-123" });
  await api(b, "POST", "/api/v2/pools", { name: "warehouse", slots: 4, description: "Connections the warehouse allows" });
  return runId;
}

async function main() {
  if (!BASE || !PASSWORD) throw new Error("set SLUICE_BASE and SLUICE_PASSWORD");
  const b = await browser();
  try {
    await b.open("login");
    await b.waitFor("#username");
    await b.type("#username", USER);
    await b.shot("login", false);
    await b.type("#password", PASSWORD);
    await b.click("#login-button");
    await b.waitFor("#dag-table");
    const runId = await seed(b);
    const run = "#/dags/typed_report/runs/" + encodeURIComponent(runId);

    await b.open("#/dags"); await b.waitFor("[data-count-state]"); await b.shot("dags");
    await b.click("button.trigger[data-dag-id='typed_report']");
    await b.type("#param-count", "500"); await b.click("#trigger-submit"); await b.waitFor("#param-error-count");
    await b.shot("trigger-refused", false);
    await b.back();
    await b.open("#/dags/typed_report/grid"); await b.click("#grid a.cell[data-task-id='report']"); await b.waitFor("#ti-details");
    await b.shot("grid-details");
    await b.open("#/dags/typed_report/graph"); await b.waitFor("svg .node"); await b.shot("graph");
    await api(b, "POST", "/api/v2/backfills", { dag_id: "nightly", from_date: "2024-01-01T00:00:00Z", to_date: "2024-01-10T00:00:00Z", max_active_runs: 1 });
    await b.open("#/dags/nightly/grid"); await b.waitFor("#backfill-table [data-backfill-progress]"); await b.shot("backfill");
    await b.open("#/dags/typed_report/gantt"); await b.shot("gantt");
    await b.open("#/dags/typed_report/runs"); await b.shot("runs");
    await b.open(run); await b.waitFor("#note-text"); await b.shot("run-note");
    await b.open(run + "/tasks/report"); await b.waitFor("#log-download"); await b.shot("task-log");
    await b.click("#clear-task"); await b.waitFor("#confirm-dialog[open]"); await b.shot("task-clear", false);
    await b.click("#confirm-cancel");
    await b.open(run + "/tasks/report/xcom"); await b.waitFor("#xcom-table"); await b.shot("xcom");
    await b.open("#/connections"); await b.waitFor("tr[data-conn-id='warehouse']"); await b.shot("connections");
    await b.click("tr[data-conn-id='warehouse'] button[data-action='edit']"); await b.shot("connection-edit", false);
    await b.back();
    await b.open("#/variables"); await b.shot("variables");
    await b.open("#/pools"); await b.waitFor("#pools"); await b.shot("pools");
    await b.open("#/pipeline"); await b.waitFor("svg[data-chart='topics'] text.tick"); await b.shot("pipeline");
    await b.open("#/dlq"); await b.waitFor("#dlq-table button.replay"); await b.shot("dlq");
    await b.open("#/kafka"); await b.waitFor("a[href='#/kafka/groups/reports']"); await b.shot("kafka");
    await b.open("#/kafka/topics/users_created"); await b.waitFor("#records-body tr[data-offset]", 60000); await b.shot("kafka-topic");
    await b.open("#/kafka/groups/reports"); await b.shot("kafka-group");
    await b.open("#/schemas"); await b.shot("schemas");
    await b.open("#/schemas/users_created-value"); await b.waitFor("#schema-diff"); await b.shot("schema-subject");
    await b.open("#/import-errors"); await b.waitFor("#import-errors"); await b.shot("import-errors");
    await b.open("#/users"); await b.waitFor("#users"); await b.shot("users");
    await b.open("#/audit-log"); await b.waitFor("#audit-table tr[data-event-id]"); await b.shot("audit-log");
    await b.size(390, 844);
    await b.open("#/dags"); await b.waitFor("[data-count-state]"); await b.shot("mobile-dags", false);
    await b.open("#/kafka/groups/reports"); await b.shot("mobile-kafka-group", false);
  } finally {
    await b.quit();
  }
}

main().catch((e) => { console.error(e.message); process.exit(1); });
