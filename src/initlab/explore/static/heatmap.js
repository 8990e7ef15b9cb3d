// The decision boundary as a Canvas heat map, drawn from the frame's grid bytes.
//
// Two classes: one byte per cell, round(255·p) with p the probability of class 1, shaded from
// class 0's colour through white to class 1's. More classes: two bytes per cell, the predicted
// class and round(255·p_max), the class colour faded by the confidence.

import { CLASS_COLORS } from "./dataset.js";

export function decode(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function rgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const WHITE = [255, 255, 255];
const RGB = CLASS_COLORS.map(rgb);

function mix(a, b, t) {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

// Paint `bytes` (cells × cells) over the whole canvas; `fade` lightens it so points stay readable.
export function drawBoundary(ctx, bytes, cells, nClasses, fade = 0.25) {
  const image = new ImageData(cells, cells);
  for (let i = 0; i < cells * cells; i++) {
    let color;
    if (nClasses <= 2) {
      const p = bytes[i] / 255;
      color = p < 0.5 ? mix(RGB[0], WHITE, p * 2) : mix(WHITE, RGB[1], (p - 0.5) * 2);
    } else {
      const c = bytes[2 * i];
      const confidence = bytes[2 * i + 1] / 255;
      const share = Math.max(0, (confidence - 1 / nClasses) / (1 - 1 / nClasses));
      color = mix(WHITE, RGB[c % RGB.length], share);
    }
    color = mix(color, WHITE, fade);
    image.data.set([color[0], color[1], color[2], 255], 4 * i);
  }
  const small = new OffscreenCanvas(cells, cells);
  small.getContext("2d").putImageData(image, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(small, 0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.restore();
}

// The 0.5 contour of a two-class boundary, as line segments between cell centres (marching
// squares without interpolation refinements: enough to show where the classes meet).
export function drawContour(ctx, bytes, cells) {
  const w = ctx.canvas.width / cells;
  const h = ctx.canvas.height / cells;
  const at = (r, c) => bytes[r * cells + c] >= 128;
  ctx.save();
  ctx.strokeStyle = "rgba(40,40,40,0.7)";
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (let r = 0; r < cells; r++) {
    for (let c = 0; c < cells; c++) {
      if (c + 1 < cells && at(r, c) !== at(r, c + 1)) {
        ctx.moveTo((c + 1) * w, r * h);
        ctx.lineTo((c + 1) * w, (r + 1) * h);
      }
      if (r + 1 < cells && at(r, c) !== at(r + 1, c)) {
        ctx.moveTo(c * w, (r + 1) * h);
        ctx.lineTo((c + 1) * w, (r + 1) * h);
      }
    }
  }
  ctx.stroke();
  ctx.restore();
}
