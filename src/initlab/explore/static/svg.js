// One SVG element with its attributes (and text), for the small charts drawn in SVG.

const NS = "http://www.w3.org/2000/svg";

export function node(name, attrs = {}, text) {
  const el = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}
