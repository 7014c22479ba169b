//! A minimal program, measured for binary size, dependency count and resident memory.

fn main() {}
