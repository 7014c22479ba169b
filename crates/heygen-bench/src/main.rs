//! `heygen-bench`: the SDK's cost per call, measured against raw clients in the same run.

fn main() {}
