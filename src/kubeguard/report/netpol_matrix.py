"""Renderers for ``kubeguard netpol``: the reachability matrix, a matrix diff and a can-reach verdict.

Every function returns bytes; none of them evaluates policies.  ``table`` uses
Rich (colour only when asked, so NO_COLOR and pipes stay plain), ``html`` is one
self-contained page (inline CSS and a few lines of our own JavaScript).
"""

from __future__ import annotations

import csv
import html
import io
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..graph.network import Verdict
from ..graph.network_matrix import Matrix, MatrixDiff, rows_of
from ..graph.network_sets import PROTOCOLS, PortSet

MATRIX_FORMATS = ("table", "csv", "json", "md", "dot", "html")
DIFF_FORMATS = ("table", "json", "md", "csv")
GRID_MAX = 24  # up to this many endpoints the table is a grid; above, a list of allowed pairs


def _short(p: PortSet) -> str:
    if p.is_all:
        return "all"
    if not p:
        return "-"
    return str(p)


def render_matrix(m: Matrix, fmt: str, color: bool = False, width: int = 160,
                  protocols: tuple[str, ...] = PROTOCOLS) -> bytes:
    if fmt == "json":
        return _matrix_json(m, protocols)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["src", "dst", "protocol", "port", "endPort", "allowed"])
        for r in m.rows(protocols):
            w.writerow([r["src"], r["dst"], r["protocol"], "" if r["port"] is None else r["port"],
                        r.get("endPort", ""), "undecided" if r["allowed"] is None else
                        "true" if r["allowed"] else "false"])
        return buf.getvalue().encode()
    if fmt == "md":
        return _matrix_md(m).encode()
    if fmt == "dot":
        return _matrix_dot(m).encode()
    if fmt == "html":
        return _matrix_html(m).encode()
    if fmt == "table":
        return _matrix_table(m, color, width)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(MATRIX_FORMATS)}")


def _counts(m: Matrix) -> tuple[int, int, int]:
    """(pairs, allowed pairs, pairs allowed on every port)."""
    total = allowed = full = 0
    for i, j in m.pairs():
        total += 1
        p = m.ports(i, j)
        allowed += bool(p)
        full += p.is_all
    return total, allowed, full


def _matrix_json(m: Matrix, protocols: tuple[str, ...]) -> bytes:
    """One row object per line, stitched from pre-encoded pieces so a 400-pod matrix takes a fraction of a
    second: the denied rows of every destination are encoded once, the rows of allowed pairs once per
    (destination, port set), and each source's line is one join with its name as separator.  A matrix with
    undecided pairs (rare: CNI policy constructs or node traffic that cannot be told) takes the plain path."""
    if m.undecided:
        rows = [orjson.dumps(r) for r in m.rows(protocols)]
        return b"[\n" + b",\n".join(rows) + b"\n]\n" if rows else b"[]\n"
    names = [orjson.dumps(n) for n in m.nodes]
    n, k = len(names), len(protocols)
    denied_parts = [orjson.dumps(r)[1:] for r in rows_of(None, protocols)]
    denied = [b',"dst":' + names[j] + b"," + part for j in range(n) for part in denied_parts]
    by_src: list[dict[int, PortSet]] = [{} for _ in range(n)]
    for (i, j), p in m.allowed.items():
        by_src[i][j] = p
    bodies: dict[int, tuple[PortSet, list[bytes]]] = {}  # keeps each port set alive, so ids stay unique
    tails: dict[tuple[int, int], list[bytes]] = {}
    out: list[bytes] = []
    for i in range(n):
        row = by_src[i]
        skip = None if m.has_inner(i) else i
        flat: list[bytes] = []
        cur = 0
        for j in sorted(row.keys() | ({skip} if skip is not None else set())):
            flat.extend(denied[cur * k:j * k])
            cur = j + 1
            if j == skip:
                continue
            p = row[j]
            tail = tails.get((j, id(p)))
            if tail is None:
                body = bodies.get(id(p))
                if body is None:
                    body = bodies[id(p)] = (p, [orjson.dumps(r)[1:] for r in rows_of(p, protocols)])
                tail = tails[(j, id(p))] = [b',"dst":' + names[j] + b"," + part for part in body[1]]
            flat.extend(tail)
        flat.extend(denied[cur * k:])
        if flat:
            src = b'{"src":' + names[i]
            out.append(src + (b",\n" + src).join(flat))
    return b"[\n" + b",\n".join(out) + b"\n]\n" if out else b"[]\n"


def _header(m: Matrix) -> str:
    n = len(m.nodes)
    total, allowed, full = _counts(m)
    sem = f"{m.semantics} on {m.cni}" if m.semantics == "practice" else "as written (upstream semantics)"
    unsure = f" · {len(m.undecided)} undecided (?)" if m.undecided else ""
    return (f"cluster {m.cluster} · {n} {m.level}s · {allowed} of {total} pairs allowed ({full} on every port)"
            f"{unsure} · {sem}")


def _matrix_table(m: Matrix, color: bool, width: int) -> bytes:
    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system="standard" if color else None, no_color=not color,
                      highlight=False, force_terminal=color)
    console.print(Text(_header(m), style="bold"))
    if m.differs:
        console.print(Text(f"{len(m.differs)} pair(s) differ between the policies as written and what "
                           f"{m.cni} enforces (marked *)", style="yellow"))
    if len(m.nodes) <= GRID_MAX:
        t = Table(show_lines=False, header_style="bold", title="rows: source · columns: destination",
                  title_justify="left")
        t.add_column("#", justify="right", style="dim")
        t.add_column("source")
        for j in range(len(m.nodes)):
            t.add_column(str(j + 1), justify="center")
        for i, name in enumerate(m.nodes):
            cells: list[Any] = []
            for j in range(len(m.nodes)):
                if i == j and not m.has_inner(i):
                    cells.append(Text("·", style="dim"))
                    continue
                p = m.ports(i, j)
                mark = ("*" if (i, j) in m.differs else "") + ("?" if (i, j) in m.undecided else "")
                if p.is_all:
                    cells.append(Text("all" + mark, style="bold red"))
                elif p:
                    cells.append(Text(_compact(p) + mark, style="yellow"))
                else:
                    cells.append(Text("-" + mark, style="dim green"))
            t.add_row(str(i + 1), name, *cells)
        console.print(t)
    else:
        t = Table(header_style="bold", title="allowed connections (denied pairs omitted)", title_justify="left")
        for col in ("source", "destination", "ports"):
            t.add_column(col)
        for i, j in sorted(set(m.allowed) | set(m.undecided), key=lambda k: (m.nodes[k[0]], m.nodes[k[1]])):
            if i == j and not m.has_inner(i):
                continue
            p = m.ports(i, j)
            mark = (" *" if (i, j) in m.differs else "") + (f" ? {_short(m.undecided[(i, j)])} undecided"
                                                             if (i, j) in m.undecided else "")
            t.add_row(m.nodes[i], m.nodes[j], Text((_short(p) if p else "") + mark,
                                                   style="bold red" if p.is_all else "yellow"))
        console.print(t)
    return buf.getvalue().encode()


def _compact(p: PortSet) -> str:
    s = str(p)
    return s if len(s) <= 14 else s[:13] + "…"


def _matrix_md(m: Matrix) -> str:
    out = [f"**{_header(m)}**", "", "| source | destination | allowed |", "| --- | --- | --- |"]
    for i, j in m.pairs():
        p = m.ports(i, j)
        mark = " (differs in practice)" if (i, j) in m.differs else ""
        if (i, j) in m.undecided:
            mark += f" (undecided: {_short(m.undecided[(i, j)])})"
        out.append(f"| {m.nodes[i]} | {m.nodes[j]} | {'denied' if not p else _short(p)}{mark} |")
    return "\n".join(out) + "\n"


def _dot_id(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _matrix_dot(m: Matrix) -> str:
    lines = ["digraph reachability {", "  rankdir=LR;", '  node [shape=box, style="rounded,filled", '
             'fillcolor="#eef4ff", fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];']
    by_ns: dict[str, list[int]] = {}
    for i, ns in enumerate(m.namespaces):
        by_ns.setdefault(ns, []).append(i)
    for k, (ns, idx) in enumerate(sorted(by_ns.items())):
        lines.append(f"  subgraph cluster_{k} {{")
        lines.append(f"    label={_dot_id(ns)}; style=dashed; color=\"#8899aa\";")
        for i in idx:
            label = m.nodes[i].split("/", 1)[-1] if m.level != "namespace" else m.nodes[i]
            lines.append(f"    {_dot_id(m.nodes[i])} [label={_dot_id(label)}];")
        lines.append("  }")
    for (i, j), p in sorted(m.allowed.items()):
        if i == j and not m.has_inner(i):
            continue
        attrs = [] if p.is_all else [f"label={_dot_id(str(p))}"]
        if p.is_all:
            attrs.append('color="#c62828"')
        if (i, j) in m.differs:
            attrs.append("style=dashed")
        lines.append(f"  {_dot_id(m.nodes[i])} -> {_dot_id(m.nodes[j])}" + (f" [{', '.join(attrs)}]" if attrs else "")
                     + ";")
    for (i, j), p in sorted(m.undecided.items()):
        lines.append(f"  {_dot_id(m.nodes[i])} -> {_dot_id(m.nodes[j])} [style=dotted, color=\"#6a1b9a\", "
                     f"label={_dot_id('undecided: ' + _short(p))}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


_CSS = """
:root{--all:#c62828;--some:#f2a93b;--none:#e9edf1;--self:#9aa5b1;--ink:#1d2733;--muted:#5b6b7b}
*{box-sizing:border-box}body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:var(--ink);margin:24px}
h1{font-size:20px;margin:0 0 4px}.sub{color:var(--muted);margin:0 0 14px}
.stats{display:flex;gap:12px;flex-wrap:wrap;margin:0 0 14px}.stat{background:#f6f8fa;border:1px solid #dde3ea;border-radius:8px;padding:8px 12px}
.stat b{display:block;font-size:20px}.legend{display:flex;gap:16px;align-items:center;margin:0 0 12px;flex-wrap:wrap}
.sw{display:inline-block;width:14px;height:14px;border-radius:3px;vertical-align:-2px;margin-right:5px}
.tools{margin:0 0 12px}input{font:inherit;padding:5px 8px;border:1px solid #c5ced8;border-radius:6px;width:260px}
.wrap{overflow:auto;max-height:80vh;border:1px solid #dde3ea;border-radius:8px;display:inline-block;max-width:100%}
table{border-collapse:separate;border-spacing:0}
th{font-weight:500;white-space:nowrap;background:#fff}
thead th{position:sticky;top:0;z-index:2}thead tr+tr th{top:var(--nh)}
th.nsh{height:var(--nh);font-size:11px;color:var(--muted);text-align:left;padding:0 4px;overflow:hidden;max-width:0;
text-overflow:ellipsis;border-bottom:1px solid #dde3ea}
th.row{position:sticky;left:0;z-index:1;text-align:right;padding:0 8px;font-size:12px}
th.col{height:var(--hh);vertical-align:bottom;padding:4px 0}
th.col div{writing-mode:vertical-rl;transform:rotate(180deg);font-size:12px;margin:0 auto}
th.corner{position:sticky;left:0;top:0;z-index:4;text-align:left;vertical-align:bottom;padding:6px 8px;color:var(--muted);font-size:12px}
td{width:var(--cs);height:var(--cs);min-width:var(--cs);padding:0;border-right:1px solid #fff;border-bottom:1px solid #fff;cursor:default}
td.a{background:var(--all)}td.s{background:var(--some)}td.n{background:var(--none)}td.x{background:var(--self)}
td.u{background-image:repeating-linear-gradient(45deg,transparent 0 3px,#6a1b9a 3px 5px)}
td.d{box-shadow:inset 0 0 0 2px #1565c0}
.nsb{border-left:2px solid #5b6b7b!important}.nst{border-top:2px solid #5b6b7b!important}
tr.hl th.row,th.col.hl{color:#1565c0;font-weight:700}td.hl{filter:brightness(.85)}
#tip{position:fixed;pointer-events:none;background:#1d2733;color:#fff;padding:6px 9px;border-radius:6px;font-size:12px;display:none;max-width:420px;z-index:9}
.hide{display:none}
"""

_JS = """
(function(){
var t=document.getElementById('m'),tip=document.getElementById('tip'),last=null;
function cols(j,on){var c=t.querySelectorAll('[data-c="'+j+'"]');for(var k=0;k<c.length;k++)c[k].classList.toggle('hl',on);}
t.addEventListener('mouseover',function(e){var td=e.target.closest('td');if(!td)return;
 if(last){last.tr.classList.remove('hl');cols(last.j,false);}
 var tr=td.parentNode,j=td.getAttribute('data-c');tr.classList.add('hl');cols(j,true);last={tr:tr,j:j};
 tip.textContent=td.getAttribute('data-t');tip.style.display='block';});
t.addEventListener('mousemove',function(e){tip.style.left=(e.clientX+14)+'px';tip.style.top=(e.clientY+14)+'px';});
t.addEventListener('mouseleave',function(){tip.style.display='none';if(last){last.tr.classList.remove('hl');cols(last.j,false);last=null;}});
document.getElementById('q').addEventListener('input',function(){var q=this.value.toLowerCase();
 var rows=t.tBodies[0].rows;for(var i=0;i<rows.length;i++){var n=rows[i].getAttribute('data-n');rows[i].classList.toggle('hide',q&&n.indexOf(q)<0);}
 var hs=t.querySelectorAll('[data-n][data-c]');for(var k=0;k<hs.length;k++){var h=hs[k],miss=q&&h.getAttribute('data-n').indexOf(q)<0;
  var cs=t.querySelectorAll('[data-c="'+h.getAttribute('data-c')+'"]');for(var m=0;m<cs.length;m++)cs[m].classList.toggle('hide',!!miss);}});
})();
"""


def _matrix_html(m: Matrix) -> str:
    n = len(m.nodes)
    cs = 22 if n <= 40 else 14 if n <= 120 else 8
    label = [x.split("/", 1)[-1] if m.level != "namespace" else x for x in m.nodes]
    longest = max((len(x) for x in label), default=4)
    e = html.escape
    total, allowed, full = _counts(m)
    starts = {i for i in range(n) if i == 0 or m.namespaces[i] != m.namespaces[i - 1]}
    out = ["<!doctype html><html lang=en><meta charset=utf-8>",
           "<meta name=viewport content='width=device-width,initial-scale=1'>",
           f"<title>Reachability · {e(m.cluster)} · {m.level}</title><style>{_CSS}</style>",
           f"<body style='--cs:{cs}px;--hh:{min(260, 7 * longest + 12)}px;"
           f"--nh:{0 if m.level == 'namespace' else 20}px'>",
           f"<h1>Who can reach whom · {e(m.cluster)}</h1>",
           f"<p class=sub>{e(m.level)} level · rows are sources, columns are destinations · "
           + (f"what {e(m.cni)} enforces" if m.semantics == "practice" else "policies as written (upstream semantics)")
           + "</p>",
           "<div class=stats>"
           f"<div class=stat><b>{n}</b>{e(m.level)}s</div>"
           f"<div class=stat><b>{allowed:,}</b>of {total:,} pairs can talk</div>"
           f"<div class=stat><b>{full:,}</b>on every port</div>"
           f"<div class=stat><b>{total - allowed:,}</b>denied</div>"
           + (f"<div class=stat><b>{len(m.differs)}</b>differ in practice</div>" if m.differs else "")
           + "</div>",
           "<div class=legend><span><i class=sw style='background:var(--all)'></i>every port</span>"
           "<span><i class=sw style='background:var(--some)'></i>some ports</span>"
           "<span><i class=sw style='background:var(--none)'></i>denied</span>"
           + "<span><i class=sw style='background:var(--self)'></i>itself</span>"
           + ("<span><i class=sw style='box-shadow:inset 0 0 0 2px #1565c0;background:#fff'></i>"
              "CNI enforces differently</span>" if m.differs else "")
           + ("<span><i class='sw' style='background-image:repeating-linear-gradient(45deg,#fff 0 3px,#6a1b9a 3px "
              "5px)'></i>undecided</span>" if m.undecided else "")
           + "</div>",
           "<div class=tools><input id=q placeholder='filter by name or namespace…' aria-label=filter></div>",
           "<div class=wrap><table id=m><thead><tr class=nsr><th class=corner rowspan=2>source ↓ · "
           "destination →</th>"]
    if m.level != "namespace":
        runs = sorted(starts) + [n]
        for a, b in zip(runs, runs[1:]):
            out.append(f"<th class='nsh nsb' colspan={b - a} title='{e(m.namespaces[a])}'>{e(m.namespaces[a])}</th>")
    out.append("</tr><tr>")
    for j in range(n):
        cls = "col nsb" if j in starts else "col"
        out.append(f"<th class='{cls}' data-c={j} data-n='{e(m.nodes[j].lower())}' title='{e(m.nodes[j])}'>"
                   f"<div>{e(label[j])}</div></th>")
    out.append("</tr></thead><tbody>")
    for i in range(n):
        tr_cls = " class=nst" if i in starts and i else ""
        row = [f"<tr data-n='{e(m.nodes[i].lower())}'{tr_cls}><th class=row title='{e(m.nodes[i])}'>"
               f"{e(m.nodes[i])}</th>"]
        for j in range(n):
            classes = []
            if i == j and not m.has_inner(i):
                classes.append("x")
                tip = f"{m.nodes[i]}: itself"
            else:
                p = m.ports(i, j)
                classes.append("a" if p.is_all else "s" if p else "n")
                tip = f"{m.nodes[i]} → {m.nodes[j]}: {'every port' if p.is_all else str(p) if p else 'denied'}"
                if (i, j) in m.differs:
                    classes.append("d")
                    tip += f" (differs from the policies as written on {m.cni})"
                if (i, j) in m.undecided:
                    classes.append("u")
                    tip += f"; undecided: {_short(m.undecided[(i, j)])}"
            if j in starts:
                classes.append("nsb")
            if i in starts and i:
                classes.append("nst")
            row.append(f"<td class='{' '.join(classes)}' data-c={j} data-t='{e(tip)}'></td>")
        out.append("".join(row) + "</tr>")
    out.append(f"</tbody></table></div><div id=tip></div><script>{_JS}</script></body></html>")
    return "\n".join(out)


# --- diff ---------------------------------------------------------------------------------

def render_diff(d: MatrixDiff, fmt: str, color: bool = False, width: int = 160) -> bytes:
    if fmt == "json":
        return orjson.dumps(d.to_dict(), option=orjson.OPT_INDENT_2) + b"\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["src", "dst", "gained", "lost"])
        for c in d.changes:
            w.writerow([c.src, c.dst, str(c.gained) if c.gained else "", str(c.lost) if c.lost else ""])
        return buf.getvalue().encode()
    if fmt == "md":
        out = [f"**{len(d.changes)} connection change(s) at {d.level} level**", ""]
        if d.added_nodes or d.removed_nodes:
            out += [f"- added: {', '.join(d.added_nodes) or 'none'}", f"- removed: {', '.join(d.removed_nodes) or 'none'}",
                    ""]
        out += ["| source | destination | gained | lost |", "| --- | --- | --- | --- |"]
        out += [f"| {c.src} | {c.dst} | {_short(c.gained) if c.gained else ''} | {_short(c.lost) if c.lost else ''} |"
                for c in d.changes]
        return ("\n".join(out) + "\n").encode()
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(DIFF_FORMATS)}")
    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system="standard" if color else None, no_color=not color,
                      highlight=False, force_terminal=color)
    gained = sum(1 for c in d.changes if c.gained)
    lost = sum(1 for c in d.changes if c.lost)
    console.print(Text(f"{gained} pair(s) gain connections, {lost} pair(s) lose connections ({d.level} level)",
                       style="bold"))
    for title, items, style in (("added", d.added_nodes, "green"), ("removed", d.removed_nodes, "red")):
        if items:
            console.print(Text(f"{title}: " + ", ".join(items), style=style))
    if d.changes:
        t = Table(header_style="bold")
        for col in ("source", "destination", "gained", "lost"):
            t.add_column(col)
        for c in d.changes:
            t.add_row(c.src, c.dst, Text(_short(c.gained) if c.gained else "", style="green"),
                      Text(_short(c.lost) if c.lost else "", style="red"))
        console.print(t)
    return buf.getvalue().encode()


# --- can-reach -----------------------------------------------------------------------------

_MARK = {"allow": ("✔", "green"), "deny": ("✘", "red"), "pass": ("→", "cyan"), "not-isolated": ("○", "dim"),
         "caveat": ("!", "yellow"), "undecided": ("?", "magenta"), "info": ("i", "dim")}


def render_verdict(v: Verdict, src: str, dst: str, what: str, fmt: str, color: bool = False,
                   width: int = 160) -> bytes:
    if fmt == "json":
        doc = {**v.to_dict(), "src": src, "dst": dst, "query": what,
               "allowedPorts": None if v.ports.is_all else str(v.ports) if v.ports else ""}
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system="standard" if color else None, no_color=not color,
                      highlight=False, force_terminal=color)
    head = Text()
    head.append(" UNDECIDED " if v.undecided else " REACHABLE " if v.allowed else " NOT REACHABLE ",
                style="bold white on magenta" if v.undecided else "bold white on green" if v.allowed
                else "bold white on red")
    head.append(f"  {src} → {dst}  {what}")
    console.print(head)
    if v.differs:
        state = "undecided" if v.undecided else "allowed" if v.allowed else "denied"
        spec = "leave it undecided" if v.spec_undecided else "allow it" if v.spec_allowed else "deny it"
        console.print(Text(f"  {state} in practice; the policies as written {spec}", style="yellow"))
    for r in v.reasons:
        mark, style = _MARK.get(r.decision, ("-", ""))
        line = Text(f"  {mark} ", style=style)
        line.append(f"{r.direction:<8}", style="bold")
        line.append(r.message)
        console.print(line)
        if r.file:
            console.print(Text(f"             at {r.file}{':' + str(r.line) if r.line else ''}", style="dim"))
    return buf.getvalue().encode()
