//! The bundled v3 endpoint schemas, made usable by a JSON Schema validator.
//!
//! The copy in `schemas/v3-endpoints.json` uses `OpenAPI` conventions that a plain JSON Schema
//! validator does not understand. On load this module rewrites them:
//! `nullable: true` becomes a `null` alternative, and every `oneOf` that carries a
//! `discriminator` is checked to pair each mapping key with the one variant that states it (a
//! one-value `enum` on the discriminating property), then the `discriminator` is dropped, so a
//! value matches exactly one variant (`video` is accepted as the old name of `digital_twin`).
//!
//! It also checks the emulator's own replies: a 2xx body against the endpoint's response
//! schema, any other against HeyGen's error envelope.

use std::sync::OnceLock;

use serde_json::{Map, Value, json};

const RAW: &str = include_str!("../schemas/v3-endpoints.json");

/// One query parameter of an endpoint, with the limits the schema declares.
#[derive(Debug, Clone)]
pub(crate) struct QueryParam {
    pub(crate) name: String,
    pub(crate) is_int: bool,
    pub(crate) min: Option<i64>,
    pub(crate) max: Option<i64>,
    pub(crate) allowed: Option<Vec<String>>,
    pub(crate) default: Option<String>,
}

/// One endpoint: its method, path template, query parameters and compiled schemas.
pub(crate) struct Endpoint {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query_params: Vec<QueryParam>,
    pub(crate) json_body: bool,
    request: Option<(Value, jsonschema::Validator)>,
    response: jsonschema::Validator,
}

/// All endpoints of the bundled schema file, plus HeyGen's error envelope.
pub(crate) struct Schemas {
    endpoints: Vec<Endpoint>,
    envelope: jsonschema::Validator,
}

/// A request body that breaks the schema: the offending parameter and a short message.
#[derive(Debug, Clone)]
pub(crate) struct SchemaViolation {
    pub(crate) param: String,
    pub(crate) message: String,
}

static SCHEMAS: OnceLock<Result<Schemas, String>> = OnceLock::new();

/// The loaded schemas, compiled once per process.
pub(crate) fn schemas() -> Result<&'static Schemas, String> {
    SCHEMAS
        .get_or_init(Schemas::load)
        .as_ref()
        .map_err(Clone::clone)
}

impl Schemas {
    fn load() -> Result<Self, String> {
        let root: Value =
            serde_json::from_str(RAW).map_err(|e| format!("bundled schema file: {e}"))?;
        let list = root
            .get("endpoints")
            .and_then(Value::as_array)
            .ok_or("bundled schema file has no endpoints")?;
        let mut endpoints = Vec::new();
        for e in list {
            let method = e["method"].as_str().unwrap_or_default().to_owned();
            let path = e["path"].as_str().unwrap_or_default().to_owned();
            let mut query_params = Vec::new();
            if let Some(qs) = e["query_params"].as_array() {
                for q in qs {
                    query_params.push(QueryParam {
                        name: q["name"].as_str().unwrap_or_default().to_owned(),
                        is_int: q["type"].as_str() == Some("int"),
                        min: q["min"].as_i64(),
                        max: q["max"].as_i64(),
                        allowed: q["enum"].as_array().map(|a| {
                            a.iter()
                                .filter_map(|v| v.as_str().map(str::to_owned))
                                .collect()
                        }),
                        default: q["default"].as_str().map(str::to_owned),
                    });
                }
            }
            let request = match &e["request_schema"] {
                Value::Null => None,
                s => {
                    let mut n = s.clone();
                    normalize(&mut n, &format!("{method} {path} request"))?;
                    let v = jsonschema::validator_for(&n)
                        .map_err(|m| format!("{method} {path} request: {m}"))?;
                    Some((n, v))
                }
            };
            let at = format!("{method} {path} response");
            let response = compile(&e["response_schema"], &at).map_err(|m| format!("{at}: {m}"))?;
            endpoints.push(Endpoint {
                json_body: e["body_encoding"].as_str() == Some("json"),
                method,
                path,
                query_params,
                request,
                response,
            });
        }
        let envelope = jsonschema::validator_for(&envelope_schema())
            .map_err(|e| format!("error envelope: {e}"))?;
        Ok(Self {
            endpoints,
            envelope,
        })
    }

    /// The endpoint for a method and a concrete (or template) path; literal segments win over
    /// `{placeholders}`.
    pub(crate) fn find(&self, method: &str, path: &str) -> Option<&Endpoint> {
        let mut best: Option<(&Endpoint, usize)> = None;
        for ep in &self.endpoints {
            if !ep.method.eq_ignore_ascii_case(method) {
                continue;
            }
            if let Some(literal) = ep.matches(path)
                && best.is_none_or(|(_, l)| literal > l)
            {
                best = Some((ep, literal));
            }
        }
        best.map(|(e, _)| e)
    }

    /// The methods some endpoint serves at this path, sorted and without repeats (the `Allow`
    /// header of a 405). Empty when the path is unknown.
    pub(crate) fn methods_at(&self, path: &str) -> Vec<&str> {
        let mut methods: Vec<&str> = self
            .endpoints
            .iter()
            .filter(|ep| ep.matches(path).is_some())
            .map(|ep| ep.method.as_str())
            .collect();
        methods.sort_unstable();
        methods.dedup();
        methods
    }

    /// Checks a reply the emulator is about to send: a 2xx body against the response schema of
    /// its endpoint, any other status against HeyGen's error envelope.
    ///
    /// # Errors
    /// Every problem found, or one message when no endpoint has a schema for it.
    pub(crate) fn check_reply(
        &self,
        method: &str,
        path: &str,
        status: u16,
        body: &Value,
    ) -> Result<(), Vec<String>> {
        if (200..300).contains(&status) {
            let ep = self
                .find(method, path)
                .ok_or_else(|| vec![format!("no response schema for {method} {path}")])?;
            ep.check_response(body)
        } else {
            errors_of(&self.envelope, body)
        }
    }
}

impl Endpoint {
    /// `Some(number of literal segments)` when `path` fits this endpoint's template.
    fn matches(&self, path: &str) -> Option<usize> {
        let path = path.trim_end_matches('/');
        let (mut segs, mut tsegs) = (path.split('/'), self.path.split('/'));
        let mut literal = 0;
        loop {
            match (tsegs.next(), segs.next()) {
                (None, None) => return Some(literal),
                (Some(t), Some(_)) if t.starts_with('{') => {}
                (Some(t), Some(s)) if t == s => literal += 1,
                _ => return None,
            }
        }
    }

    /// Checks a request body against the request schema.
    pub(crate) fn check_request(&self, body: &Value) -> Result<(), SchemaViolation> {
        let Some((schema, v)) = &self.request else {
            return Ok(());
        };
        let Some(err) = v.iter_errors(body).next() else {
            return Ok(());
        };
        Err(explain(&err, schema, body, "", 0))
    }

    /// Checks a response body against the response schema; returns every problem found.
    pub(crate) fn check_response(&self, body: &Value) -> Result<(), Vec<String>> {
        errors_of(&self.response, body)
    }
}

fn errors_of(v: &jsonschema::Validator, body: &Value) -> Result<(), Vec<String>> {
    let errs: Vec<String> = v
        .iter_errors(body)
        .map(|e| {
            let at = e.instance_path().as_str();
            format!(
                "{}: {}",
                if at.is_empty() { "(root)" } else { at },
                short(&e.to_string())
            )
        })
        .collect();
    if errs.is_empty() { Ok(()) } else { Err(errs) }
}

/// HeyGen's error envelope: `{"error": {"code", "message", "param"?, "doc_url"?}}`.
fn envelope_schema() -> Value {
    json!({
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "minLength": 1},
                    "message": {"type": "string", "minLength": 1},
                    "param": {"type": ["string", "null"]},
                    "doc_url": {"type": ["string", "null"]},
                },
            },
        },
    })
}

/// Validates a response body against the response schema of `method path`.
///
/// `path` may be concrete (`/v3/avatars/looks/abc`) or a template (`/v3/avatars/looks/{look_id}`).
///
/// # Errors
/// Returns the list of schema violations, or a single message when no endpoint matches.
pub fn validate_response(method: &str, path: &str, body: &Value) -> Result<(), Vec<String>> {
    let s = schemas().map_err(|e| vec![e])?;
    let path = path.split('?').next().unwrap_or(path);
    let ep = s
        .find(method, path)
        .ok_or_else(|| vec![format!("no schema for {method} {path}")])?;
    ep.check_response(body)
}

fn short(s: &str) -> String {
    if s.chars().count() > 160 {
        let mut t: String = s.chars().take(160).collect();
        t.push('…');
        t
    } else {
        s.to_owned()
    }
}

fn pointer_to_param(p: &str) -> String {
    p.trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

fn join_param(base: &str, field: &str) -> String {
    if base.is_empty() {
        field.to_owned()
    } else {
        format!("{base}.{field}")
    }
}

/// Explains a violation; for a failed `oneOf` it validates the value against the variant its
/// discriminator selects, so the message names the real problem inside that variant.
fn explain(
    err: &jsonschema::ValidationError<'_>,
    schema: &Value,
    body: &Value,
    prefix: &str,
    depth: usize,
) -> SchemaViolation {
    use jsonschema::error::ValidationErrorKind as K;
    if depth < 8 && matches!(err.kind(), K::OneOfNotValid { .. }) {
        let ptr = err.instance_path().as_str();
        let spath = err.schema_path().as_str();
        if let (Some(inst), Some(Value::Array(variants))) =
            (body.pointer(ptr), schema.pointer(spath))
        {
            let chosen = variants.iter().find(|v| {
                v["properties"].as_object().is_some_and(|props| {
                    props.iter().any(|(k, p)| {
                        p["enum"].as_array().is_some_and(|e| {
                            inst.get(k)
                                .is_some_and(|iv| iv.is_string() && e.contains(iv))
                        })
                    })
                })
            });
            if let Some(variant) = chosen
                && let Ok(vv) = jsonschema::validator_for(variant)
                && let Some(inner) = vv.iter_errors(inst).next()
            {
                let p = join_param(prefix, &pointer_to_param(ptr));
                return explain(&inner, variant, inst, &p, depth + 1);
            }
        }
    }
    let mut v = describe(err, body);
    if !prefix.is_empty() {
        v.param = if v.param == "body" {
            prefix.to_owned()
        } else {
            join_param(prefix, &v.param)
        };
        v.message = v.message.replace("`body`", &format!("`{prefix}`"));
        if !v.message.contains(prefix) {
            v.message = format!("{prefix}: {}", v.message);
        }
    }
    v
}

fn describe(err: &jsonschema::ValidationError<'_>, body: &Value) -> SchemaViolation {
    use jsonschema::error::ValidationErrorKind as K;
    let ptr = err.instance_path().as_str().to_owned();
    let base = pointer_to_param(&ptr);
    let at = body.pointer(&ptr);
    match err.kind() {
        K::Required { property } => {
            let name = property.as_str().unwrap_or("?").to_owned();
            SchemaViolation {
                param: join_param(&base, &name),
                message: format!("missing required field `{}`", join_param(&base, &name)),
            }
        }
        K::OneOfNotValid { .. } | K::OneOfMultipleValid { .. } => {
            let ty = at.and_then(|v| v.get("type")).and_then(Value::as_str);
            match ty {
                Some(t) => SchemaViolation {
                    param: join_param(&base, "type"),
                    message: format!(
                        "`{}` with type `{t}` is not valid (unknown type or wrong fields for it)",
                        if base.is_empty() { "body" } else { &base }
                    ),
                },
                None => SchemaViolation {
                    param: join_param(&base, "type"),
                    message: format!(
                        "`{}` needs a `type` that selects one of the allowed variants",
                        if base.is_empty() { "body" } else { &base }
                    ),
                },
            }
        }
        _ => SchemaViolation {
            param: if base.is_empty() {
                "body".to_owned()
            } else {
                base.clone()
            },
            message: short(&format!(
                "invalid value at `{}`: {err}",
                if base.is_empty() { "body" } else { &base }
            )),
        },
    }
}

fn compile(schema: &Value, at: &str) -> Result<jsonschema::Validator, String> {
    // The reference gives no response schema for some endpoints (`POST
    // /v3/assets/complete/batches`): any JSON is accepted there.
    let mut s = if schema.is_null() {
        json!(true)
    } else {
        schema.clone()
    };
    normalize(&mut s, at)?;
    jsonschema::validator_for(&s).map_err(|e| e.to_string())
}

/// Rewrites OpenAPI-only keywords into plain JSON Schema, children first. `at` names the spot
/// (for errors).
///
/// # Errors
/// When a discriminated `oneOf` does not pin each of its mapping's values on exactly one variant.
pub(crate) fn normalize(v: &mut Value, at: &str) -> Result<(), String> {
    match v {
        Value::Array(a) => {
            for (i, child) in a.iter_mut().enumerate() {
                normalize(child, &format!("{at}/{i}"))?;
            }
        }
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                normalize(child, &format!("{at}/{k}"))?;
            }
            pin_discriminator(m, at)?;
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
    Ok(())
}

/// Older names a discriminator value is also accepted under: `video` was the digital twin's
/// `type` before HeyGen renamed it (April 2026).
const OLD_NAMES: [(&str, &str); 1] = [("digital_twin", "video")];

/// Turns a `oneOf` + `discriminator` into a plain `oneOf` in which every value selects exactly
/// one variant.
///
/// The `CLI` code generator inlines each variant and drops its schema name, so the mapping's
/// `#/components/schemas/...` targets cannot be followed. Instead each variant states its own
/// value as a one-value `enum` on the discriminating property (the bundled file carries it),
/// and this function checks that the variants and the mapping's keys pair up one to one. A
/// variant without a value, a value the mapping does not list, two variants with one value, or
/// a key no variant takes is an error, so the emulator refuses to start rather than pin a
/// variant by guesswork.
fn pin_discriminator(m: &mut Map<String, Value>, at: &str) -> Result<(), String> {
    let Some(d) = m.remove("discriminator") else {
        return Ok(());
    };
    let prop = d
        .get("propertyName")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{at}: discriminator without propertyName"))?;
    let keys: Vec<&str> = d
        .get("mapping")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{at}: discriminator without mapping"))?
        .keys()
        .map(String::as_str)
        .collect();
    let variants = m
        .get_mut("oneOf")
        .and_then(Value::as_array_mut)
        .ok_or_else(|| format!("{at}: discriminator without oneOf"))?;
    let mut taken: Vec<String> = Vec::new();
    for (i, variant) in variants.iter_mut().enumerate() {
        let values = variant
            .get_mut("properties")
            .and_then(|p| p.get_mut(prop))
            .and_then(|p| p.get_mut("enum"))
            .and_then(Value::as_array_mut)
            .ok_or_else(|| {
                format!("{at}/oneOf/{i}: the variant does not state its `{prop}` value (enum)")
            })?;
        let value = match values.as_slice() {
            [Value::String(v)] => v.clone(),
            _ => {
                return Err(format!(
                    "{at}/oneOf/{i}: `{prop}` must be pinned to exactly one string value"
                ));
            }
        };
        if !keys.contains(&value.as_str()) {
            return Err(format!(
                "{at}/oneOf/{i}: `{prop}` value `{value}` is not in the discriminator mapping {keys:?}"
            ));
        }
        if taken.contains(&value) {
            return Err(format!(
                "{at}: two variants take the `{prop}` value `{value}`"
            ));
        }
        for (new, old) in OLD_NAMES {
            if value == new {
                values.push(Value::String(old.to_owned()));
            }
        }
        taken.push(value);
    }
    if let Some(missing) = keys.iter().find(|k| !taken.iter().any(|t| t == *k)) {
        return Err(format!(
            "{at}: no variant takes the discriminator value `{missing}`"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_load_and_pin_variants() {
        let s = schemas().unwrap();
        let ep = s.find("POST", "/v3/avatars").unwrap();
        let ok = json!({"type":"photo","name":"A","file":{"type":"url","url":"https://x/y.png"}});
        assert!(ep.check_request(&ok).is_ok());
        let twin = json!({"type":"video","name":"A","file":{"type":"asset_id","asset_id":"a"}});
        assert!(ep.check_request(&twin).is_ok());
        let bad = json!({"type":"photo","name":"A","file":{"type":"url","asset_id":"x"}});
        let e = ep.check_request(&bad).unwrap_err();
        assert_eq!(e.param, "file.url");
        let unknown = json!({"type":"photo","name":"A","file":{"type":"ftp","url":"x"}});
        assert_eq!(ep.check_request(&unknown).unwrap_err().param, "file.type");
        let missing = json!({"type":"prompt","name":"A"});
        assert_eq!(ep.check_request(&missing).unwrap_err().param, "prompt");
        let nested = json!({"type":"photo","name":"A","file":{"type":"url"}});
        assert_eq!(ep.check_request(&nested).unwrap_err().param, "file.url");
        let v = s.find("POST", "/v3/videos").unwrap();
        assert!(
            v.check_request(&json!({"type":"avatar","avatar_id":"l","script":"hi"}))
                .is_ok()
        );
        assert!(
            v.check_request(
                &json!({"type":"image","image":{"type":"url","url":"https://a/b.png"}})
            )
            .is_ok()
        );
        assert!(s.find("GET", "/v3/avatars/looks").unwrap().path == "/v3/avatars/looks");
        assert!(s.find("GET", "/v3/avatars/abc").unwrap().path == "/v3/avatars/{group_id}");
    }

    fn engine_union(v_tag: &str, iv_tag: &str, iii_tag: &str) -> Value {
        json!({
            "discriminator": {"propertyName": "type", "mapping": {
                "avatar_iii": "#/components/schemas/AvatarIIIEngineConfig",
                "avatar_iv": "#/components/schemas/AvatarIVEngineConfig",
                "avatar_v": "#/components/schemas/AvatarVEngineConfig",
            }},
            "oneOf": [
                {"type": "object", "required": ["type"], "properties": {
                    "type": {"type": "string", "enum": [v_tag]},
                    "reference_look_id": {"type": "string", "nullable": true}}},
                {"type": "object", "required": ["type"], "properties": {
                    "type": {"type": "string", "enum": [iv_tag]}}},
                {"type": "object", "required": ["type"], "properties": {
                    "type": {"type": "string", "enum": [iii_tag]}}},
            ],
        })
    }

    #[test]
    fn pinning_follows_the_values_the_variants_state() {
        let mut u = engine_union("avatar_v", "avatar_iv", "avatar_iii");
        normalize(&mut u, "engine").unwrap();
        assert!(u.get("discriminator").is_none());
        let v = jsonschema::validator_for(&u).unwrap();
        assert!(v.is_valid(&json!({"type": "avatar_iii", "reference_look_id": 5})));
        assert!(v.is_valid(&json!({"type": "avatar_v", "reference_look_id": "x"})));
        assert!(!v.is_valid(&json!({"type": "avatar_v", "reference_look_id": 5})));
        assert!(!v.is_valid(&json!({"type": "avatar_vi"})));
    }

    #[test]
    fn a_union_that_does_not_pair_up_refuses_to_load() {
        let cases = [
            (
                engine_union("avatar_v", "avatar_iv", "avatar_iv"),
                "two variants",
            ),
            (
                engine_union("avatar_v", "avatar_iv", "avatar_x"),
                "not in the discriminator",
            ),
            (
                {
                    let mut u = engine_union("avatar_v", "avatar_iv", "avatar_iii");
                    u["oneOf"][2]["properties"]["type"]
                        .as_object_mut()
                        .unwrap()
                        .remove("enum");
                    u
                },
                "does not state",
            ),
            (
                {
                    let mut u = engine_union("avatar_v", "avatar_iv", "avatar_iii");
                    u["oneOf"].as_array_mut().unwrap().pop();
                    u
                },
                "no variant takes the discriminator value `avatar_iii`",
            ),
        ];
        for (mut u, want) in cases {
            let e = normalize(&mut u, "/engine").unwrap_err();
            assert!(e.contains(want) && e.starts_with("/engine"), "{e}");
        }
    }

    /// Every discriminated union of the bundled file pairs its mapping with its variants (the
    /// loader would refuse it otherwise); this names the spot if the file is regenerated
    /// without the variants' values.
    fn count_unions(v: &Value, n: &mut usize) {
        match v {
            Value::Object(m) => {
                *n += usize::from(m.contains_key("discriminator"));
                m.values().for_each(|c| count_unions(c, n));
            }
            Value::Array(a) => a.iter().for_each(|c| count_unions(c, n)),
            _ => {}
        }
    }

    #[test]
    fn every_bundled_union_pairs_up() {
        let root: Value = serde_json::from_str(RAW).unwrap();
        let mut unions = 0;
        count_unions(&root, &mut unions);
        assert!(unions >= 20, "{unions}");
        let mut all = root["endpoints"].clone();
        normalize(&mut all, "").unwrap();
        let mut left = 0;
        count_unions(&all, &mut left);
        assert_eq!(left, 0);
    }

    #[test]
    fn replies_are_checked_by_status() {
        let s = schemas().unwrap();
        let video = json!({"data": {"id": "v1", "status": "completed"}});
        assert!(s.check_reply("GET", "/v3/videos/v1", 200, &video).is_ok());
        let bad = json!({"data": {"id": 5, "status": "done"}});
        let errs = s
            .check_reply("GET", "/v3/videos/v1", 200, &bad)
            .unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs.iter().any(|e| e.starts_with("/data/id")), "{errs:?}");
        let envelope = json!({"error": {"code": "not_found", "message": "gone"}});
        assert!(
            s.check_reply("GET", "/v3/videos/v1", 404, &envelope)
                .is_ok()
        );
        assert!(s.check_reply("GET", "/v3/videos/v1", 404, &video).is_err());
        let blank = json!({"error": {"code": "not_found", "message": ""}});
        assert!(s.check_reply("PUT", "/v3/videos", 405, &blank).is_err());
        assert!(s.check_reply("PUT", "/v3/videos", 200, &video).is_err());
    }

    #[test]
    fn methods_at_a_path() {
        let s = schemas().unwrap();
        assert_eq!(s.methods_at("/v3/videos"), ["GET", "POST"]);
        assert_eq!(
            s.methods_at("/v3/avatars/looks/x/"),
            ["DELETE", "GET", "PATCH"]
        );
        assert_eq!(s.methods_at("/v3/avatars/looks"), ["DELETE", "GET"]);
        assert!(s.methods_at("/v3/nothing/here").is_empty());
    }
}
