// The what-if page: it keeps its state in the address, asks the server for
// charts and tables, and redraws while a slider moves. Requests are
// coalesced: while one is on its way, later changes wait for it and only
// the latest is sent, so a fast slider never queues stale work.
"use strict";

const RESERVED = new Set(["vars", "compare", "scenario", "download", "best", "maximize", "minimize", "at"]);
let model = null;
const state = { vars: [], compare: [], scenario: "", at: "", set: new Map() };

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}

function fmt(x) {
  const a = Math.abs(x);
  if (a >= 1e9) return (x / 1e9).toFixed(2) + " B";
  if (a >= 1e6) return (x / 1e6).toFixed(2) + " M";
  if (a >= 1e3) return Math.round(x).toLocaleString("en-US");
  if (a >= 100) return x.toLocaleString("en-US", { maximumFractionDigits: 1 });
  if (a === 0) return "0";
  return x.toLocaleString("en-US", { maximumSignificantDigits: 3 });
}

function units(u) {
  return u && u !== "1" && u !== "dimensionless" && u !== "dmnl" ? u : "";
}

// query returns the view's query string: the what-if's settings, the runs
// compared and the variables.
function query() {
  const q = new URLSearchParams();
  q.set("vars", state.vars.join(","));
  if (state.compare.length) q.set("compare", state.compare.join(","));
  if (state.scenario) q.set("scenario", state.scenario);
  if (state.at) q.set("at", state.at);
  for (const [k, v] of state.set) q.set(k, String(v));
  return q.toString();
}

function readAddress() {
  const q = new URLSearchParams(location.search);
  state.vars = q.has("vars") ? q.get("vars").split(",").filter(Boolean) : model.defaultVars.slice();
  state.compare = q.has("compare") ? q.get("compare").split(",").filter(Boolean) : ["baseline"];
  state.scenario = q.get("scenario") || "";
  state.at = q.get("at") || "";
  state.set = new Map();
  for (const [k, v] of q) if (!RESERVED.has(k)) state.set.set(k, Number(v));
}

// The value a constant has before the what-if's own settings: the model's,
// or the scenario's the what-if starts from.
function startValue(c) {
  if (state.scenario) {
    const s = model.scenarios.find(s => s.name === state.scenario);
    if (s && c.name in s.set) return s.set[c.name];
  }
  return c.value;
}

function current(c) {
  return state.set.has(c.name) ? state.set.get(c.name) : startValue(c);
}

function setConstant(c, x) {
  if (x === startValue(c)) state.set.delete(c.name);
  else state.set.set(c.name, x);
  markChanged(c);
  refresh();
}

const rows = new Map(); // constant name → {row, range, value}

function markChanged(c) {
  const r = rows.get(c.name);
  if (!r) return;
  const x = current(c);
  r.row.classList.toggle("changed", state.set.has(c.name));
  if (r.range && Number(r.range.value) !== x) r.range.value = String(x);
  if (document.activeElement !== r.value) r.value.value = String(+x.toPrecision(6));
}

function stepOf(c) {
  if (c.range.step) return c.range.step;
  return (c.range.max - c.range.min) / 100;
}

function buildSliders() {
  const box = document.getElementById("sliders");
  const other = document.getElementById("other-list");
  box.replaceChildren();
  other.replaceChildren();
  let others = 0;
  for (const c of model.constants) {
    const id = "c-" + c.name;
    const tip = (c.doc || c.label) + (c.uncertainty ? "\nUncertainty: " + c.uncertainty : "");
    if (c.range) {
      const value = el("input", { class: "value", type: "number", step: "any", min: c.range.min, max: c.range.max, "aria-label": c.label + " value" });
      const range = el("input", { type: "range", id, min: c.range.min, max: c.range.max, step: stepOf(c), "data-name": c.name });
      const reset = el("button", { type: "button", class: "link reset", text: "reset", title: "Back to " + fmt(c.value) });
      const row = el("div", { class: "slider", "data-name": c.name },
        el("div", { class: "head" }, el("label", { for: id, title: tip, text: c.label }), value, el("span", { class: "units", text: units(c.units), title: units(c.units) })),
        range,
        el("div", { class: "ends" }, el("span", { text: fmt(c.range.min) }), reset, el("span", { text: fmt(c.range.max) })));
      range.addEventListener("input", () => setConstant(c, Number(range.value)));
      value.addEventListener("change", () => {
        const x = Number(value.value);
        if (value.value.trim() === "" || !isFinite(x)) return;
        setConstant(c, Math.min(c.range.max, Math.max(c.range.min, x)));
      });
      reset.addEventListener("click", () => { state.set.delete(c.name); markChanged(c); refresh(); });
      rows.set(c.name, { row, range, value });
      box.append(row);
    } else {
      others++;
      const value = el("input", { type: "number", step: "any", id, "aria-label": c.label });
      const row = el("div", { class: "other", "data-name": c.name.toLowerCase() + " " + c.label.toLowerCase() },
        el("label", { for: id, title: tip, text: c.label }), value);
      value.addEventListener("change", () => {
        const x = Number(value.value);
        if (value.value.trim() === "" || !isFinite(x)) { state.set.delete(c.name); markChanged(c); refresh(); return; }
        setConstant(c, x);
      });
      rows.set(c.name, { row, range: null, value });
      other.append(row);
    }
  }
  document.getElementById("others-count").textContent = "(" + others + ")";
  document.getElementById("others").hidden = others === 0;
  if (!box.children.length) box.append(el("p", { class: "muted", text: "No constant of this model declares a range: set them under Other constants." }));
  for (const c of model.constants) markChanged(c);
}

function buildCompare() {
  const box = document.getElementById("compare");
  box.replaceChildren();
  const runs = [{ name: "baseline", label: "baseline", doc: "The model as written" }].concat(model.scenarios);
  // The chart colours runs in order: the what-if first, then those compared.
  const colour = name => {
    const i = state.compare.indexOf(name);
    return i < 0 ? null : model.palette[(i + 1) % model.palette.length];
  };
  box.append(el("span", { class: "chip on", title: "The current settings" },
    el("span", { class: "dot" }), "what-if"));
  box.firstChild.querySelector(".dot").style.background = model.palette[0];
  for (const r of runs) {
    const cb = el("input", { type: "checkbox", value: r.name });
    cb.checked = state.compare.includes(r.name);
    const chip = el("label", { class: "chip" + (cb.checked ? " on" : ""), title: r.doc || r.label }, cb, r.label);
    const c = colour(r.name);
    if (c) { const d = el("span", { class: "dot" }); d.style.background = c; chip.append(d); }
    cb.addEventListener("change", () => {
      state.compare = runs.map(x => x.name).filter(n => n === r.name ? cb.checked : state.compare.includes(n));
      buildCompare();
      refresh();
    });
    box.append(chip);
  }
}

function buildVars() {
  const box = document.getElementById("vars");
  box.replaceChildren();
  for (const name of state.vars) {
    const v = model.variables.find(v => v.name === name) || { name, label: name };
    const x = el("button", { type: "button", class: "x", title: "Remove " + v.label, "aria-label": "Remove " + v.label, text: "×" });
    x.addEventListener("click", () => {
      if (state.vars.length === 1) return;
      state.vars = state.vars.filter(n => n !== name);
      buildVars();
      refresh();
    });
    box.append(el("span", { class: "chip on", title: v.doc || v.label }, v.label, x));
  }
  const add = document.getElementById("add-var");
  add.replaceChildren(el("option", { value: "", text: "+ add a variable" }));
  for (const v of model.variables) {
    if (!state.vars.includes(v.name)) add.append(el("option", { value: v.name, text: v.label }));
  }
}

function buildFrom() {
  const sel = document.getElementById("from");
  sel.replaceChildren(el("option", { value: "", text: "the model as written" }));
  for (const s of model.scenarios) sel.append(el("option", { value: s.name, text: s.label }));
  sel.value = state.scenario;
}

// A loader fetches one kind of answer, one request at a time: a change
// made while a request is out is sent when it comes back.
function loader(path, target, show, q) {
  let busy = false, again = false, tries = 0;
  async function go() {
    if (busy) { again = true; return; }
    busy = true;
    const t0 = pending.t0;
    try {
      const r = await fetch(path + "?" + (q ? q() : query()));
      if (r.status === 503 && tries < 5) {
        // The server is busy: try again shortly, with the latest settings.
        tries++;
        again = true;
        await new Promise(resolve => setTimeout(resolve, 500 * tries));
      } else if (!r.ok) {
        let msg = r.status + " " + r.statusText;
        try { msg = (await r.json()).error || msg; } catch (e) { /* not JSON */ }
        showError(msg);
      } else {
        tries = 0;
        await show(r, t0);
      }
      if (!again) document.getElementById(target).classList.remove("busy");
    } catch (e) {
      showError(String(e));
    } finally {
      busy = false;
      if (again) { again = false; go(); }
    }
  }
  return go;
}

const pending = { t0: 0 };

function showError(msg) {
  const e = document.getElementById("error");
  e.textContent = msg;
  e.hidden = false;
}

function image(id) {
  return async (r, t0) => {
    const img = document.getElementById(id);
    const url = URL.createObjectURL(await r.blob());
    await new Promise(resolve => {
      img.onload = resolve;
      img.onerror = resolve;
      const old = img.src;
      img.src = url;
      if (old.startsWith("blob:")) setTimeout(() => URL.revokeObjectURL(old), 1000);
    });
    document.getElementById("error").hidden = true;
    if (id === "chart" && t0) {
      const ms = Math.round(performance.now() - t0);
      img.dataset.redrawMs = String(ms);
      img.dataset.version = String(Number(img.dataset.version || 0) + 1);
      document.getElementById("status").textContent = "redrawn in " + ms + " ms";
    } else if (id === "chart") {
      img.dataset.version = String(Number(img.dataset.version || 0) + 1);
    }
  };
}

async function showTable(r) {
  const t = await r.json();
  const table = document.getElementById("table");
  document.getElementById("table-title").textContent = (state.at ? "Values at " : "Final values at ") + (model.timeUnits || "time") + " " + fmt(t.time);
  const head = el("tr", {}, el("th", { text: "" }));
  t.runs.forEach((name, i) => {
    const d = el("span", { class: "dot" });
    d.style.background = model.palette[i % model.palette.length];
    head.append(el("th", {}, d, " " + name));
  });
  const base = t.runs.indexOf("baseline");
  const body = el("tbody");
  for (const row of t.rows) {
    const tr = el("tr", {}, el("td", {}, row.label, el("span", { class: "units", text: units(row.units) })));
    row.values.forEach((x, i) => {
      const td = el("td", { class: i === 0 ? "whatif" : "", text: fmt(x) });
      if (i === 0 && base > 0 && row.values[base] !== 0) {
        const p = (x - row.values[base]) / Math.abs(row.values[base]) * 100;
        const s = Math.abs(p) < 0.05 ? "±0 %" : (p > 0 ? "+" : "−") + Math.abs(p).toFixed(1) + " % vs baseline";
        td.append(el("span", { class: "delta " + (p > 0.05 ? "up" : p < -0.05 ? "down" : ""), text: s }));
      }
      tr.append(td);
    });
    body.append(tr);
  }
  table.replaceChildren(el("thead", {}, head), body);
  table.dataset.version = String(Number(table.dataset.version || 0) + 1);
}

// buildBest fills the "Find the best" choices: the constants with a range
// and the variables, at their final value.
function buildBest() {
  const ranged = model.constants.filter(c => c.range);
  document.getElementById("best-card").hidden = ranged.length === 0;
  const cs = document.getElementById("best-const");
  cs.replaceChildren(...ranged.map(c => el("option", { value: c.name, text: c.label })));
  const vs = document.getElementById("best-var");
  vs.replaceChildren(...model.variables.map(v => el("option", { value: v.name, text: v.label + " (final)" })));
  if (state.vars.length) vs.value = state.vars.find(n => /profit/i.test(n)) || state.vars[0];
  document.getElementById("best-go").addEventListener("click", findBest);
}

async function findBest() {
  const name = document.getElementById("best-const").value;
  const goal = document.getElementById("best-goal").value;
  const v = document.getElementById("best-var").value;
  const out = document.getElementById("best-result");
  const button = document.getElementById("best-go");
  const c = model.constants.find(c => c.name === name);
  out.textContent = "Searching…";
  button.disabled = true;
  try {
    const q = new URLSearchParams(query());
    q.delete(name);
    q.set("best", name);
    q.set(goal, v);
    const r = await fetch("api/optimize?" + q.toString());
    const b = await r.json();
    if (!r.ok) { out.textContent = b.error; return; }
    let x = b.value;
    const step = c.range.step;
    if (step) x = Math.min(c.range.max, Math.max(c.range.min, c.range.min + Math.round((x - c.range.min) / step) * step));
    x = +x.toPrecision(10);
    const label = (model.variables.find(u => u.name === b.var) || { label: b.var }).label;
    out.textContent = b.flat
      ? label + " does not depend on " + c.label + "."
      : "Best " + c.label + " for " + label + ": " + fmt(b.value) + " (" + fmt(b.payoff) + ", " + b.runs + " runs)" +
        (x !== b.value ? "; the slider is set to " + fmt(x) + "." : ".");
    if (!b.flat) setConstant(c, x);
  } catch (e) {
    out.textContent = String(e);
  } finally {
    button.disabled = false;
  }
}

// buildAt offers the table's time: the end, or one of four times between.
function buildAt() {
  const sel = document.getElementById("at");
  const u = model.timeUnits ? model.timeUnits + " " : "";
  const opts = [el("option", { value: "", text: "at the end" })];
  const span = model.stop - model.start;
  for (let k = 1; k <= 4; k++) {
    let t = model.start + span * k / 5;
    t = span >= 5 ? Math.round(t) : +t.toPrecision(3);
    opts.push(el("option", { value: String(t), text: "at " + u + fmt(t) }));
  }
  sel.replaceChildren(...opts);
  if (state.at && ![...sel.options].some(o => o.value === state.at)) sel.append(el("option", { value: state.at, text: "at " + u + state.at }));
  sel.value = state.at;
  sel.addEventListener("change", () => { state.at = sel.value; refresh(); });
}

let loadChart, loadTable, loadLoops;

function refresh() {
  pending.t0 = performance.now();
  const q = query();
  history.replaceState(null, "", "?" + q);
  document.getElementById("dl-csv").href = "api/data.csv?" + q;
  document.getElementById("dl-yaml").href = "api/scenario.yaml?" + q;
  document.getElementById("dl-png").href = "api/chart.png?" + q + "&download=1";
  document.getElementById("dl-svg").href = "api/chart.svg?" + q + "&download=1";
  document.getElementById("dl-loops").href = "api/loops.png?" + q + "&download=1";
  for (const id of ["chart", "table"]) document.getElementById(id).classList.add("busy");
  loadChart();
  loadTable();
  // Loop dominance takes longer to score: it follows once the settings
  // rest for a moment, so that it never slows the chart during a drag.
  if (model.loops > 0) {
    document.getElementById("loops").classList.add("busy");
    clearTimeout(loopTimer);
    loopTimer = setTimeout(loadLoops, 200);
  }
  if (uncertain.length) refreshBands();
}

let bandsTimer = 0;
function refreshBands() {
  document.getElementById("bands").classList.add("busy");
  document.getElementById("dl-bands").href = "api/bands.png?" + bandsQuery() + "&download=1";
  const held = uncertain.filter(c => state.set.has(c.name)).map(c => c.label);
  document.getElementById("bands-note").textContent = bandsRunsNote +
    uncertain.filter(c => !state.set.has(c.name)).map(c => c.label + " " + c.uncertainty).join(", ") +
    (held.length ? "; held at the what-if's values: " + held.join(", ") : "") + ".";
  clearTimeout(bandsTimer);
  bandsTimer = setTimeout(loadBands, 400);
}

const bandsRunsNote = "200 runs (Latin hypercube) drawing ";
let uncertain = [];
let loadBands;

let loopTimer = 0;

// bandsQuery is the view's query with the variable of the bands.
function bandsQuery() {
  const q = new URLSearchParams(query());
  q.set("vars", document.getElementById("bands-var").value);
  return q.toString();
}

async function start() {
  const r = await fetch("api/model");
  model = await r.json();
  document.title = "What if: " + (model.name || "model");
  document.getElementById("title").textContent = model.name || "Model";
  const doc = model.doc || "";
  const first = doc.split(/(?<=\.)\s/)[0];
  document.getElementById("doc").textContent = first;
  document.getElementById("doc").title = doc;
  readAddress();
  buildFrom();
  buildSliders();
  buildCompare();
  buildVars();
  buildBest();
  buildAt();
  if (model.loops === 0) {
    document.getElementById("loops").hidden = true;
    document.getElementById("dl-loops").hidden = true;
    const p = document.getElementById("no-loops");
    p.textContent = model.noLoops || "This model has no feedback loops.";
    p.hidden = false;
  }
  loadChart = loader("api/chart.svg", "chart", image("chart"));
  loadTable = loader("api/table", "table", showTable);
  loadLoops = loader("api/loops.svg", "loops", image("loops"));
  loadBands = loader("api/bands.svg", "bands", image("bands"), bandsQuery);
  uncertain = model.constants.filter(c => c.uncertainty);
  if (uncertain.length) {
    document.getElementById("bands-card").hidden = false;
    const bv = document.getElementById("bands-var");
    bv.replaceChildren(...model.variables.map(v => el("option", { value: v.name, text: v.label })));
    bv.value = state.vars.find(n => /profit/i.test(n)) || state.vars[0];
    bv.addEventListener("change", refreshBands);
  }

  document.getElementById("from").addEventListener("change", e => {
    state.scenario = e.target.value;
    for (const c of model.constants) markChanged(c);
    refresh();
  });
  document.getElementById("reset-all").addEventListener("click", () => {
    state.set.clear();
    state.scenario = "";
    document.getElementById("from").value = "";
    for (const c of model.constants) markChanged(c);
    refresh();
  });
  document.getElementById("add-var").addEventListener("change", e => {
    if (!e.target.value) return;
    state.vars.push(e.target.value);
    buildVars();
    refresh();
  });
  document.getElementById("others-filter").addEventListener("input", e => {
    const f = e.target.value.toLowerCase();
    for (const row of document.querySelectorAll("#other-list .other")) row.hidden = !row.dataset.name.includes(f);
  });
  document.getElementById("copy-link").addEventListener("click", async e => {
    try { await navigator.clipboard.writeText(location.href); e.target.textContent = "Link copied"; }
    catch (err) { e.target.textContent = "Copy the address bar"; }
    setTimeout(() => { e.target.textContent = "Copy link"; }, 1500);
  });
  refresh();
}

start().catch(e => showError("The page could not start: " + e));
