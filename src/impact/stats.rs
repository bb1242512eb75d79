//! The statistics of an impact judgement, pure: the Mann–Whitney U test between the samples
//! before and after a deploy, and the Hodges–Lehmann estimate of the shift with its confidence
//! interval — the method of Spinnaker's Kayenta judge, computed as R's `wilcox.test(after,
//! before, conf.int = TRUE)` does: exactly for small samples without ties, else by the normal
//! approximation with the tie and continuity corrections.

use statrs::distribution::{ContinuousCDF, Normal};

/// Samples smaller than this on both sides, with no ties, are judged with the exact distribution.
const EXACT_BELOW: usize = 50;
/// Above this many pairs the shift's estimate is found by bisection instead of by listing pairs.
const MAX_PAIRS: usize = 4_000_000;

/// The outcome of comparing `after` with `before`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// Mann–Whitney's W for the after sample: the pairs (after, before) where after is larger,
    /// ties counting one half.
    pub w: f64,
    /// Two-sided p-value of "no shift".
    pub p_value: f64,
    /// The Hodges–Lehmann estimate of the shift after − before.
    pub shift: f64,
    /// The shift's confidence interval.
    pub low: f64,
    pub high: f64,
    pub n_before: usize,
    pub n_after: usize,
    /// Whether the exact distribution was used (else the normal approximation).
    pub exact: bool,
}

/// Compares the finite values of `after` with those of `before` at `confidence` (e.g. 0.95).
/// `None` when a side has no finite value, or every value is the same (nothing to rank).
pub fn compare(before: &[f64], after: &[f64], confidence: f64) -> Option<Comparison> {
    let y: Vec<f64> = before.iter().copied().filter(|v| v.is_finite()).collect();
    let x: Vec<f64> = after.iter().copied().filter(|v| v.is_finite()).collect();
    if x.is_empty() || y.is_empty() || !(0.0..1.0).contains(&confidence) {
        return None;
    }
    let (nx, ny) = (x.len(), y.len());
    let ranked = ranks(&x, &y, 0.0);
    let w = ranked.sum_first - (nx * (nx + 1)) as f64 / 2.0;
    let alpha = 1.0 - confidence;
    if nx < EXACT_BELOW && ny < EXACT_BELOW && !ranked.ties {
        let dist = WilcoxonDistribution::new(nx, ny);
        let half = (nx * ny) as f64 / 2.0;
        let p = if w > half {
            dist.upper_tail(w as usize)
        } else {
            dist.cdf(w as usize)
        };
        let mut diffs = pair_differences(&x, &y);
        diffs.sort_by(f64::total_cmp);
        let qu = dist.quantile(alpha / 2.0).max(1);
        let ql = nx * ny - qu;
        return Some(Comparison {
            w,
            p_value: (2.0 * p).min(1.0),
            shift: median_sorted(&diffs),
            low: diffs[qu - 1],
            high: diffs[ql],
            n_before: ny,
            n_after: nx,
            exact: true,
        });
    }
    let sigma = sigma(nx, ny, ranked.tie_term);
    if sigma <= 0.0 {
        return None;
    }
    let z = w - (nx * ny) as f64 / 2.0;
    let z = (z - 0.5 * z.signum()) / sigma;
    let normal = Normal::standard();
    let p_value = (2.0 * normal.cdf(z).min(normal.sf(z))).min(1.0);
    let (lo, hi) = (min(&x) - max(&y), max(&x) - min(&y));
    let zq = normal.inverse_cdf(1.0 - alpha / 2.0);
    let (low, high) = (
        root(&x, &y, lo, hi, zq, true),
        root(&x, &y, lo, hi, -zq, true),
    );
    // The roots lie on jumps of a step function, at pairwise differences: where the pairs are
    // listed, the bounds are snapped onto them, so rounding never puts the estimate outside.
    let (shift, low, high) = if nx.saturating_mul(ny) <= MAX_PAIRS {
        let mut diffs = pair_differences(&x, &y);
        diffs.sort_by(f64::total_cmp);
        (
            median_sorted(&diffs),
            nearest(&diffs, low),
            nearest(&diffs, high),
        )
    } else {
        (root(&x, &y, lo, hi, 0.0, false), low, high)
    };
    Some(Comparison {
        w,
        p_value,
        shift,
        low,
        high,
        n_before: ny,
        n_after: nx,
        exact: false,
    })
}

/// The standard deviation of W under "no shift", with the tie correction.
fn sigma(nx: usize, ny: usize, tie_term: f64) -> f64 {
    let (nx, ny) = (nx as f64, ny as f64);
    let n = nx + ny;
    ((nx * ny / 12.0) * ((n + 1.0) - tie_term / (n * (n - 1.0)))).sqrt()
}

/// What ranking the pooled `x − d` and `y` gives: the sum of `x`'s ranks, whether there are
/// ties, and Σ(t³ − t) over the tie groups.
struct Ranked {
    sum_first: f64,
    ties: bool,
    tie_term: f64,
}

fn ranks(x: &[f64], y: &[f64], d: f64) -> Ranked {
    let mut pooled: Vec<(f64, bool)> = (x.iter().map(|v| (v - d, true)))
        .chain(y.iter().map(|v| (*v, false)))
        .collect();
    pooled.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut sum_first, mut tie_term, mut ties) = (0.0, 0.0, false);
    let mut i = 0;
    while i < pooled.len() {
        let mut j = i + 1;
        while j < pooled.len() && pooled[j].0 == pooled[i].0 {
            j += 1;
        }
        let t = (j - i) as f64;
        // Ranks i+1 ..= j share their mean.
        let rank = (i + 1 + j) as f64 / 2.0;
        let firsts = pooled[i..j].iter().filter(|(_, first)| *first).count() as f64;
        sum_first += rank * firsts;
        if j - i > 1 {
            ties = true;
            tie_term += t * t * t - t;
        }
        i = j;
    }
    Ranked {
        sum_first,
        ties,
        tie_term,
    }
}

/// The standardised W of `x − d` against `y`, less `zq`: falls as `d` grows.
fn standardised(x: &[f64], y: &[f64], d: f64, zq: f64, correct: bool) -> f64 {
    let (nx, ny) = (x.len(), y.len());
    let r = ranks(x, y, d);
    let dz = r.sum_first - (nx * (nx + 1)) as f64 / 2.0 - (nx * ny) as f64 / 2.0;
    let correction = if correct { 0.5 * dz.signum() } else { 0.0 };
    let s = sigma(nx, ny, r.tie_term);
    if s <= 0.0 {
        return -zq;
    }
    (dz - correction) / s - zq
}

/// The shift `d` in `[lo, hi]` where the standardised W crosses `zq` (by bisection, as R's
/// `uniroot` does, to a far finer tolerance).
fn root(x: &[f64], y: &[f64], mut lo: f64, mut hi: f64, zq: f64, correct: bool) -> f64 {
    let f = |d: f64| standardised(x, y, d, zq, correct);
    if f(lo) <= 0.0 {
        return lo;
    }
    if f(hi) >= 0.0 {
        return hi;
    }
    let tolerance = ((hi - lo).abs() * 1e-12).max(f64::MIN_POSITIVE);
    for _ in 0..200 {
        let mid = lo + (hi - lo) / 2.0;
        if f(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= tolerance {
            break;
        }
    }
    lo + (hi - lo) / 2.0
}

fn pair_differences(x: &[f64], y: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(x.len() * y.len());
    for a in x {
        out.extend(y.iter().map(|b| a - b));
    }
    out
}

fn median_sorted(v: &[f64]) -> f64 {
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The value of `sorted` nearest to `v`.
fn nearest(sorted: &[f64], v: f64) -> f64 {
    let at = sorted.partition_point(|d| *d < v);
    let candidates = [at.checked_sub(1), Some(at)];
    candidates
        .into_iter()
        .flatten()
        .filter_map(|i| sorted.get(i).copied())
        .min_by(|a, b| (a - v).abs().total_cmp(&(b - v).abs()))
        .unwrap_or(v)
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

/// The exact null distribution of W for samples of `nx` and `ny` without ties: the number of
/// arrangements giving each W, from the Gaussian binomial coefficient [nx+ny choose nx].
struct WilcoxonDistribution {
    /// P(W = w) for w in 0..=nx·ny.
    probabilities: Vec<f64>,
}

impl WilcoxonDistribution {
    fn new(nx: usize, ny: usize) -> WilcoxonDistribution {
        let top = nx * ny;
        // ∏_{k=1..nx} (1 − q^{ny+k}) / (1 − q^k), coefficient by coefficient.
        let mut c = vec![0.0f64; top + 1];
        c[0] = 1.0;
        for k in 1..=nx {
            let m = ny + k;
            for u in (m..=top).rev() {
                c[u] -= c[u - m];
            }
            for u in k..=top {
                c[u] += c[u - k];
            }
        }
        let total: f64 = c.iter().sum();
        WilcoxonDistribution {
            probabilities: c.into_iter().map(|v| v / total).collect(),
        }
    }

    /// P(W ≤ w).
    fn cdf(&self, w: usize) -> f64 {
        self.probabilities.iter().take(w + 1).sum::<f64>().min(1.0)
    }

    /// P(W ≥ w).
    fn upper_tail(&self, w: usize) -> f64 {
        self.probabilities.iter().skip(w).sum::<f64>().min(1.0)
    }

    /// The smallest w with P(W ≤ w) ≥ p (R's `qwilcox`).
    fn quantile(&self, p: f64) -> usize {
        let mut sum = 0.0;
        for (w, prob) in self.probabilities.iter().enumerate() {
            sum += prob;
            // A hair of slack for the rounding of the sum, as R's qwilcox allows.
            if sum >= p * (1.0 - 64.0 * f64::EPSILON) {
                return w;
            }
        }
        self.probabilities.len() - 1
    }
}
