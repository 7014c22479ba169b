//! The counting global allocator: every allocation of the process goes through it, so a
//! benchmark can report how many allocations (and bytes) one call costs.

use std::alloc::System;

use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Allocation counters at one moment (cumulative since the process started).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct AllocSnapshot {
    /// Number of `alloc` calls plus `realloc` calls.
    pub(crate) allocations: u64,
    /// Bytes requested by `alloc` plus bytes added by growing `realloc`s.
    pub(crate) bytes: u64,
}

/// The counters now.
pub(crate) fn snapshot() -> AllocSnapshot {
    let stats = GLOBAL.stats();
    AllocSnapshot {
        allocations: (stats.allocations + stats.reallocations) as u64,
        bytes: (stats.bytes_allocated + stats.bytes_reallocated.max(0).unsigned_abs()) as u64,
    }
}

impl AllocSnapshot {
    /// What happened between `self` (earlier) and `later`.
    pub(crate) fn delta(self, later: Self) -> Self {
        Self {
            allocations: later.allocations.saturating_sub(self.allocations),
            bytes: later.bytes.saturating_sub(self.bytes),
        }
    }
}
