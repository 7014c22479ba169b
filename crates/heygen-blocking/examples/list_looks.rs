//! Lists every look of the account, page after page.
//!
//! `cargo run -p heygen-blocking --example list_looks`
#![allow(clippy::print_stdout, reason = "examples print their results")]

mod common;

use std::collections::BTreeMap;

use heygen_blocking::model::ListLooksQuery;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Setup {
        client,
        emulator: _emulator,
    } = common::setup()?;
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    let mut total = 0;
    for look in client.looks().list_all(ListLooksQuery::new().limit(20)) {
        let look = look?;
        if total < 5 {
            println!(
                "  {:<36} {:<28} {}",
                look.id.as_str(),
                look.name,
                look.avatar_type
            );
        }
        *by_type.entry(look.avatar_type.to_string()).or_default() += 1;
        total += 1;
    }
    if total > 5 {
        println!("  … and {} more", total - 5);
    }
    println!("{total} looks in pages of 20:");
    for (kind, n) in by_type {
        println!("  {kind}: {n}");
    }
    Ok(())
}
