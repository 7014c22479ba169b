//! Proptest strategies that generate JSON values from the bundled v3 endpoint schemas
//! (`crates/heygen-emulator/schemas/v3-endpoints.json`), for the response-side schema contract.
//!
//! The bundled file uses `OpenAPI` keywords; [`normalize`] rewrites them the way the emulator's
//! loader does (`nullable` becomes a `null` alternative, a discriminated `oneOf` keeps the
//! one-value `enum` each variant states and drops the `discriminator`), and [`value`] generates
//! from the result:
//! - an object has every required property, each optional one half of the time and, one time in
//!   five, an extra member no schema names (HeyGen adds fields); an object with no declared
//!   properties is a small arbitrary map;
//! - a `null` alternative is taken one time in five; a `oneOf` picks one variant; an `enum` one
//!   of its values;
//! - a string is an id, a URL or an RFC 3339 date-time when its property name says so (`id`,
//!   `*_id`; `url`, `*_url`; `*_at`), any short text otherwise (empty and non-ASCII included);
//! - an integer or number whose name marks a quantity (`*_at`, `*_bytes`, `*_count`, `*_width`,
//!   `*_height`, `*_seconds`, `*_index`, `total_*`, `duration`, `start`, `end`, `seed`) is
//!   non-negative and below 2^31 (2^53 for bytes): the reference describes every such field in
//!   scope as a timestamp, size, count, pixel dimension, index (a voice design `seed` numbers a
//!   batch of results from 0) or span of seconds. Other integers and
//!   numbers are unconstrained (the file states no bounds): finite, small or large, any sign;
//! - an object with no declared properties named `*headers` holds header values (strings,
//!   numbers, booleans: the reference says they are sent verbatim on a request), one named
//!   `counts_by_*` holds counts (the reference: item counts keyed by status);
//! - an array has 0 to 3 items.
//!
//! Nothing here adds a constraint the schema lacks beyond the name hints above.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};
use serde_json::{Map, Number, Value, json};

const RAW: &str = include_str!("../../../heygen-emulator/schemas/v3-endpoints.json");

/// One endpoint of the bundled file, its schemas normalized.
pub(crate) struct Endpoint {
    pub(crate) method: String,
    pub(crate) path: String,
    /// `None` when the reference gives no request schema (no JSON body).
    pub(crate) request: Option<Value>,
    /// `None` when the reference gives no response schema.
    pub(crate) response: Option<Value>,
}

/// Every endpoint of the bundled file, normalized once per process.
pub(crate) fn endpoints() -> &'static [Endpoint] {
    static ENDPOINTS: OnceLock<Vec<Endpoint>> = OnceLock::new();
    ENDPOINTS.get_or_init(|| {
        let root: Value = serde_json::from_str(RAW).unwrap();
        root["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let schema = |which: &str| {
                    let mut s = e[which].clone();
                    (!s.is_null()).then(|| {
                        normalize(&mut s);
                        s
                    })
                };
                Endpoint {
                    method: e["method"].as_str().unwrap().to_owned(),
                    path: e["path"].as_str().unwrap().to_owned(),
                    request: schema("request_schema"),
                    response: schema("response_schema"),
                }
            })
            .collect()
    })
}

/// Rewrites the `OpenAPI` keywords into plain JSON Schema, children first, as the emulator's
/// loader does.
///
/// # Panics
/// When a discriminated `oneOf` has a variant that does not pin its discriminator to one value.
pub(crate) fn normalize(v: &mut Value) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(normalize),
        Value::Object(m) => {
            m.values_mut().for_each(normalize);
            if let Some(d) = m.remove("discriminator") {
                let prop = d["propertyName"].as_str().unwrap();
                for variant in m["oneOf"].as_array().unwrap() {
                    let pinned = &variant["properties"][prop]["enum"];
                    assert!(
                        pinned.as_array().is_some_and(|e| e.len() == 1),
                        "a variant does not pin `{prop}`: {variant}"
                    );
                }
            }
            if m.remove("nullable") == Some(Value::Bool(true)) {
                if let Some(Value::String(t)) = m.get("type").cloned() {
                    m.insert("type".into(), json!([t, "null"]));
                }
                if let Some(Value::Array(e)) = m.get_mut("enum") {
                    e.push(Value::Null);
                }
                if let Some(Value::Array(o)) = m.get_mut("oneOf") {
                    o.push(json!({"type": "null"}));
                }
            }
        }
        _ => {}
    }
}

/// Values valid against `schema` (normalized); `name` is the property the value sits in (`""`
/// at the top or in an array), which picks ids, URLs and timestamps.
pub(crate) fn value(schema: &Value, name: &str) -> BoxedStrategy<Value> {
    let Value::Object(m) = schema else {
        // `true` or anything unexpected: any small value.
        return leaf().boxed();
    };
    if let Some(Value::Array(values)) = m.get("enum") {
        return proptest::sample::select(values.clone()).boxed();
    }
    if let Some(Value::Array(variants)) = m.get("oneOf") {
        return Union::new(variants.iter().map(|v| value(v, name))).boxed();
    }
    match m.get("type") {
        Some(Value::Array(types)) => {
            let with_type = |t: &Value| {
                let mut one = m.clone();
                one.insert("type".into(), t.clone());
                Value::Object(one)
            };
            let non_null: Vec<BoxedStrategy<Value>> = types
                .iter()
                .filter(|t| t.as_str() != Some("null"))
                .map(|t| value(&with_type(t), name))
                .collect();
            let some = Union::new(non_null).boxed();
            if types.iter().any(|t| t == "null") {
                prop_oneof![1 => Just(Value::Null), 4 => some].boxed()
            } else {
                some
            }
        }
        Some(Value::String(t)) => match t.as_str() {
            "object" => object(m, name),
            "array" => {
                let items = m.get("items").cloned().unwrap_or(Value::Bool(true));
                proptest::collection::vec(value(&items, ""), 0..=3)
                    .prop_map(Value::Array)
                    .boxed()
            }
            "string" => match m.get("pattern") {
                // Only a narrowed schema of the tests has one; the bundled file has none.
                Some(pattern) => {
                    let check =
                        jsonschema::validator_for(&json!({"type": "string", "pattern": pattern}))
                            .unwrap();
                    string(name)
                        .prop_filter("pattern", move |v| check.is_valid(v))
                        .boxed()
                }
                None => string(name),
            },
            "integer" | "number" if m.contains_key("minimum") || m.contains_key("maximum") => {
                bounded(m, t == "integer")
            }
            "integer" => integer(name),
            "number" => number(name),
            "boolean" => any::<bool>().prop_map(Value::Bool).boxed(),
            "null" => Just(Value::Null).boxed(),
            other => panic!("unknown type {other}"),
        },
        _ => leaf().boxed(),
    }
}

fn object(m: &Map<String, Value>, name: &str) -> BoxedStrategy<Value> {
    let props = m
        .get("properties")
        .and_then(Value::as_object)
        .filter(|p| !p.is_empty());
    let Some(props) = props else {
        if name.ends_with("headers") {
            let header = prop_oneof![
                3 => "[ -~]{0,16}".prop_map(Value::String),
                1 => any::<u32>().prop_map(Value::from),
                1 => any::<bool>().prop_map(Value::Bool),
            ];
            return proptest::collection::btree_map("[A-Za-z][A-Za-z0-9-]{0,12}", header, 0..=3)
                .prop_map(|map| Value::Object(map.into_iter().collect()))
                .boxed();
        }
        if name.starts_with("counts_by_") {
            return proptest::collection::btree_map("[a-z_]{1,10}", integer("item_count"), 0..=3)
                .prop_map(|map| Value::Object(map.into_iter().collect()))
                .boxed();
        }
        return proptest::collection::btree_map("[a-z_]{1,8}", leaf(), 0..=3)
            .prop_map(|map| Value::Object(map.into_iter().collect()))
            .boxed();
    };
    let required: Vec<&str> = m
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let members: Vec<BoxedStrategy<Option<(String, Value)>>> = props
        .iter()
        .map(|(key, schema)| {
            let k = key.clone();
            let member = value(schema, key).prop_map(move |v| (k.clone(), v));
            if required.contains(&key.as_str()) {
                member.prop_map(Some).boxed()
            } else {
                proptest::option::of(member).boxed()
            }
        })
        .collect();
    let extra = proptest::option::weighted(0.2, ("x_new_[a-z]{1,6}", leaf()));
    (members, extra)
        .prop_map(|(members, extra)| {
            let mut out: Map<String, Value> = members.into_iter().flatten().collect();
            if let Some((k, v)) = extra {
                out.insert(k, v);
            }
            Value::Object(out)
        })
        .boxed()
}

fn string(name: &str) -> BoxedStrategy<Value> {
    let s: BoxedStrategy<String> = if name == "id" || name.ends_with("_id") {
        "[a-z]{1,6}_[0-9a-f]{4,24}".boxed()
    } else if name == "url" || name.ends_with("_url") {
        "https://[a-z]{1,10}\\.example\\.com/[a-zA-Z0-9/_.-]{0,24}(\\?[a-z]{1,5}=[a-zA-Z0-9]{1,8})?"
            .boxed()
    } else if name.ends_with("_at") {
        (0u64..4_102_444_800, any::<bool>())
            .prop_map(|(secs, zulu)| rfc3339(secs, zulu))
            .boxed()
    } else {
        prop_oneof![
            4 => "[a-zA-Z0-9 _.:-]{0,16}",
            1 => "\\PC{0,8}",
        ]
        .boxed()
    };
    s.prop_map(Value::String).boxed()
}

/// Whether a property name marks a non-negative quantity (see the module docs).
fn is_quantity(name: &str) -> bool {
    const SUFFIXES: [&str; 7] = [
        "_at", "_bytes", "_count", "_width", "_height", "_seconds", "_index",
    ];
    SUFFIXES.iter().any(|s| name.ends_with(s))
        || name.starts_with("total_")
        || ["duration", "start", "end", "seed"].contains(&name)
}

fn integer(name: &str) -> BoxedStrategy<Value> {
    if name.ends_with("_at") {
        return (0u64..4_102_444_800).prop_map(Value::from).boxed();
    }
    if name.ends_with("_bytes") {
        return prop_oneof![3 => 0u64..=100_000_000, 1 => 0u64..(1 << 53)]
            .prop_map(Value::from)
            .boxed();
    }
    if is_quantity(name) {
        return prop_oneof![3 => 0u64..=10_000, 1 => 0u64..(1 << 31)]
            .prop_map(Value::from)
            .boxed();
    }
    prop_oneof![
        3 => (0i64..=10_000).prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
    ]
    .boxed()
}

fn number(name: &str) -> BoxedStrategy<Value> {
    if is_quantity(name) {
        return prop_oneof![3 => 0.0f64..10_000.0, 1 => 0.0f64..2_147_483_648.0]
            .prop_map(|f| Value::Number(Number::from_f64(f).unwrap()))
            .boxed();
    }
    prop_oneof![
        3 => 0.0f64..10_000.0,
        1 => any::<f64>().prop_filter("finite", |f| f.is_finite()),
        1 => (0i32..1000).prop_map(f64::from),
    ]
    .prop_map(|f| Value::Number(Number::from_f64(f).unwrap()))
    .boxed()
}

/// A number within the schema's stated `minimum`/`maximum` (the bundled file states none today;
/// an unstated side is open up to 2^53).
fn bounded(m: &Map<String, Value>, integer: bool) -> BoxedStrategy<Value> {
    const OPEN: f64 = 9_007_199_254_740_992.0;
    let low = m.get("minimum").and_then(Value::as_f64).unwrap_or(-OPEN);
    let high = m.get("maximum").and_then(Value::as_f64).unwrap_or(OPEN);
    if integer {
        #[allow(
            clippy::cast_possible_truncation,
            reason = "bounds are within 2^53, where f64 holds every integer"
        )]
        let (low, high) = (low.ceil() as i64, high.floor() as i64);
        (low..=high).prop_map(Value::from).boxed()
    } else {
        (low..=high)
            .prop_map(|f| Value::Number(Number::from_f64(f).unwrap()))
            .boxed()
    }
}

/// A small value of any JSON type (objects and arrays one level deep).
fn leaf() -> impl Strategy<Value = Value> + Clone {
    let scalar = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        "[a-z0-9 ]{0,8}".prop_map(Value::String),
    ];
    scalar.prop_recursive(1, 6, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..=3).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z]{1,4}", inner, 0..=3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// `secs` since the epoch as RFC 3339, with `Z` or a `+00:00` offset.
fn rfc3339(secs: u64, zulu: bool) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (hour, minute, second) = (rem / 3600, rem % 3600 / 60, rem % 60);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let shifted = i64::try_from(days).unwrap() + 719_468;
    let era = shifted.div_euclid(146_097);
    let doe = shifted - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let zone = if zulu { "Z" } else { "+00:00" };
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{zone}")
}

/// The 2xx bodies of one endpoint: its response schema, with the top-level `data` member
/// required (the reference marks no envelope member required; a success without `data` carries
/// nothing an operation could return).
pub(crate) fn response_body(schema: &Value) -> BoxedStrategy<Value> {
    let mut schema = schema.clone();
    if schema["properties"].get("data").is_some() {
        let required = schema["required"].as_array().cloned().unwrap_or_default();
        if !required.contains(&json!("data")) {
            let mut required = required;
            required.push(json!("data"));
            schema["required"] = Value::Array(required);
        }
    }
    value(&schema, "")
}

/// Every problem `validator` finds in `value`, with its JSON path.
pub(crate) fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn generated_values_validate_against_their_schema() {
    // Every request and response schema of the file: what the generator makes, the schema takes.
    let mut checked = 0;
    for ep in endpoints() {
        for schema in [&ep.request, &ep.response].into_iter().flatten() {
            let validator = jsonschema::validator_for(schema).unwrap();
            let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(32));
            runner
                .run(&response_body(schema), |v| {
                    let errs = errors(&validator, &v);
                    prop_assert!(errs.is_empty(), "{} {}: {errs:?}\n{v}", ep.method, ep.path);
                    Ok(())
                })
                .unwrap();
            checked += 1;
        }
    }
    assert!(checked >= 50, "{checked}");
}

#[test]
fn the_generator_covers_each_kind_of_value() {
    // The generator must actually produce the shapes the contract relies on: optional members
    // both present and absent, `null` for a nullable, each enum value, each `oneOf` variant, and
    // an unknown extra member.
    let schema = {
        let mut s = json!({
            "type": "object",
            "required": ["id", "kind"],
            "properties": {
                "id": {"type": "string"},
                "video_url": {"type": "string", "nullable": true},
                "created_at": {"type": "integer"},
                "kind": {"type": "string", "enum": ["a", "b"]},
                "input": {
                    "discriminator": {"propertyName": "type", "mapping": {"x": "#/X", "y": "#/Y"}},
                    "oneOf": [
                        {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["x"]}}},
                        {"type": "object", "required": ["type", "n"], "properties": {"type": {"type": "string", "enum": ["y"]}, "n": {"type": "number"}}}
                    ]
                },
                "meta": {"type": "object", "properties": {}},
                "speed": {"type": "number", "minimum": 0.5, "maximum": 2.0},
                "limit": {"type": "integer", "minimum": 1, "maximum": 3}
            }
        });
        normalize(&mut s);
        s
    };
    let validator = jsonschema::validator_for(&schema).unwrap();
    let strategy = value(&schema, "");
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..400 {
        let v = strategy.new_tree(&mut runner).unwrap().current();
        assert!(errors(&validator, &v).is_empty(), "{v}");
        let o = v.as_object().unwrap();
        assert!(o["id"].as_str().is_some_and(|s| !s.is_empty()));
        seen.insert(format!("kind={}", o["kind"]));
        match o.get("video_url") {
            None => seen.insert("url absent".into()),
            Some(Value::Null) => seen.insert("url null".into()),
            Some(Value::String(u)) => {
                seen.insert(format!("url https {}", u.starts_with("https://")))
            }
            Some(other) => panic!("{other}"),
        };
        if let Some(t) = o.get("input").and_then(|i| i.get("type")) {
            seen.insert(format!("input={t}"));
        }
        if o.keys().any(|k| k.starts_with("x_new_")) {
            seen.insert("extra".into());
        }
        if let Some(speed) = o.get("speed") {
            assert!((0.5..=2.0).contains(&speed.as_f64().unwrap()), "{speed}");
        }
        if let Some(limit) = o.get("limit") {
            seen.insert(format!("limit={limit}"));
        }
        if let Some(at) = o.get("created_at") {
            assert!(at.as_u64().is_some(), "{at}");
        }
    }
    let want = [
        "kind=\"a\"",
        "kind=\"b\"",
        "url absent",
        "url null",
        "url https true",
        "input=\"x\"",
        "input=\"y\"",
        "extra",
        "limit=1",
        "limit=3",
    ];
    for w in want {
        assert!(seen.contains(w), "never generated {w}: {seen:?}");
    }
    assert!(!seen.contains("url https false"), "{seen:?}");
    assert!(
        !seen.iter().any(|k| k == "limit=0" || k == "limit=4"),
        "{seen:?}"
    );
}

#[test]
fn timestamps_are_rfc3339() {
    assert_eq!(rfc3339(0, true), "1970-01-01T00:00:00Z");
    assert_eq!(rfc3339(1_764_400_000, false), "2025-11-29T07:06:40+00:00");
    assert_eq!(rfc3339(951_782_400, true), "2000-02-29T00:00:00Z");
}
