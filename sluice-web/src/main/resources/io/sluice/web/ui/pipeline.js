"use strict";
/* The pipeline page (source → topic → job → table, rates over time) and the dead-letter page. */
(function () {
  const S = window.sluice;
  const { h, s, fmtDate, fmtDur, fmtNum, canOperate, setView, section, table, api, get, notify, showError } = S;

  function box(x, y, w, kind, title, lines, state) {
    const g = s("g", { class: "flow-box " + (state || ""), "data-node": title });
    g.append(s("rect", { x, y, width: w, height: 62, rx: 8 }),
      s("text", { x: x + 10, y: y + 15, class: "kind" }, kind),
      s("text", { x: x + 10, y: y + 32 }, title));
    lines.forEach((l, i) => g.append(s("text", { x: x + 10, y: y + 48 + i * 12, class: "flow-label" }, l)));
    return g;
  }

  /** Rates over time: one line per series, a time axis in UTC with its ticks, and the rate scale. */
  function chart(history, key) {
    const W = 640, H = 160, L = 50, B = 34;
    const times = history.map((p) => Date.parse(p.t));
    const t0 = Math.min(...times), t1 = Math.max(...times);
    const span = Math.max(1, t1 - t0);
    const x = (t) => L + ((t - t0) / span) * W;
    const series = {};
    history.forEach((p, i) => Object.entries(p[key] || {}).forEach(([name, v]) => { (series[name] = series[name] || []).push([times[i], Number(v) || 0]); }));
    const names = Object.keys(series);
    const max = Math.max(1, ...names.flatMap((n) => series[n].map((p) => p[1])));
    const svg = s("svg", { width: W + L + 30, height: H + B, class: "chart", "data-chart": key });
    svg.append(s("line", { class: "axis", x1: L, y1: H, x2: L + W, y2: H }), s("line", { class: "axis", x1: L, y1: 0, x2: L, y2: H }),
      s("text", { x: 2, y: 12 }, fmtNum(max) + "/s"), s("text", { x: 2, y: H }, "0"));
    if (history.length) {
      const ticks = history.length > 1 ? 5 : 1;
      for (let i = 0; i < ticks; i++) {
        const t = t0 + (ticks > 1 ? (span * i) / (ticks - 1) : 0);
        svg.append(s("line", { class: "axis", x1: x(t), y1: H, x2: x(t), y2: H + 4 }),
          s("text", { x: x(t), y: H + 16, "text-anchor": i === 0 ? "start" : i === ticks - 1 ? "end" : "middle", class: "tick" }, new Date(t).toISOString().slice(11, 19)));
      }
      svg.append(s("text", { x: L + W / 2, y: H + 30, "text-anchor": "middle", class: "muted axis-label" }, "time (UTC)"));
    }
    names.forEach((name, i) => {
      const pts = series[name].map(([t, v]) => `${x(t)},${H - (v / max) * (H - 5)}`).join(" ");
      svg.append(s("polyline", { class: "chart-line c" + (i % 6), points: pts }));
    });
    const leg = h("div", { class: "legend" }, names.map((nm, i) => h("span", {}, h("i", { class: "k" + (i % 6) }), nm)));
    return h("div", {}, svg, leg);
  }

  async function pipeline() {
    const p = await get("/api/v2/sluice/pipeline");
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

  async function dlq() {
    const d = await get("/api/v2/sluice/pipeline/dlq?limit=100");
    const replay = (r) => async () => {
      try {
        const x = await api("POST", "/api/v2/sluice/pipeline/dlq/replay", { partition: r.partition, offset: r.offset });
        notify("Replayed " + x.replayed + " record(s) to " + r.source_topic + ".", "ok");
      } catch (e) { showError(e); }
    };
    const rows = d.records.map((r) => h("tr", { "data-dlq": r.partition + "/" + r.offset },
      h("td", { class: "nowrap" }, r.partition + "/" + r.offset), h("td", {}, fmtDate(r.timestamp)), h("td", {}, r.stage || "—"), h("td", {}, r.source_topic || "—"),
      h("td", { class: "error wrap" }, r.error || ""), h("td", { class: "value" }, h("pre", { class: "mono wrap" }, (r.value || "").slice(0, 300))),
      h("td", {}, canOperate() && r.source_topic ? h("button", { class: "secondary replay", onclick: replay(r) }, "Replay") : null)));
    setView(h("h2", {}, "Dead letters: " + d.topic),
      h("p", { class: "muted" }, "Records the pipeline could not process, newest first. Replay sends one back to the topic it came from."),
      section(null, table(["Partition/offset", "Time", "Stage", "Source topic", "Error", "Value", ""], rows, "dlq-table", "No dead letters.")));
  }


  Object.assign(S.pages, { pipeline, dlq });
})();
