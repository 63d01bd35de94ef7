// Relevance and timing summaries.

/** 1-based rank of the first relevant key in `keys`, or 0. */
export function firstRelevantRank(keys, relevant) {
  const i = keys.findIndex((k) => relevant.has(k));
  return i < 0 ? 0 : i + 1;
}

/** success@1, success@3, MRR (over the ranks given; 0 = not found in the top k). */
export function relevance(ranks) {
  const n = ranks.length;
  if (!n) return { n: 0, s1: null, s3: null, mrr: null, found: null };
  const share = (f) => ranks.filter(f).length / n;
  return {
    n,
    s1: share((r) => r === 1),
    s3: share((r) => r >= 1 && r <= 3),
    mrr: ranks.reduce((a, r) => a + (r ? 1 / r : 0), 0) / n,
    found: share((r) => r >= 1),
  };
}

/** median, p95, max, n of numbers (null when empty). */
export function distribution(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}
