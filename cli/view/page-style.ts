/** The page's stylesheet, inlined into every page (the file must open without a network). */
export const PAGE_STYLE = `
:root { --ink: #1f2328; --muted: #6e7781; --line: #d0d7de; --path: #0969da; --path-fill: #ddf4ff; --bad: #cf222e; --bad-fill: #ffebe9; --warn: #9a6700; --warn-fill: #fff8c5; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 24px auto; max-width: 1200px; padding: 0 16px; }
h1 { font-size: 20px; margin: 0 0 4px; word-break: break-all; }
h2 { font-size: 17px; margin: 28px 0 6px; border-top: 1px solid var(--line); padding-top: 16px; word-break: break-all; }
h3 { font-size: 15px; margin: 20px 0 6px; }
.meta, .note { color: var(--muted); margin: 4px 0; }
.unavailable { font-style: italic; }
.status { font-weight: 600; padding: 1px 8px; border-radius: 10px; margin-right: 6px; color: #fff; background: var(--muted); }
.status-succeeded { background: #1a7f37; }
.status-failed { background: var(--bad); }
.failure { border: 1px solid var(--bad); background: var(--bad-fill); border-radius: 6px; padding: 8px 12px; margin: 10px 0; }
.failure .error-name { font-weight: 700; color: var(--bad); margin: 0 0 4px; }
.failure .cause { margin: 0; white-space: pre-wrap; word-break: break-word; }
.graph, .timeline-box, .traffic-box { overflow-x: auto; }
.graph svg { max-width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
.state .shape { fill: #f6f8fa; stroke: #c4cbd3; stroke-width: 1.2; }
.state text.name { font-size: 13px; fill: var(--muted); }
.state text.detail { font-size: 11px; fill: var(--muted); }
.state.visited .shape { fill: var(--path-fill); stroke: var(--path); stroke-width: 2.5; }
.state.visited text.name { fill: var(--ink); font-weight: 600; }
.state.retried .shape { fill: var(--warn-fill); stroke: var(--warn); stroke-dasharray: 6 3; }
.state.retried text.detail { fill: var(--warn); }
.state.failed .shape { fill: var(--bad-fill); stroke: var(--bad); stroke-width: 3; stroke-dasharray: none; }
.state.failed text.detail { fill: var(--bad); font-weight: 600; }
.edge path { fill: none; stroke: #b6bec7; stroke-width: 1.3; }
.edge-catch path { stroke-dasharray: 5 4; stroke: #d4a0a0; }
.edge.taken path { stroke: var(--path); stroke-width: 2.6; }
.edge.taken.edge-catch path { stroke: var(--bad); }
.edge-label { font-size: 10.5px; fill: var(--muted); paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.marker-arrow path { fill: #b6bec7; }
.marker-arrow-catch path { fill: #d4a0a0; }
.marker-arrow-taken path { fill: var(--path); }
.legend .key { display: inline-block; padding: 0 8px; margin-right: 4px; border: 1.5px solid #c4cbd3; border-radius: 4px; background: #f6f8fa; color: var(--muted); font-size: 12px; }
.legend .key.visited { border-color: var(--path); background: var(--path-fill); color: var(--ink); }
.legend .key.retried { border: 1.5px dashed var(--warn); background: var(--warn-fill); }
.legend .key.failed { border-color: var(--bad); background: var(--bad-fill); }
.legend .key.edge-taken { border: none; border-bottom: 3px solid var(--path); border-radius: 0; background: none; }
.legend .key.edge-catch { border: none; border-bottom: 2px dashed #d4a0a0; border-radius: 0; background: none; }
.timeline .grid, .traffic .grid { stroke: #eaeef2; }
.timeline .tick, .traffic .tick { font-size: 10.5px; fill: var(--muted); }
.timeline .row-label { font-size: 12px; fill: var(--ink); }
.timeline .bar { fill: var(--path); }
.timeline .bar.retried { fill: var(--warn); }
.timeline .bar.failed { fill: var(--bad); }
.traffic-line { fill: none; stroke: var(--path); stroke-width: 2.5; }
.traffic .step { fill: var(--path); }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.changed td, tr.added td { background: var(--path-fill); }
tr.removed td { background: var(--bad-fill); text-decoration: line-through; }
tr.failed td { background: var(--bad-fill); }
tr.retried td { background: var(--warn-fill); }
.bad { color: var(--bad); }
.side-by-side { display: flex; gap: 24px; flex-wrap: wrap; }
details summary { cursor: pointer; color: var(--muted); margin: 6px 0; }
`;
