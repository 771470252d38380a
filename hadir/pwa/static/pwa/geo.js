// Where a fix stands relative to the employee's workplaces, as the server judges it
// (hadir.domain.geo): metres on a local projection, inside when the signed distance is <= 0,
// "uncertain" when the fix's accuracy (capped by the tier's credit) reaches the fence.
const M_PER_DEG_LAT = 110574.0;
const M_PER_DEG_LON = 111320.0;
const CREDIT_M = { good: 50, poor: 100, none: 150 };

function projector(lat0, lon0) {
  const k = Math.cos((lat0 * Math.PI) / 180) * M_PER_DEG_LON;
  return (lat, lon) => [(lon - lon0) * k, (lat - lat0) * M_PER_DEG_LAT];
}

function segmentDistance(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const t = dx || dy ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) /
    (dx * dx + dy * dy))) : 0;
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

export function signedDistance(fence, lat, lon) {
  if (fence.type === "circle") {
    const project = projector(fence.lat, fence.lon);
    const [x, y] = project(lat, lon);
    return Math.hypot(x, y) - fence.radius_m;
  }
  const ring = fence.ring;
  const n = ring.length - 1;
  const lat0 = ring.slice(0, n).reduce((s, p) => s + p[0], 0) / n;
  const lon0 = ring.slice(0, n).reduce((s, p) => s + p[1], 0) / n;
  const project = projector(lat0, lon0);
  const pts = ring.map((p) => project(p[0], p[1]));
  const p = project(lat, lon);
  let inside = false, nearest = Infinity;
  for (let i = 0; i < n; i++) {
    const a = pts[i], b = pts[i + 1];
    if ((a[1] > p[1]) !== (b[1] > p[1]) &&
        p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
    nearest = Math.min(nearest, segmentDistance(p, a, b));
  }
  return inside ? -nearest : nearest;
}

// The best standing among the workplaces: inside, else uncertain, else the nearest outside.
export function judge(workplaces, fix) {
  let best = null;
  for (const w of workplaces) {
    const distance = signedDistance(w.geofence, fix.lat, fix.lon);
    const credit = Math.min(Math.max(fix.accuracy, 0), CREDIT_M[w.tier] || 50);
    const position = distance <= 0 ? "inside" : distance <= credit ? "uncertain" : "outside";
    const rank = { inside: 0, uncertain: 1, outside: 2 }[position];
    if (!best || rank < best.rank || (rank === best.rank && distance < best.distance)) {
      best = { workplace: w, distance, position, rank };
    }
  }
  return best;
}
