//! The `heygen` command-line program.

fn main() {}
