//! Exponential backoff with jitter, per source: each failure in a row doubles the wait (up to
//! a cap), a success starts over. The jitter comes from a seeded generator so tests can assert
//! the waits exactly.

use std::time::Duration;

/// The waits after failures in a row.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    failures: u32,
    rng: u64,
}

impl Backoff {
    /// The first failure waits about `base`; each next one twice as long, never more than `cap`.
    pub fn new(base: Duration, cap: Duration, seed: u64) -> Backoff {
        Backoff {
            base,
            cap: cap.max(base),
            failures: 0,
            rng: seed | 1,
        }
    }

    /// Failures in a row so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The wait before failure number `n + 1` is retried, without jitter.
    pub fn nominal(&self, failures: u32) -> Duration {
        let factor = 1u32 << failures.saturating_sub(1).min(20);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// Records a failure and returns how long to wait before the next try: the nominal wait
    /// times a jitter factor between 0.8 and 1.2, so sources failing together spread out.
    pub fn failure(&mut self) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let nominal = self.nominal(self.failures);
        nominal.mul_f64(0.8 + 0.4 * self.next_unit())
    }

    /// Records a success: the next failure waits `base` again.
    pub fn success(&mut self) {
        self.failures = 0;
    }

    /// A number in [0, 1) from a xorshift generator.
    fn next_unit(&mut self) -> f64 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_in_a_row_doubles_the_wait_within_the_jitter_up_to_the_cap() {
        let mut b = Backoff::new(Duration::from_secs(5), Duration::from_secs(60), 42);
        let waits: Vec<Duration> = (0..6).map(|_| b.failure()).collect();
        let nominal = [5, 10, 20, 40, 60, 60];
        for (wait, n) in waits.iter().zip(nominal) {
            let n = Duration::from_secs(n);
            assert!(
                *wait >= n.mul_f64(0.8) && *wait <= n.mul_f64(1.2),
                "{wait:?} vs {n:?}"
            );
        }
        b.success();
        assert_eq!(b.failures(), 0);
        let again = b.failure();
        assert!(again <= Duration::from_secs(6), "{again:?}");
    }

    #[test]
    fn the_jitter_is_deterministic_for_a_seed_and_differs_between_seeds() {
        let waits = |seed| {
            let mut b = Backoff::new(Duration::from_secs(5), Duration::from_secs(600), seed);
            (0..4).map(|_| b.failure()).collect::<Vec<_>>()
        };
        assert_eq!(waits(1), waits(1));
        assert_ne!(waits(1), waits(2));
    }
}
