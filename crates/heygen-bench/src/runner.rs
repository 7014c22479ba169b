//! The interleaved-blocks runner: every variant of a workload runs one block of calls in turn
//! after a warm-up, so machine drift hits all variants alike; each round starts one variant later
//! (A B C, B C A, C A B, …) so that no variant always runs first or after the same neighbour.

use std::time::{Duration, Instant};

use crate::alloc;

/// The label prefix of a diagnostic variant: reported, but not a target.
pub(crate) const DIAGNOSTIC: &str = "(diag)";

/// Runs `n` calls of one variant and reports the first failure.
pub(crate) type Calls<'a> = Box<dyn FnMut(u64) -> Result<(), String> + 'a>;

/// One way of doing a workload's call.
pub(crate) struct Variant<'a> {
    /// Short label (`raw ureq`, `heygen-blocking`, …).
    pub(crate) name: &'static str,
    /// Runs `n` calls.
    pub(crate) calls: Calls<'a>,
}

impl<'a> Variant<'a> {
    /// A variant from a label and a closure running `n` calls.
    pub(crate) fn new(
        name: &'static str,
        calls: impl FnMut(u64) -> Result<(), String> + 'a,
    ) -> Self {
        Self {
            name,
            calls: Box::new(calls),
        }
    }
}

/// How long and how often to measure.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Plan {
    /// Measured blocks per variant (at least 5).
    pub(crate) repetitions: usize,
    /// Target wall time of one block of the slowest variant.
    pub(crate) block: Duration,
    /// Warm-up time per variant before measuring.
    pub(crate) warmup: Duration,
}

/// The measured blocks of one variant.
#[derive(Clone, Debug)]
pub(crate) struct Stats {
    /// The variant's label.
    pub(crate) name: &'static str,
    /// Nanoseconds per call of each block, sorted.
    pub(crate) ns_per_call: Vec<f64>,
    /// Median allocations per call over the blocks.
    pub(crate) allocs_per_call: f64,
    /// Median bytes allocated per call over the blocks.
    pub(crate) bytes_per_call: f64,
    /// Calls in one block.
    pub(crate) calls_per_block: u64,
    /// Why the variant stopped, if it failed.
    pub(crate) error: Option<String>,
}

impl Stats {
    /// Fastest block, ns per call.
    pub(crate) fn min(&self) -> f64 {
        self.ns_per_call.first().copied().unwrap_or(f64::NAN)
    }

    /// Median block, ns per call.
    pub(crate) fn median(&self) -> f64 {
        median(&self.ns_per_call)
    }

    /// Slowest block, ns per call.
    pub(crate) fn max(&self) -> f64 {
        self.ns_per_call.last().copied().unwrap_or(f64::NAN)
    }

    /// Whether the variant produced numbers.
    pub(crate) fn ok(&self) -> bool {
        self.error.is_none() && !self.ns_per_call.is_empty()
    }
}

/// The median of sorted values (`NaN` when empty).
pub(crate) fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => f64::midpoint(sorted[n / 2 - 1], sorted[n / 2]),
    }
}

fn sort(values: &mut [f64]) {
    values.sort_by(f64::total_cmp);
}

#[allow(
    clippy::cast_precision_loss,
    reason = "call counts and nanoseconds stay far below 2^52"
)]
fn per_call(total: f64, calls: u64) -> f64 {
    total / calls.max(1) as f64
}

/// Measures every variant: calibrate, warm up, then `repetitions` rounds of one block each.
pub(crate) fn run(variants: &mut [Variant<'_>], plan: &Plan) -> Vec<Stats> {
    let mut stats: Vec<Stats> = variants
        .iter()
        .map(|v| Stats {
            name: v.name,
            ns_per_call: Vec::new(),
            allocs_per_call: f64::NAN,
            bytes_per_call: f64::NAN,
            calls_per_block: 0,
            error: None,
        })
        .collect();

    // Calibrate: a few calls each (this also opens the kept-alive connections). Blocks are
    // sized from the slowest variant that is not a diagnostic, so a slow diagnostic row does not
    // shrink every other variant's blocks (its own blocks run longer instead).
    let mut slowest = 0.0_f64;
    let mut slowest_diagnostic = 0.0_f64;
    for (variant, stat) in variants.iter_mut().zip(&mut stats) {
        let probe = 8;
        let started = Instant::now();
        match (variant.calls)(probe) {
            Ok(()) => {
                let time = per_call(started.elapsed().as_secs_f64(), probe);
                if variant.name.starts_with(DIAGNOSTIC) {
                    slowest_diagnostic = slowest_diagnostic.max(time);
                } else {
                    slowest = slowest.max(time);
                }
            }
            Err(e) => stat.error = Some(e),
        }
    }
    if slowest <= 0.0 {
        slowest = slowest_diagnostic;
    }
    if slowest <= 0.0 {
        return stats;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a positive, bounded count of calls"
    )]
    let calls = ((plan.block.as_secs_f64() / slowest).round() as u64).clamp(1, 1_000_000);
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a positive, bounded count of calls"
    )]
    let warm = ((plan.warmup.as_secs_f64() / slowest).round() as u64).clamp(1, 1_000_000);

    // Warm up: the same number of calls for each variant, one variant after the other.
    for (variant, stat) in variants.iter_mut().zip(&mut stats) {
        if stat.error.is_none()
            && let Err(e) = (variant.calls)(warm)
        {
            stat.error = Some(e);
        }
    }

    let mut allocs: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    let mut bytes: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    let count = variants.len();
    for round in 0..plan.repetitions.max(5) {
        // Each round starts one variant later (A B C, B C A, C A B, …), so no variant always
        // runs right after the same neighbour or first in its round.
        for i in (0..count).map(|k| (k + round) % count) {
            let variant = &mut variants[i];
            if stats[i].error.is_some() {
                continue;
            }
            let before = alloc::snapshot();
            let started = Instant::now();
            let result = (variant.calls)(calls);
            let elapsed = started.elapsed();
            let delta = before.delta(alloc::snapshot());
            match result {
                Ok(()) => {
                    stats[i]
                        .ns_per_call
                        .push(per_call(elapsed.as_secs_f64() * 1e9, calls));
                    #[allow(clippy::cast_precision_loss, reason = "counts below 2^52")]
                    {
                        allocs[i].push(per_call(delta.allocations as f64, calls));
                        bytes[i].push(per_call(delta.bytes as f64, calls));
                    }
                }
                Err(e) => stats[i].error = Some(e),
            }
        }
    }
    for (i, stat) in stats.iter_mut().enumerate() {
        sort(&mut stat.ns_per_call);
        sort(&mut allocs[i]);
        sort(&mut bytes[i]);
        stat.allocs_per_call = median(&allocs[i]);
        stat.bytes_per_call = median(&bytes[i]);
        stat.calls_per_block = calls;
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert!(median(&[]).is_nan());
        assert!((median(&[1.0, 2.0, 9.0]) - 2.0).abs() < f64::EPSILON);
        assert!((median(&[1.0, 2.0, 4.0, 9.0]) - 3.0).abs() < f64::EPSILON);
    }

    #[test]
    fn interleaves_and_counts() {
        let order = std::cell::RefCell::new(Vec::new());
        let mut variants = vec![
            Variant::new("a", |n| {
                order.borrow_mut().push('a');
                for _ in 0..n {
                    std::hint::black_box(vec![0u8; 16]);
                }
                Ok(())
            }),
            Variant::new("b", |n| {
                order.borrow_mut().push('b');
                for _ in 0..n {
                    std::hint::black_box(1 + 1);
                }
                Ok(())
            }),
            Variant::new("c", |_| Err("boom".to_owned())),
        ];
        let plan = Plan {
            repetitions: 5,
            block: Duration::from_micros(200),
            warmup: Duration::from_micros(100),
        };
        let stats = run(&mut variants, &plan);
        let order: String = order.borrow().iter().collect();
        // Calibration, warm-up, then five rounds over a, b and the failed c, each round starting
        // one variant later: a b (c), b (c) a, (c) a b, a b (c), b (c) a.
        assert!(order.ends_with("abbaababba"), "{order}");
        assert_eq!(stats[0].ns_per_call.len(), 5);
        assert!(
            stats[0].allocs_per_call >= 1.0,
            "{}",
            stats[0].allocs_per_call
        );
        assert!(stats[0].bytes_per_call >= 16.0);
        assert!(stats[0].min() <= stats[0].median() && stats[0].median() <= stats[0].max());
        assert_eq!(stats[2].error.as_deref(), Some("boom"));
        assert!(!stats[2].ok());
    }

    #[test]
    fn a_slow_diagnostic_does_not_size_the_blocks() {
        let mut variants = vec![
            Variant::new("fast", |n| {
                for _ in 0..n {
                    std::hint::black_box(1 + 1);
                }
                Ok(())
            }),
            // Slow only while calibrating (8 calls), so the test stays short.
            Variant::new("(diag) slow", |n| {
                if n == 8 {
                    std::thread::sleep(Duration::from_millis(40));
                }
                Ok(())
            }),
        ];
        let plan = Plan {
            repetitions: 5,
            block: Duration::from_millis(2),
            warmup: Duration::from_micros(10),
        };
        let stats = run(&mut variants, &plan);
        // Sized from the diagnostic (0.25 ms per call while calibrating), a block would be 8
        // calls.
        assert!(
            stats[0].calls_per_block > 100,
            "{}",
            stats[0].calls_per_block
        );
    }
}
