//! The decode-only workload: the looks page (≈ 23 KB, 50 looks) decoded with no network.
//!
//! Besides the two compared variants (plain `serde_json` into owned structs, and the SDK's own
//! `ListLooks::parse`), two diagnostic variants split the SDK's cost into "the model's types"
//! and "the JSON-path tracking the core adds for error messages".

use std::hint::black_box;

use heygen_core::Operation as _;
use heygen_core::ResponseLimits;
use heygen_core::ops::ListLooks;
use heygen_model::{ListLooksQuery, ListPage, Look};

use crate::plain::PlainLooksPage;
use crate::runner::Variant;

/// Label of the plain baseline.
pub(crate) const PLAIN: &str = "plain serde_json, owned structs";
/// Label of the SDK variant.
pub(crate) const SDK: &str = "heygen-core ListLooks::parse";
/// Label of the diagnostic: model types, plain `serde_json`.
pub(crate) const MODEL: &str = "(diag) serde_json into heygen-model types";
/// Label of the diagnostic: model types through `serde_path_to_error`.
pub(crate) const MODEL_PATH: &str = "(diag) serde_path_to_error into heygen-model types";
/// Label of the diagnostic: the core's envelope pre-scan, then plain `serde_json` into the
/// model types (what `parse` would cost with the path taken only on failure).
pub(crate) const SCAN_THEN_MODEL: &str = "(diag) envelope pre-scan + serde_json into model types";

/// The top level of a body as the core's pipeline reads it before decoding (borrowed `data`,
/// error members as values).
#[derive(serde::Deserialize)]
#[allow(
    dead_code,
    reason = "scanned, not read: the diagnostic pays for the scan only"
)]
struct Outer<'a> {
    #[serde(borrow, default)]
    data: Option<&'a serde_json::value::RawValue>,
    #[serde(default)]
    error: Option<serde_json::Value>,
    #[serde(default)]
    code: Option<serde_json::Value>,
    #[serde(default)]
    message: Option<serde_json::Value>,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The variants, each decoding `page` `n` times per block.
pub(crate) fn variants(page: &[u8]) -> Vec<Variant<'_>> {
    let op = ListLooks::new(ListLooksQuery::new().limit(50));
    // The defaults, as `parse` used before the limits became an argument.
    let limits = ResponseLimits::default();
    vec![
        Variant::new(PLAIN, move |n| {
            for _ in 0..n {
                let value: PlainLooksPage = serde_json::from_slice(page).map_err(err)?;
                black_box(value);
            }
            Ok(())
        }),
        Variant::new(SDK, move |n| {
            for _ in 0..n {
                let value = op.parse(http::Response::new(page), &limits).map_err(err)?;
                black_box(value);
            }
            Ok(())
        }),
        Variant::new(MODEL, move |n| {
            for _ in 0..n {
                let value: ListPage<Look> = serde_json::from_slice(page).map_err(err)?;
                black_box(value);
            }
            Ok(())
        }),
        Variant::new(SCAN_THEN_MODEL, move |n| {
            for _ in 0..n {
                let outer: Outer<'_> = serde_json::from_slice(page).map_err(err)?;
                black_box(&outer);
                let value: ListPage<Look> = serde_json::from_slice(page).map_err(err)?;
                black_box(value);
            }
            Ok(())
        }),
        Variant::new(MODEL_PATH, move |n| {
            for _ in 0..n {
                let mut de = serde_json::Deserializer::from_slice(page);
                let value: ListPage<Look> =
                    serde_path_to_error::deserialize(&mut de).map_err(err)?;
                black_box(value);
            }
            Ok(())
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn every_variant_decodes_the_page() {
        let page = fixtures::looks_page();
        for mut variant in variants(&page) {
            (variant.calls)(2).unwrap_or_else(|e| panic!("{}: {e}", variant.name));
        }
        let op = ListLooks::new(ListLooksQuery::new().limit(50));
        let decoded = op
            .parse(
                http::Response::new(page.as_slice()),
                &ResponseLimits::default(),
            )
            .unwrap();
        assert_eq!(decoded.data.len(), fixtures::LOOKS_PER_PAGE);
        assert!(
            decoded
                .data
                .iter()
                .all(|l| l.error.is_some() && !l.tags.is_empty())
        );
    }
}
