"""The RBAC picture: a self-contained interactive HTML page, or Graphviz DOT.

Both render the document of :func:`kubeguard.graph.rbac_view.view_document`.  The HTML
is one file with no external resources: inline CSS, an inline SVG drawn by a small
script written for kubeguard, and the document embedded as JSON.  Names from the
cluster are only ever inserted with ``textContent`` / SVG text nodes, never as markup.
"""

from __future__ import annotations

import html
from typing import Any

import orjson

RISK_COLORS = {"critical": "#d62828", "high": "#f77f00", "medium": "#e9c46a", "low": "#8ab17d", None: "#8d99ae"}


def render_dot(doc: dict[str, Any]) -> str:
    """Graphviz DOT: columns left to right, risky nodes and edges coloured."""
    shapes = {"subject": "ellipse", "binding": "box", "role": "box3d", "rule": "note"}
    lines = ["digraph rbac {", f"  label={_dq('RBAC of ' + doc['cluster'])};", "  labelloc=t;",
             "  rankdir=LR;", "  node [fontname=Helvetica fontsize=10];", "  edge [color=\"#8d99ae\"];"]
    for n in doc["nodes"]:
        color = RISK_COLORS.get(n.get("risk"), RISK_COLORS[None])
        label = n["label"] if n["type"] != "subject" else f"{n['kind']}\\n{n['label']}"
        if n["type"] == "binding":
            label = f"{n['kind']}\\n{(n.get('namespace') + '/') if n.get('namespace') else ''}{n['label']}"
        style = "filled" if n.get("risk") else "solid"
        lines.append(f"  {_dq(n['id'])} [label={_dq(label)} shape={shapes[n['type']]} color={_dq(color)} "
                     f"style={style} fillcolor={_dq(color + '33')}];")
    for e in doc["edges"]:
        attrs = f" [color={_dq(RISK_COLORS[e['risk']])} penwidth=2]" if e.get("risk") else ""
        lines.append(f"  {_dq(e['from'])} -> {_dq(e['to'])}{attrs};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dq(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\\\\n", "\\n") + '"'


def render_html(doc: dict[str, Any]) -> str:
    # "<" never appears raw, so names from the cluster cannot end the script element
    data = orjson.dumps(doc).decode().replace("<", "\\u003c")
    title = html.escape(f"kubeguard RBAC — {doc['cluster']}")
    return _PAGE.replace("%TITLE%", title).replace("%DATA%", data)


_PAGE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%TITLE%</title>
<style>
:root { --bg:#f8f9fb; --fg:#1d2433; --muted:#6b7385; --panel:#ffffff; --line:#c5cad6; --dim:0.12;
        --critical:#d62828; --high:#f77f00; --medium:#e9c46a; --low:#8ab17d; --none:#8d99ae; }
@media (prefers-color-scheme: dark) {
  :root { --bg:#14171f; --fg:#e6e9ef; --muted:#9aa3b5; --panel:#1d2230; --line:#3a4152; }
}
* { box-sizing: border-box; }
body { margin:0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       background: var(--bg); color: var(--fg); }
header { padding: 12px 18px; display:flex; flex-wrap:wrap; gap:14px; align-items:center;
         background: var(--panel); border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
header h1 { font-size: 16px; margin: 0 12px 0 0; }
header label { color: var(--muted); display:flex; gap:6px; align-items:center; }
select, input[type=search] { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px;
       background: var(--bg); color: var(--fg); }
#stats { color: var(--muted); margin-left: auto; }
.legend { display:flex; gap:10px; align-items:center; color: var(--muted); }
.swatch { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:3px; vertical-align:-1px; }
#cols { display:grid; grid-template-columns: repeat(4, 1fr); padding: 8px 18px 0; color: var(--muted);
        font-weight: 600; text-transform: uppercase; font-size: 11px; letter-spacing: .05em; }
#wrap { padding: 0 18px 40px; }
svg { display:block; width:100%; }
.node rect { stroke-width: 1.2; rx: 5; ry: 5; }
.node text { font-size: 11.5px; fill: var(--fg); pointer-events: none; }
.node .kind { font-size: 9.5px; fill: var(--muted); }
.node.missing rect { stroke-dasharray: 4 3; }
.node { cursor: pointer; }
.edge { fill: none; stroke: var(--none); stroke-opacity: .55; stroke-width: 1.1; }
.edge.risky { stroke-opacity: .9; stroke-width: 2; }
.dim { opacity: var(--dim); }
#tip { position: fixed; pointer-events:none; background: var(--panel); border:1px solid var(--line);
       border-radius:6px; padding:8px 10px; max-width: 460px; font-size: 12px; box-shadow: 0 4px 16px #0003;
       display:none; white-space: pre-wrap; z-index: 5; }
#note { padding: 6px 18px; color: var(--high); }
</style>
</head>
<body>
<header>
  <h1 id="title"></h1>
  <label>Namespace <select id="ns"><option value="">all</option></select></label>
  <label>Subject <input id="q" type="search" placeholder="name contains…"></label>
  <label><input id="risky" type="checkbox"> risky only</label>
  <label><input id="rules" type="checkbox" checked> rules</label>
  <span class="legend" id="legend"></span>
  <span id="stats"></span>
</header>
<div id="note"></div>
<div id="cols"><div>Subjects</div><div>Bindings</div><div>Roles</div><div>Rules</div></div>
<div id="wrap"><svg id="svg" xmlns="http://www.w3.org/2000/svg"></svg></div>
<div id="tip"></div>
<script id="data" type="application/json">%DATA%</script>
<script>
(function () {
  "use strict";
  const doc = JSON.parse(document.getElementById("data").textContent);
  const NS = "http://www.w3.org/2000/svg";
  const COLS = ["subject", "binding", "role", "rule"];
  const RISK = ["critical", "high", "medium", "low"];
  const css = getComputedStyle(document.documentElement);
  const color = r => css.getPropertyValue("--" + (r || "none")).trim();
  const byId = new Map(doc.nodes.map(n => [n.id, n]));
  const out = new Map(), inc = new Map();
  for (const e of doc.edges) {
    (out.get(e.from) || out.set(e.from, []).get(e.from)).push(e);
    (inc.get(e.to) || inc.set(e.to, []).get(e.to)).push(e);
  }
  document.getElementById("title").textContent = "RBAC — " + doc.cluster;
  const nsSel = document.getElementById("ns");
  for (const ns of doc.namespaces) {
    const o = document.createElement("option"); o.value = ns; o.textContent = ns; nsSel.appendChild(o);
  }
  const legend = document.getElementById("legend");
  for (const r of RISK.concat([null])) {
    const s = document.createElement("span");
    const sw = document.createElement("span"); sw.className = "swatch"; sw.style.background = color(r);
    s.appendChild(sw); s.appendChild(document.createTextNode(r || "no risk")); legend.appendChild(s);
  }
  if (doc.truncated) {
    document.getElementById("note").textContent =
      "Truncated: too many nodes. Filter with kubeguard rbac graph -n NAMESPACE or --subject NAME.";
  }
  const svg = document.getElementById("svg"), tip = document.getElementById("tip");
  let selected = null;

  function visible() {
    const ns = nsSel.value, q = document.getElementById("q").value.trim().toLowerCase();
    const risky = document.getElementById("risky").checked, showRules = document.getElementById("rules").checked;
    const keep = new Set();
    for (const b of doc.nodes) {
      if (b.type !== "binding") continue;
      if (ns && b.namespace && b.namespace !== ns) continue;
      if (risky && !b.risk) continue;
      const subs = (inc.get(b.id) || []).map(e => byId.get(e.from)).filter(s =>
        (!q || s.label.toLowerCase().includes(q) || s.kind.toLowerCase().includes(q)) &&
        (!ns || s.kind !== "ServiceAccount" || s.namespace === ns || b.namespace === ns || !b.namespace));
      if (!subs.length) continue;
      keep.add(b.id); subs.forEach(s => keep.add(s.id));
      for (const e of out.get(b.id) || []) {
        keep.add(e.to);
        if (!showRules) continue;
        for (const e2 of out.get(e.to) || []) {
          if (!risky || byId.get(e2.to).risk) keep.add(e2.to);
        }
      }
    }
    return keep;
  }

  function related(id) {
    const seen = new Set([id]);
    const walk = (start, map, key) => {
      const stack = [start];
      while (stack.length) {
        for (const e of map.get(stack.pop()) || []) {
          const nxt = e[key];
          if (!seen.has(nxt)) { seen.add(nxt); stack.push(nxt); }
        }
      }
    };
    walk(id, out, "to"); walk(id, inc, "from");
    return seen;
  }

  function el(tag, attrs, parent) {
    const x = document.createElementNS(NS, tag);
    for (const k in attrs) x.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(x);
    return x;
  }

  function draw() {
    const keep = visible();
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const width = svg.clientWidth || 1200, colW = width / 4, boxW = colW - 28, rowH = 34;
    const pos = new Map(), counts = [0, 0, 0, 0];
    const rank = n => n.risk ? RISK.indexOf(n.risk) : 9;
    const cols = COLS.map(t => doc.nodes.filter(n => n.type === t && keep.has(n.id))
      .sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label)));
    cols.forEach((list, c) => list.forEach((n, i) => { pos.set(n.id, {x: c * colW + 6, y: 8 + i * rowH}); counts[c]++; }));
    const height = 16 + Math.max(1, ...counts) * rowH;
    svg.setAttribute("height", height); svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    const lit = selected && keep.has(selected) ? related(selected) : null;
    const gEdges = el("g", {}, svg), gNodes = el("g", {}, svg);
    for (const e of doc.edges) {
      const a = pos.get(e.from), b = pos.get(e.to);
      if (!a || !b) continue;
      const x1 = a.x + boxW, y1 = a.y + 13, x2 = b.x, y2 = b.y + 13, mx = (x1 + x2) / 2;
      const p = el("path", {d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
                            class: "edge" + (e.risk ? " risky" : "")}, gEdges);
      if (e.risk) p.style.stroke = color(e.risk);
      if (lit && !(lit.has(e.from) && lit.has(e.to))) p.classList.add("dim");
    }
    for (const list of cols) for (const n of list) {
      const p = pos.get(n.id);
      const g = el("g", {class: "node" + (n.missing ? " missing" : ""), transform: `translate(${p.x},${p.y})`},
                   gNodes);
      const rect = el("rect", {width: boxW, height: 26}, g);
      rect.style.fill = n.risk ? color(n.risk) + "26" : "var(--panel)";
      rect.style.stroke = n.risk ? color(n.risk) : "var(--line)";
      const kind = el("text", {x: 7, y: 10.5, class: "kind"}, g);
      kind.textContent = n.type === "rule" ? (n.detail.from || "") :
        (n.kind + (n.namespace && n.type !== "subject" ? " · " + n.namespace : ""));
      const t = el("text", {x: 7, y: 22}, g);
      const maxChars = Math.max(8, Math.floor(boxW / 6.4));
      t.textContent = n.label.length > maxChars ? n.label.slice(0, maxChars - 1) + "…" : n.label;
      if (lit && !lit.has(n.id)) g.classList.add("dim");
      g.addEventListener("click", ev => { ev.stopPropagation(); selected = selected === n.id ? null : n.id; draw(); });
      g.addEventListener("mousemove", ev => showTip(ev, n));
      g.addEventListener("mouseleave", () => { tip.style.display = "none"; });
    }
    const shown = cols.map(c => c.length);
    document.getElementById("stats").textContent =
      `${shown[0]} subjects · ${shown[1]} bindings · ${shown[2]} roles · ${shown[3]} rules`;
  }

  function showTip(ev, n) {
    const lines = [n.kind + ": " + n.label];
    if (n.namespace) lines.push("namespace: " + n.namespace);
    if (n.risk) lines.push("risk: " + n.risk + " (" + n.primitives.join(", ") + ")");
    for (const [k, v] of Object.entries(n.detail || {})) {
      if (v === null || (Array.isArray(v) && !v.length)) continue;
      lines.push(k + ": " + (typeof v === "string" ? v : JSON.stringify(v)));
    }
    tip.textContent = lines.join("\n");
    tip.style.display = "block";
    tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - 480) + "px";
    tip.style.top = (ev.clientY + 14) + "px";
  }

  // state in the URL hash (#ns=shop&q=ci&risky=1&select=ID), so a filtered view can be shared
  const state = new URLSearchParams(location.hash.slice(1));
  if (state.has("ns")) nsSel.value = state.get("ns");
  if (state.has("q")) document.getElementById("q").value = state.get("q");
  if (state.get("risky") === "1") document.getElementById("risky").checked = true;
  if (state.get("rules") === "0") document.getElementById("rules").checked = false;
  if (state.has("select") && byId.has(state.get("select"))) selected = state.get("select");
  svg.addEventListener("click", () => { selected = null; draw(); });
  for (const id of ["ns", "q", "risky", "rules"]) document.getElementById(id).addEventListener("input", draw);
  window.addEventListener("resize", draw);
  draw();
})();
</script>
</body>
</html>
"""
