import dagre from '@dagrejs/dagre';
import type { AslDefinition } from '../../local/runner/definitions';
import { escapeXml } from './escape';
import { edgesOf, type PathTaken } from './path';

// Text is measured without a browser (the SVG is laid out when the file is written): an average glyph width for
// the page's 13 px / 11 px sans-serif, generous enough that labels never overflow their boxes.
const NAME_CHAR_PX = 7.6;
const DETAIL_CHAR_PX = 6.4;
const NODE_HEIGHT = 46;
const LABEL_CHAR_PX = 6;

interface NodeBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The second line of a state's box: its type, and what happened there. */
function detailOf(name: string, type: string, path: PathTaken): string {
  const parts = [type];
  const visits = path.visited.get(name) ?? 0;
  if (visits > 1) parts.push(`×${visits}`);
  const retries = path.retries.get(name) ?? 0;
  if (retries > 0) parts.push(`↻ ${retries} ${retries === 1 ? 'retry' : 'retries'}`);
  const failure = path.failed.get(name);
  if (failure) parts.push(`✕ ${failure}`);
  return parts.join(' · ');
}

function shapeOf(type: string, box: NodeBox): string {
  const left = box.x - box.width / 2;
  const top = box.y - box.height / 2;
  if (type === 'Choice') {
    const inset = 12;
    const points = [
      [left + inset, top],
      [left + box.width - inset, top],
      [left + box.width, box.y],
      [left + box.width - inset, top + box.height],
      [left + inset, top + box.height],
      [left, box.y],
    ];
    return `<polygon class="shape" points="${points.map(([x, y]) => `${x},${y}`).join(' ')}"/>`;
  }
  const radius = type === 'Succeed' || type === 'Fail' ? box.height / 2 : type === 'Wait' ? 14 : 6;
  return `<rect class="shape" x="${left}" y="${top}" width="${box.width}" height="${box.height}" rx="${radius}" ry="${radius}"/>`;
}

/** A smooth path through dagre's bend points: straight ends, quadratic curves through the midpoints. */
function curveThrough(points: readonly { x: number; y: number }[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M${first.x},${first.y}`;
  for (let index = 0; index < rest.length - 1; index += 1) {
    const control = rest[index];
    const after = rest[index + 1];
    if (!control || !after) continue;
    d += ` Q${control.x},${control.y} ${(control.x + after.x) / 2},${(control.y + after.y) / 2}`;
  }
  const last = rest[rest.length - 1];
  if (last) d += ` L${last.x},${last.y}`;
  return d;
}

/**
 * The workflow as an SVG, laid out by dagre from the definition itself: every state (boxes for Tasks, hexagons for
 * Choices, rounded for Waits, pills for Succeed/Fail), every Next, Choice branch, Default and Catch (dashed). The
 * path taken is highlighted (`visited` states, `taken` edges); retried and failed states carry a class and a badge.
 */
export function renderGraph(definition: AslDefinition, path: PathTaken, id: string): string {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'TB', nodesep: 20, ranksep: 40, edgesep: 10, marginx: 12, marginy: 12 });
  const names = Object.keys(definition.States);
  for (const name of names) {
    const type = definition.States[name]?.Type ?? 'Task';
    const width = Math.max(130, name.length * NAME_CHAR_PX, detailOf(name, type, path).length * DETAIL_CHAR_PX) + 28;
    graph.setNode(name, { width: Math.round(width), height: NODE_HEIGHT });
  }
  const edges = edgesOf(definition);
  for (const [index, edge] of edges.entries()) {
    const label = edge.label ?? '';
    // Every Task catches into the compensation: weighting the Catch edges low keeps the main path straight and short.
    const weight = edge.kind === 'catch' ? 1 : 8;
    graph.setEdge(edge.from, edge.to, label ? { weight, width: label.length * LABEL_CHAR_PX + 8, height: 14, labelpos: 'c' } : { weight }, String(index));
  }
  dagre.layout(graph);
  const size = graph.graph() as { width?: number; height?: number };
  const width = Math.ceil(size.width ?? 0);
  const height = Math.ceil(size.height ?? 0);

  const edgeMarkup = edges.map((edge, index) => {
    const laid = graph.edge({ v: edge.from, w: edge.to, name: String(index) }) as { points?: { x: number; y: number }[]; x?: number; y?: number } | undefined;
    const taken = path.takenEdges.has(index);
    const classes = ['edge', `edge-${edge.kind}`, ...(taken ? ['taken'] : [])].join(' ');
    const marker = taken ? `${id}-arrow-taken` : edge.kind === 'catch' ? `${id}-arrow-catch` : `${id}-arrow`;
    const label = edge.label && laid?.x !== undefined && laid.y !== undefined ? `<text class="edge-label" x="${laid.x}" y="${laid.y + 4}" text-anchor="middle">${escapeXml(edge.label)}</text>` : '';
    return `<g class="${classes}" data-from="${escapeXml(edge.from)}" data-to="${escapeXml(edge.to)}" data-kind="${edge.kind}"><path d="${curveThrough(laid?.points ?? [])}" marker-end="url(#${marker})"/>${label}</g>`;
  });

  const nodeMarkup = names.map((name) => {
    const type = definition.States[name]?.Type ?? 'Task';
    const box = graph.node(name) as NodeBox;
    const visits = path.visited.get(name) ?? 0;
    const retries = path.retries.get(name) ?? 0;
    const failure = path.failed.get(name);
    const classes = ['state', `type-${type.toLowerCase()}`, visits > 0 ? 'visited' : 'not-visited', ...(retries > 0 ? ['retried'] : []), ...(failure ? ['failed'] : [])].join(' ');
    const tooltip = `${name} (${type}): ${visits > 0 ? `entered ${visits}×` : 'not entered'}${retries > 0 ? `, ${retries} retries` : ''}${failure ? `, failed with ${failure}` : ''}`;
    return [
      `<g class="${classes}" data-state="${escapeXml(name)}" data-type="${type}" data-visits="${visits}" data-retries="${retries}"${failure ? ` data-error="${escapeXml(failure)}"` : ''}>`,
      `<title>${escapeXml(tooltip)}</title>`,
      shapeOf(type, box),
      `<text class="name" x="${box.x}" y="${box.y - 3}" text-anchor="middle">${escapeXml(name)}</text>`,
      `<text class="detail" x="${box.x}" y="${box.y + 13}" text-anchor="middle">${escapeXml(detailOf(name, type, path))}</text>`,
      '</g>',
    ].join('');
  });

  const arrow = (suffix: string) =>
    `<marker id="${id}-${suffix}" class="marker-${suffix}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`;
  return [
    `<svg class="workflow" id="${id}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="workflow graph">`,
    `<defs>${arrow('arrow')}${arrow('arrow-catch')}${arrow('arrow-taken')}</defs>`,
    `<g class="edges">${edgeMarkup.join('')}</g>`,
    `<g class="states">${nodeMarkup.join('')}</g>`,
    '</svg>',
  ].join('\n');
}
