// Paddock dashboard: the live and interactive parts. Every call goes to the same /api the CLI's services answer.
"use strict";

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    // The server takes state-changing requests as JSON only (a foreign page cannot send that type unasked).
    headers: method === "GET" || method === "DELETE" ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!res.ok) {
    const message = data && data.error ? data.error.message : res.status + " " + res.statusText;
    throw new Error(message);
  }
  return data;
}

const $ = (sel) => document.querySelector(sel);
const $$ = (sel) => Array.from(document.querySelectorAll(sel));

function bytes(n) {
  if (n === null || n === undefined) return "?";
  const u = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + " " + u[i];
}

function duration(s) {
  if (s === null || s === undefined) return "?";
  s = Math.round(s);
  return s >= 3600 ? Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min"
    : s >= 60 ? Math.floor(s / 60) + " min " + (s % 60) + " s" : s + " s";
}

function esc(t) {
  return String(t ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

// --- Models page ---
function picked() { return $$("#models input.pick:checked").map((c) => c.value); }

function initModels() {
  if (!$("#models")) return;
  bindModels();
  initPull();
  initDownloads();
}

// The models table's checkboxes and buttons; bound again when a finished download brings the table up to date.
function bindModels() {
  const update = () => {
    const n = picked().length;
    $("#bench-selected").disabled = n === 0;
    $("#compare-selected").disabled = n < 2;
  };
  $$("#models input.pick").forEach((c) => c.addEventListener("change", update));
  $("#bench-selected").addEventListener("click", () => { location.href = "/benchmarks?models=" + encodeURIComponent(picked().join(",")); });
  $("#compare-selected").addEventListener("click", () => { location.href = "/compare?models=" + encodeURIComponent(picked().join(",")); });
  $$("#models button.delete").forEach((b) => b.addEventListener("click", async () => {
    const model = b.dataset.model;
    if (!confirm("Delete " + model + "? Its file is removed once no other name holds it.")) return;
    try {
      await api("DELETE", "/api/models/" + encodeURIComponent(model));
      location.reload();
    } catch (e) { $("#models-message").textContent = e.message; $("#models-message").className = "error"; }
  }));
  $$("#models button.use").forEach((b) => b.addEventListener("click", async () => {
    $("#models-message").textContent = "switching to " + b.dataset.model + "…";
    try {
      await api("POST", "/api/active", { model: b.dataset.model });
      location.reload();
    } catch (e) { $("#models-message").textContent = e.message; $("#models-message").className = "error"; }
  }));
}

// A download that finished while the page was open: the models table is fetched again, not the whole page.
async function refreshModels() {
  try {
    const res = await fetch("/", { headers: { Accept: "text/html" } });
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    const fresh = doc.querySelector("#models");
    if (!fresh) return;
    $("#models").replaceWith(document.adoptNode(fresh));
    const none = $("#no-models");
    if (none && !doc.querySelector("#no-models")) none.remove();
    bindModels();
  } catch (e) { /* the next visit shows it */ }
}

// The Models page's list of download jobs: state, progress, speed and ETA, pause/resume/cancel, failures with their
// reason. Polled from /api/pulls, every second while one is moving, every three otherwise, and at once when the
// page's own pull dialog starts one.
let refreshDownloads = () => {};
function initDownloads() {
  const body = $("#downloads-table tbody");
  const message = $("#downloads-message");
  const seen = new Map(); // job id → the state last shown
  let timer = null;
  const act = async (job, verb) => {
    message.textContent = "";
    try { await api("POST", "/api/pulls/" + encodeURIComponent(job.id) + "/" + verb); }
    catch (e) { message.textContent = e.message; }
    refresh();
  };
  const button = (label, job, verb) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.className = "download-" + verb;
    b.setAttribute("aria-label", label + " the download of " + job.name);
    b.addEventListener("click", () => act(job, verb));
    return b;
  };
  const refresh = async () => {
    clearTimeout(timer);
    let jobs;
    try { jobs = await api("GET", "/api/pulls"); } catch (e) { message.textContent = e.message; timer = setTimeout(refresh, 5000); return; }
    body.replaceChildren();
    $("#downloads-empty").hidden = jobs.length > 0;
    let moving = false;
    const finished = jobs.some((j) => j.state === "done" && seen.has(j.id) && seen.get(j.id) !== "done");
    jobs.forEach((j) => seen.set(j.id, j.state));
    if (finished) refreshModels();
    for (const j of jobs) {
      const row = body.insertRow();
      row.dataset.job = j.id;
      const cell = (text, cls) => { const td = row.insertCell(); td.textContent = text; if (cls) td.className = cls; return td; };
      cell(j.name);
      const state = cell(j.state + (j.error ? ": " + j.error : ""), j.state === "failed" ? "error state" : "state");
      state.setAttribute("aria-live", "polite");
      const pct = j.sizeBytes ? Math.floor((100 * j.doneBytes) / j.sizeBytes) : null;
      cell(bytes(j.doneBytes) + " of " + bytes(j.sizeBytes) + (pct === null ? "" : " (" + pct + "%)"), "num");
      const running = ["queued", "running", "pausing", "cancelling"].includes(j.state);
      moving = moving || running;
      cell(running && j.bytesPerSecond ? bytes(j.bytesPerSecond) + "/s" : "–", "num");
      cell(running && j.etaSeconds ? duration(j.etaSeconds) : "–", "num");
      cell(j.source);
      const actions = row.insertCell();
      if (running && j.state !== "pausing" && j.state !== "cancelling") actions.append(button("Pause", j, "pause"), " ");
      if (["paused", "failed", "interrupted"].includes(j.state)) actions.append(button("Resume", j, "resume"), " ");
      if (!["done", "cancelled", "cancelling"].includes(j.state)) actions.append(button("Cancel", j, "cancel"));
    }
    timer = setTimeout(refresh, moving ? 1000 : 3000);
  };
  refreshDownloads = refresh;
  refresh();
}

// The pull dialog's Hugging Face search: repositories, then a repository's quantisations with whether each fits
// this machine; choosing one puts hf://owner/repo:QUANT in the URL field. Remote text is set as text, never as HTML.
function initHubSearch() {
  const status = $("#hub-status");
  const quants = $("#hub-quants");
  const cell = (row, text, cls) => { const td = row.insertCell(); td.textContent = text; if (cls) td.className = cls; return td; };
  const showRepo = async (repo) => {
    status.textContent = "reading " + repo + "…";
    quants.hidden = true;
    try {
      const l = await api("GET", "/api/hub/repo?repo=" + encodeURIComponent(repo));
      const body = quants.tBodies[0];
      body.replaceChildren();
      $("#hub-repo").textContent = repo + (l.facts ? " — " + l.facts.architecture + ", " + count(l.facts.parameterCount) + " parameters" : "");
      for (const c of l.choices) {
        const row = body.insertRow();
        cell(row, c.quant + (c.best ? " ★ best fit" : ""));
        cell(row, bytes(c.size), "num");
        cell(row, String(c.parts.length), "num");
        cell(row, c.fit ? (c.fit.fits ? "yes" : "no") : "?");
        const e = c.fit && c.fit.estimate;
        cell(row, e ? bytes(e.weightsBytes + (e.projectorBytes || 0) + e.kvCacheBytes + e.computeBytes + e.runtimeBytes) : "?", "num");
        const b = document.createElement("button");
        b.type = "button";
        b.className = "hub-choose";
        b.textContent = "Choose";
        b.setAttribute("aria-label", "Choose " + c.quant + " of " + repo);
        b.addEventListener("click", () => { $("#pull-url").value = "hf://" + repo + ":" + c.quant; $("#pull-start").focus(); });
        row.insertCell().append(b);
      }
      quants.hidden = false;
      status.textContent = l.note || "";
    } catch (e) { status.textContent = e.message; }
  };
  const search = async () => {
    const q = $("#hub-q").value.trim();
    if (!q) { status.textContent = "Type a name to search for."; return; }
    if (/^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9]/.test(q)) { showRepo(q); return; }
    status.textContent = "searching…";
    try {
      const repos = await api("GET", "/api/hub/search?q=" + encodeURIComponent(q) + "&limit=10");
      const list = $("#hub-repos");
      list.replaceChildren();
      for (const r of repos) {
        const li = document.createElement("li");
        const b = document.createElement("button");
        b.type = "button";
        b.className = "hub-repo";
        b.textContent = r.id + (r.architecture ? " · " + r.architecture : "") + (r.parameters ? " · " + count(r.parameters) : "")
          + " · " + count(r.downloads) + " downloads" + (r.gated ? " · gated" : "");
        b.addEventListener("click", () => showRepo(r.id));
        li.append(b);
        list.append(li);
      }
      status.textContent = repos.length ? repos.length + " repositories" : "no GGUF repository matches \"" + q + "\"";
    } catch (e) { status.textContent = e.message; }
  };
  $("#hub-search").addEventListener("click", search);
  // Enter searches; in a dialog's form it would otherwise close the dialog
  $("#hub-q").addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); search(); } });
}

function count(n) {
  if (n === null || n === undefined) return "?";
  const u = ["", "K", "M", "B", "T"];
  let i = 0;
  while (n >= 1000 && i < u.length - 1) { n /= 1000; i++; }
  return (i === 0 ? String(n) : (n >= 100 ? n.toFixed(0) : n.toFixed(1)) + u[i]);
}

function initPull() {
  const dialog = $("#pull-dialog");
  let job = null;
  let source = null;
  const buttons = (running) => {
    $("#pull-start").disabled = running;
    $("#pull-pause").disabled = !running;
    $("#pull-cancel").disabled = !job;
    $("#pull-resume").disabled = running || !job;
  };
  $("#pull-open").addEventListener("click", () => { dialog.showModal(); $("#pull-url").focus(); });
  // Enter in the address or name field starts the pull (the form has no submit button, so a browser would do nothing);
  // the search field's Enter searches, and Escape still closes the dialog
  for (const field of ["#pull-url", "#pull-name"]) {
    $(field).addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") { ev.preventDefault(); if (!$("#pull-start").disabled) $("#pull-start").click(); }
    });
  }
  $("#pull-form").addEventListener("submit", (ev) => ev.preventDefault()); // nothing in it closes the dialog but Close and Escape
  $("#pull-close").addEventListener("click", () => { dialog.close(); if (job) location.reload(); });
  const follow = (id) => {
    if (source) source.close();
    source = new EventSource("/api/pulls/" + encodeURIComponent(id) + "/events");
    const show = (ev) => JSON.parse(ev.data).data;
    source.addEventListener("progress", (ev) => {
      const p = show(ev);
      const pct = p.totalBytes ? Math.floor((100 * p.doneBytes) / p.totalBytes) : 0;
      $("#pull-progress").value = pct;
      // a pull of several files (a split model's parts, a vision projector) reports each file's job under the pull's id
      const part = /-mmproj$/.test(p.jobId) ? "vision projector, " : /-(\d+)$/.test(p.jobId)
        ? "part " + /-(\d+)$/.exec(p.jobId)[1] + ", " : "";
      $("#pull-status").textContent = part + p.stage + ": " + bytes(p.doneBytes) + " of " + bytes(p.totalBytes) + " (" + pct + "%), "
        + bytes(p.bytesPerSecond) + "/s, ETA " + (p.eta ? duration(parseIsoSeconds(p.eta)) : "?");
    });
    source.addEventListener("notice", (ev) => { $("#pull-status").textContent = show(ev).message; });
    source.addEventListener("done", (ev) => {
      const d = show(ev);
      $("#pull-progress").value = 100;
      $("#pull-status").textContent = "done: " + d.model + (d.unchanged ? " (already installed)" : "") + " — 100%";
    });
    source.addEventListener("stopped", (ev) => {
      const s = show(ev);
      if (s.state === "FAILED") $("#pull-error").textContent = s.message;
      else $("#pull-status").textContent = s.message;
    });
    source.addEventListener("end", (ev) => {
      const e = show(ev);
      source.close();
      buttons(false);
      if (e.state === "done") { $("#pull-resume").disabled = true; $("#pull-cancel").disabled = true; setTimeout(() => location.reload(), 600); }
    });
  };
  initHubSearch();
  $("#pull-start").addEventListener("click", async () => {
    $("#pull-error").textContent = "";
    const what = $("#pull-url").value.trim() || $("#pull-catalog").value;
    if (!what) { $("#pull-error").textContent = "Choose a catalog model or paste a URL."; return; }
    const body = { source: what };
    if ($("#pull-name").value.trim()) body.name = $("#pull-name").value.trim();
    try {
      buttons(true);
      const j = await api("POST", "/api/pulls", body);
      job = j.id;
      buttons(true);
      follow(job);
      refreshDownloads();
    } catch (e) { buttons(false); $("#pull-error").textContent = e.message; }
  });
  $("#pull-pause").addEventListener("click", async () => {
    try { await api("POST", "/api/pulls/" + job + "/pause"); } catch (e) { $("#pull-error").textContent = e.message; }
  });
  $("#pull-resume").addEventListener("click", async () => {
    $("#pull-error").textContent = "";
    try { await api("POST", "/api/pulls/" + job + "/resume"); buttons(true); follow(job); } catch (e) { $("#pull-error").textContent = e.message; }
  });
  $("#pull-cancel").addEventListener("click", async () => {
    try { await api("POST", "/api/pulls/" + job + "/cancel"); $("#pull-status").textContent = "cancelled"; }
    catch (e) { $("#pull-error").textContent = e.message; }
  });
}

function parseIsoSeconds(iso) {
  if (typeof iso === "number") return iso;
  const m = /PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?/.exec(iso || "");
  return m ? (+m[1] || 0) * 3600 + (+m[2] || 0) * 60 + (+m[3] || 0) : null;
}

// --- Benchmarks page ---
function initBench() {
  const form = $("#bench-form");
  if (!form) return;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("#bench-error").textContent = "";
    $("#bench-log").textContent = "";
    $("#bench-charts").innerHTML = "";
    const models = $$("#bench-form input[name=model]:checked").map((c) => c.value);
    if (models.length === 0) { $("#bench-error").textContent = "Choose at least one model."; return; }
    const body = {
      models, suite: $("#bench-suite").value, reps: +$("#bench-reps").value, genTokens: +$("#bench-gen").value,
      promptTokens: $("#bench-prompt").value.split(",").map((x) => +x.trim()).filter((x) => x > 0),
    };
    let job;
    try { job = await api("POST", "/api/benchmarks", body); } catch (e) { $("#bench-error").textContent = e.message; return; }
    $("#bench-start").disabled = true;
    $("#bench-cancel").disabled = false;
    $("#bench-cancel").onclick = async () => {
      $("#bench-cancel").disabled = true;
      try { await api("POST", "/api/benchmarks/jobs/" + job.id + "/cancel"); $("#bench-status").textContent = "cancelling…"; }
      catch (e) { $("#bench-error").textContent = e.message; }
    };
    $("#bench-status").textContent = "running: " + models.join(", ");
    const source = new EventSource(job.events);
    const data = (e) => JSON.parse(e.data).data;
    const log = (line) => { $("#bench-log").textContent += line + "\n"; $("#bench-log").scrollTop = 1e9; };
    source.addEventListener("step", (e) => {
      const s = data(e);
      $("#bench-progress").max = s.steps;
      $("#bench-progress").value = s.step - 1;
      $("#bench-status").textContent = "step " + s.step + " of " + s.steps + ": " + s.suite + " of " + s.model;
    });
    source.addEventListener("progress", (e) => log(data(e).line));
    source.addEventListener("run", (e) => {
      const r = data(e);
      log(r.model + ": " + r.suite + " run " + r.status + (r.speed && r.speed.tgMean ? ", tg " + r.speed.tgMean.toFixed(1) + " tok/s" : ""));
    });
    source.addEventListener("failed", (e) => { const f = data(e); $("#bench-error").textContent += f.model + ": " + f.error + " "; });
    source.addEventListener("end", (e) => {
      source.close();
      const end = data(e);
      $("#bench-progress").value = $("#bench-progress").max;
      $("#bench-start").disabled = false;
      $("#bench-cancel").disabled = true;
      $("#bench-status").textContent = "benchmark " + end.state + (end.error ? " (" + end.error + ")" : "");
      const list = encodeURIComponent(models.join(","));
      const charts = ["tg", "pp", "ttft"].map((m) => '<figure class="chart" data-src="/api/compare/chart?format=json&metric=' + m
        + "&models=" + list + '"></figure>');
      models.forEach((m) => charts.push('<figure class="chart" data-src="/api/charts/history/' + encodeURIComponent(m) + '?format=json"></figure>'));
      $("#bench-charts").innerHTML = charts.join("") + '<p><a href="/compare?models=' + list + '">Compare these models</a></p>';
      initCharts($("#bench-charts"));
    });
  });
}

// --- Compare page: the checkboxes fill the models field ---
function initCompare() {
  const form = $("#compare-form");
  if (!form) return;
  form.addEventListener("submit", () => {
    form.querySelector("input[name=models]").value = $$("#compare-form input[name=pick]:checked").map((c) => c.value).join(",");
    $$("#compare-form input[name=pick]").forEach((c) => { c.disabled = true; });
  });
}

// --- Registry & cost ---
function initCost() {
  const form = $("#cost-form");
  if (!form) return;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("#cost-error").textContent = "";
    const body = { input: $("#cost-input").value.trim(), output: $("#cost-output").value.trim() };
    if ($("#cost-requests").value) body.requests = +$("#cost-requests").value;
    if ($("#cost-hardware").value) {
      body.hardwarePrice = +$("#cost-hardware").value;
      if ($("#cost-lifetime").value) body.lifetimeMonths = +$("#cost-lifetime").value;
    }
    try {
      const r = await api("POST", "/api/cost", body);
      $("#cost tbody").innerHTML = r.perMonth.map((c) => "<tr><td>" + esc(c.model) + '</td><td class="num">'
        + (c.perPeriod === null ? "unknown" : "$" + c.perPeriod.toFixed(2)) + '</td><td class="num">'
        + (c.perRequest === null ? "–" : "$" + c.perRequest.toFixed(5)) + "</td><td>" + esc(c.basis) + "</td></tr>").join("");
    } catch (e) { $("#cost-error").textContent = e.message; }
  });
}

// --- Recommend ---
function initRecommend() {
  const form = $("#recommend-form");
  if (!form) return;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("#recommend-error").textContent = "";
    const body = { task: $("#recommend-task").value, localOnly: $("#recommend-local").checked };
    if ($("#recommend-budget").value) body.budget = +$("#recommend-budget").value;
    try {
      const r = await api("POST", "/api/recommend", body);
      $("#recommend tbody").innerHTML = r.ranked.slice(0, 10).map((x, i) => "<tr><td>" + (i + 1) + "</td><td>" + esc(x.model)
        + '</td><td class="num">' + x.score + '</td><td class="num">' + (x.monthlyCost === null ? (x.provider === "local" ? "local" : "unknown")
        : "$" + x.monthlyCost.toFixed(2)) + "</td><td>" + esc(x.reasons.join("; ")) + "</td><td>" + esc(x.tradeOffs.join("; ")) + "</td></tr>").join("");
      $("#recommend-excluded").innerHTML = r.excluded.length ? "<p>Excluded: " + r.excluded.map(esc).join("; ") + "</p>" : "";
    } catch (e) { $("#recommend-error").textContent = e.message; }
  });
}

// --- Engines page: use, test, remove; an install streams its stages and build percent ---
function bindEngines() {
  const act = (cls, method, path) => $$("#engines button." + cls).forEach((b) => b.addEventListener("click", async () => {
    const id = b.closest("tr").dataset.engine;
    if (cls === "engine-rm" && !confirm("Remove engine " + id + "?")) return;
    b.disabled = true;
    $("#engine-error").textContent = cls === "engine-test" ? "testing " + id + "…" : "";
    try { await api(method, path(id)); location.reload(); }
    catch (e) { $("#engine-error").textContent = e.message; b.disabled = false; }
  }));
  act("engine-use", "POST", (id) => "/api/engines/" + encodeURIComponent(id) + "/use");
  act("engine-test", "POST", (id) => "/api/engines/" + encodeURIComponent(id) + "/test");
  act("engine-rm", "DELETE", (id) => "/api/engines/" + encodeURIComponent(id));
}

function initEngines() {
  if (!$("#engine-form")) return; // the list may be empty: the install form is always there
  bindEngines();
  $("#engine-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("#engine-install-error").textContent = "";
    const body = { backend: $("#engine-backend").value };
    if ($("#engine-source").value.trim()) body.source = $("#engine-source").value.trim();
    if ($("#engine-sha256").value.trim()) body.sha256 = $("#engine-sha256").value.trim();
    let job;
    try { job = await api("POST", "/api/engines", body); } catch (e) { $("#engine-install-error").textContent = e.message; return; }
    $("#engine-install").disabled = true;
    const source = new EventSource(job.events);
    const data = (e) => JSON.parse(e.data).data;
    source.addEventListener("progress", (e) => {
      const p = data(e);
      $("#engine-progress").value = p.total > 0 ? Math.round(100 * p.done / p.total) : 0;
      $("#engine-status").textContent = p.stage + (p.total > 0 ? " " + Math.round(100 * p.done / p.total) + " %" : "");
    });
    source.addEventListener("end", (e) => {
      source.close();
      const end = data(e);
      $("#engine-install").disabled = false;
      if (end.state === "done") { $("#engine-status").textContent = "installed"; location.reload(); }
      else { $("#engine-status").textContent = ""; $("#engine-install-error").textContent = end.error || end.state; }
    });
  });
}

// Hardware & fit: each local model's memory as a stacked bar (weights, KV cache, compute, runtime) against what is
// available, estimated again for the context and KV cache type asked.
const FIT_PARTS = [["weights", "weights"], ["projector", "vision projector"], ["kv", "KV cache"], ["compute", "compute"],
  ["runtime", "runtime"]];

function memoryBar(r) {
  const e = r.estimate;
  const sizes = { weights: e.weightsBytes, projector: e.projectorBytes || 0, kv: e.kvCacheBytes, compute: e.computeBytes,
    runtime: e.runtimeBytes };
  const scale = Math.max(r.availableBytes, r.expectedBytes) || 1;
  const parts = FIT_PARTS.filter(([k]) => k !== "projector" || sizes.projector > 0); // a projector only for a model with one
  const label = parts.map(([k, name]) => name + " " + bytes(sizes[k])).join(", ") + ": " + bytes(r.expectedBytes) + " of "
    + bytes(r.availableBytes) + " available";
  // red for memory only: a model no installed engine loads does not fit, but its bar says what its memory would do
  const over = r.runnable === false ? r.expectedBytes > r.availableBytes : !r.fits;
  return '<span class="memory-bar' + (over ? " over" : "") + '" role="img" aria-label="' + esc(label) + '" title="' + esc(label) + '">'
    + parts.map(([k]) => '<span class="seg ' + k + '" style="width:' + (100 * sizes[k] / scale).toFixed(2) + '%"></span>').join("")
    + '<span class="limit" style="left:' + (100 * r.availableBytes / scale).toFixed(2) + '%"></span></span>';
}

function renderFit(row, r) {
  const cell = (c, v) => { row.querySelector("." + c).textContent = v; };
  cell("needs", bytes(r.expectedBytes));
  cell("available", bytes(r.availableBytes));
  cell("verdict", r.verdict);
  cell("context", r.context.toLocaleString("en"));
  cell("largest", r.largestContext.toLocaleString("en"));
  cell("threads", r.threads);
  cell("batch", r.batch);
  row.querySelector(".bar").innerHTML = memoryBar(r);
}

function initFit() {
  const form = $("#fit-form");
  if (!form) return;
  $$("#fit tr[data-fit]").forEach((row) => renderFit(row, JSON.parse(row.dataset.fit)));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("#fit-error").textContent = "";
    const q = new URLSearchParams({ kv: $("#fit-kv").value });
    if ($("#fit-context").value) q.set("context", $("#fit-context").value);
    for (const row of $$("#fit tr[data-fit]")) {
      try {
        renderFit(row, await api("GET", "/api/fit/" + encodeURIComponent(row.dataset.model) + "?" + q));
      } catch (e) {
        $("#fit-error").textContent = row.dataset.model + ": " + e.message;
        return;
      }
    }
  });
}

// Live pages: the parts marked data-live="topic…" are fetched again when /api/events says one of their topics changed
// (a model pulled or removed, a run recorded, a request answered, an engine installed), by this page, another or the CLI.
let liveFetch = null;
function refreshLive(topic) {
  const parts = $$("[data-live]").filter((el) => el.dataset.live.split(" ").includes(topic) && el.id);
  if (!parts.length) return;
  clearTimeout(liveFetch);
  liveFetch = setTimeout(async () => { // one fetch for changes that come together
    let doc;
    try {
      const res = await fetch(location.href, { headers: { Accept: "text/html" } });
      doc = new DOMParser().parseFromString(await res.text(), "text/html");
    } catch (e) { return; } // the next change tries again
    for (const el of parts) {
      const fresh = doc.getElementById(el.id);
      if (!fresh) continue;
      const checked = $$("#" + el.id + " input[type=checkbox]:checked").map((c) => c.value); // a choice in progress survives
      el.replaceWith(document.adoptNode(fresh));
      checked.forEach((v) => { const c = fresh.querySelector('input[type=checkbox][value="' + CSS.escape(v) + '"]'); if (c) c.checked = true; });
      if (fresh.id === "models") { const none = $("#no-models"); if (none && !doc.querySelector("#no-models")) none.remove(); bindModels(); }
      if (fresh.id === "engines-live") bindEngines();
      initCharts(fresh);
    }
  }, 200);
}

function initLive() {
  if (!$("[data-live]")) return;
  // the page's state when it was made: the server says at once what changed before it listened
  const stamps = $("#live-stamps");
  const events = new EventSource("/api/events" + (stamps ? "?since=" + encodeURIComponent(stamps.dataset.stamps) : ""));
  events.addEventListener("change", (e) => refreshLive(JSON.parse(e.data).topic));
}

// Charts, drawn with uPlot (its webjar, /assets/uplot/) from data the page carries (data-chart) or fetches (data-src):
// bars with value labels and spread whiskers, lines over time with times on the axis; whole-number ticks for counts;
// "no data yet" said in words, never drawn as zeros; redrawn for the width and the colour scheme.
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 1e6];

function chartNumber(v) {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function drawChart(fig) {
  const spec = fig._spec;
  if (!spec) return;
  fig.querySelectorAll(".uplot, .empty, table.sr").forEach((n) => n.remove());
  if (!fig.querySelector("figcaption")) fig.insertAdjacentHTML("afterbegin", "<figcaption>" + esc(spec.title) + "</figcaption>");
  if (!spec.points.length) {
    fig.insertAdjacentHTML("beforeend", '<p class="empty">No data yet' + (spec.kind === "bars" ? ": none of these models has a run"
      + " with this measure." : ": nothing happened in this time.") + "</p>");
    return;
  }
  // the numbers as a table for screen readers, which cannot read a canvas
  fig.insertAdjacentHTML("beforeend", '<table class="sr"><caption>' + esc(spec.title) + "</caption><tbody>" + spec.points.map((p) =>
    "<tr><th>" + esc(p.label ?? new Date(p.time * 1000).toLocaleString()) + "</th><td>" + esc(chartNumber(p.value) + " " + spec.unit)
    + (p.sd ? " ± " + esc(chartNumber(p.sd)) : "") + "</td></tr>").join("") + "</tbody></table>");
  if (typeof uPlot === "undefined") return; // the library did not load: the table stays
  const css = getComputedStyle(document.documentElement);
  const fg = css.getPropertyValue("--fg").trim() || "#1d2430";
  const grid = css.getPropertyValue("--line").trim() || "#d8dde5";
  const accent = css.getPropertyValue("--accent").trim() || "#2456c9";
  const width = Math.max(240, Math.min(720, fig.clientWidth || 600));
  const values = spec.points.map((p) => p.value);
  const top = Math.max(...spec.points.map((p) => p.value + (p.sd || 0)));
  const yAxis = { stroke: fg, grid: { stroke: grid }, label: spec.unit, size: 60, incrs: spec.counts ? COUNT_STEPS : undefined,
    values: (u, splits) => splits.map((v) => String(spec.counts ? Math.round(v) : +v.toPrecision(4))) };
  const yScale = { range: () => [0, top > 0 ? top * 1.18 : 1] };
  let data, opts;
  if (spec.kind === "bars") {
    const n = spec.points.length;
    data = [spec.points.map((_, i) => i), values];
    opts = {
      width, height: 260, legend: { show: false }, cursor: { show: false },
      scales: { x: { time: false, range: () => [-0.5, n - 0.5] }, y: yScale },
      axes: [{ stroke: fg, grid: { show: false }, incrs: [1], values: (u, splits) => splits.map((i) => (spec.points[i] || {}).label || "") }, yAxis],
      series: [{}, { label: spec.unit, stroke: accent, fill: accent, paths: uPlot.paths.bars({ size: [0.6, 90] }), points: { show: false } }],
      hooks: { draw: [(u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.fillStyle = fg;
        ctx.strokeStyle = fg;
        ctx.textAlign = "center";
        ctx.font = Math.round(12 * devicePixelRatio) + "px sans-serif";
        spec.points.forEach((p, i) => {
          const x = u.valToPos(i, "x", true);
          if (p.sd) { // the spread of the runs: a bar whose whisker overlaps another's is no clear winner
            ctx.beginPath();
            ctx.moveTo(x, u.valToPos(Math.max(0, p.value - p.sd), "y", true));
            ctx.lineTo(x, u.valToPos(p.value + p.sd, "y", true));
            ctx.stroke();
          }
          ctx.fillText(chartNumber(p.value), x, u.valToPos(p.value + (p.sd || 0), "y", true) - 6 * devicePixelRatio);
        });
        ctx.restore();
      }] },
    };
  } else {
    const times = spec.points.map((p) => p.time);
    const lo = Math.min(...times), hi = Math.max(...times);
    data = [times, values];
    opts = {
      width, height: 240, legend: { show: false },
      scales: { x: { time: true, range: () => lo === hi ? [lo - 1800, hi + 1800] : [lo, hi] }, y: yScale },
      axes: [{ stroke: fg, grid: { stroke: grid } }, yAxis],
      series: [{}, { label: spec.unit, stroke: accent, width: 2, points: { show: true, size: 7, fill: accent } }],
    };
  }
  fig._plot = new uPlot(opts, data, fig);
}

async function initCharts(root) {
  for (const fig of (root || document).querySelectorAll("figure.chart")) {
    try {
      fig._spec = fig.dataset.chart ? JSON.parse(fig.dataset.chart) : await api("GET", fig.dataset.src);
    } catch (e) {
      fig.insertAdjacentHTML("beforeend", '<p class="empty">Chart unavailable: ' + esc(e.message) + "</p>");
      continue;
    }
    drawChart(fig);
  }
}

let chartResize = null;
function redrawCharts() {
  clearTimeout(chartResize);
  chartResize = setTimeout(() => document.querySelectorAll("figure.chart").forEach(drawChart), 150);
}
window.addEventListener("resize", redrawCharts);
window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", redrawCharts);

document.addEventListener("DOMContentLoaded", () => { initModels(); initBench(); initCompare(); initCost(); initRecommend(); initEngines(); initCharts(); initFit(); initLive(); });

// The Chat page: each chosen model gets a column and its own conversation; one prompt goes to all of them at once
// (the arena), streamed from the gateway, with time to first token, tokens/s, tokens and the share of the context used.
function initChat() {
  const form = $("#chat-form");
  if (!form) return;
  const columns = $("#chat-columns");
  const conversations = new Map(); // model → messages
  let controllers = [];
  const chosen = () => $$("input[name=chat-model]:checked");
  const column = (model) => {
    let col = columns.querySelector("[data-model='" + CSS.escape(model) + "']");
    if (col) return col;
    col = document.createElement("section");
    col.className = "chat-column";
    col.dataset.model = model;
    const h = document.createElement("h2");
    h.textContent = model;
    const log = document.createElement("div");
    log.className = "chat-log";
    log.setAttribute("aria-live", "polite");
    const stats = document.createElement("p");
    stats.className = "chat-stats";
    const bar = document.createElement("meter");
    bar.className = "chat-context";
    bar.min = 0; bar.max = 1; bar.low = 0.5; bar.high = 0.8; bar.optimum = 0; bar.value = 0;
    bar.title = "share of the context the conversation uses";
    col.append(h, log, bar, stats);
    columns.append(col);
    return col;
  };
  const ask = async (input, text, signal) => {
    const model = input.value;
    const col = column(model);
    const messages = conversations.get(model) || [];
    messages.push({ role: "user", content: text });
    conversations.set(model, messages);
    const you = document.createElement("p");
    you.className = "chat-user";
    you.textContent = text;
    const answer = document.createElement("p");
    answer.className = "chat-assistant";
    col.querySelector(".chat-log").append(you, answer);
    const stats = col.querySelector(".chat-stats");
    stats.textContent = "waiting for the first token…";
    const start = performance.now();
    let first = null;
    let usage = null;
    try {
      const res = await fetch("/v1/chat/completions", {
        method: "POST", headers: { "Content-Type": "application/json" }, signal,
        body: JSON.stringify({ model, messages, stream: true, stream_options: { include_usage: true } }),
      });
      if (!res.ok) {
        let m = res.status + " " + res.statusText;
        try { m = (await res.json()).error.message; } catch (e) { /* not JSON */ }
        throw new Error(m);
      }
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let nl;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (!line.startsWith("data:")) continue;
          const data = line.slice(5).trim();
          if (data === "[DONE]") continue;
          const chunk = JSON.parse(data);
          if (chunk.usage) usage = chunk.usage;
          const delta = chunk.choices && chunk.choices[0] && chunk.choices[0].delta;
          if (delta && delta.content) {
            if (first === null) first = performance.now();
            answer.textContent += delta.content;
          }
        }
      }
      messages.push({ role: "assistant", content: answer.textContent });
      const end = performance.now();
      const ttft = first === null ? null : first - start;
      const out = usage ? usage.completion_tokens : null;
      const tps = out && first !== null && end > first && out > 1 ? (out - 1) / ((end - first) / 1000) : null;
      stats.textContent = "TTFT " + (ttft === null ? "–" : ttft.toFixed(0) + " ms") + " · " + (tps === null ? "–" : tps.toFixed(1) + " tok/s")
        + (usage ? " · " + usage.prompt_tokens + " in, " + usage.completion_tokens + " out" : "")
        + (usage && usage.cost !== undefined ? " · $" + (usage.cost < 0.01 ? usage.cost.toPrecision(2) : usage.cost.toFixed(2))
          : model.includes("/") ? " · cost unknown" : " · local: no per-token price");
      const context = +input.dataset.context;
      if (usage && context) {
        const bar = col.querySelector(".chat-context");
        bar.value = Math.min(1, usage.total_tokens / context);
        bar.textContent = Math.round(100 * bar.value) + "%";
        stats.textContent += " · " + Math.round(100 * bar.value) + "% of " + context + " context";
      }
    } catch (e) {
      messages.pop(); // unanswered: not sent again as history
      stats.textContent = e.name === "AbortError" ? "stopped" : "error: " + e.message;
      if (e.name === "AbortError" && answer.textContent) messages.push({ role: "user", content: text }, { role: "assistant", content: answer.textContent });
    }
  };
  const send = async () => {
    const text = $("#chat-prompt").value.trim();
    $("#chat-error").textContent = "";
    if (!text) { $("#chat-error").textContent = "Type a message first."; return; }
    const inputs = chosen();
    if (!inputs.length) { $("#chat-error").textContent = "Choose at least one model."; return; }
    $("#chat-prompt").value = "";
    controllers = inputs.map(() => new AbortController());
    $("#chat-send").disabled = true;
    $("#chat-stop").disabled = false;
    await Promise.all(inputs.map((input, i) => ask(input, text, controllers[i].signal)));
    $("#chat-send").disabled = false;
    $("#chat-stop").disabled = true;
    $("#chat-prompt").focus();
  };
  form.addEventListener("submit", (ev) => { ev.preventDefault(); send(); });
  $("#chat-prompt").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); send(); }
  });
  $("#chat-stop").addEventListener("click", () => controllers.forEach((c) => c.abort()));
  $("#chat-clear").addEventListener("click", () => { conversations.clear(); columns.replaceChildren(); });
}
document.addEventListener("DOMContentLoaded", initChat);
