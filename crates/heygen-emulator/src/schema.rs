//! The bundled v3 endpoint schemas, made usable by a JSON Schema validator.
//!
//! The copy in `schemas/v3-endpoints.json` uses `OpenAPI` conventions that a plain JSON Schema
//! validator does not understand. On load this module rewrites them:
//! `nullable: true` becomes a `null` alternative, and every `oneOf` that carries a
//! `discriminator` gets an `enum` on the discriminating property of each variant so that a value
//! matches exactly one variant (`video` is accepted as the old name of `digital_twin`).

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

/// All endpoints of the bundled schema file.
pub(crate) struct Schemas {
    endpoints: Vec<Endpoint>,
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
                    normalize(&mut n);
                    let v = jsonschema::validator_for(&n)
                        .map_err(|m| format!("{method} {path} request: {m}"))?;
                    Some((n, v))
                }
            };
            let response = compile(&e["response_schema"])
                .map_err(|m| format!("{method} {path} response: {m}"))?;
            endpoints.push(Endpoint {
                json_body: e["body_encoding"].as_str() == Some("json"),
                method,
                path,
                query_params,
                request,
                response,
            });
        }
        Ok(Self { endpoints })
    }

    /// The endpoint for a method and a concrete (or template) path; literal segments win over
    /// `{placeholders}`.
    pub(crate) fn find(&self, method: &str, path: &str) -> Option<&Endpoint> {
        let segs: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let mut best: Option<(&Endpoint, usize)> = None;
        for ep in &self.endpoints {
            if !ep.method.eq_ignore_ascii_case(method) {
                continue;
            }
            let tsegs: Vec<&str> = ep.path.split('/').collect();
            if tsegs.len() != segs.len() {
                continue;
            }
            let mut literal = 0;
            let mut ok = true;
            for (t, s) in tsegs.iter().zip(&segs) {
                if t.starts_with('{') {
                    continue;
                }
                if t == s {
                    literal += 1;
                } else {
                    ok = false;
                    break;
                }
            }
            if ok && best.is_none_or(|(_, l)| literal > l) {
                best = Some((ep, literal));
            }
        }
        best.map(|(e, _)| e)
    }
}

impl Endpoint {
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
        let errs: Vec<String> = self
            .response
            .iter_errors(body)
            .map(|e| format!("{}: {}", e.instance_path().as_str(), short(&e.to_string())))
            .collect();
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }
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

fn compile(schema: &Value) -> Result<jsonschema::Validator, String> {
    let mut s = schema.clone();
    normalize(&mut s);
    jsonschema::validator_for(&s).map_err(|e| e.to_string())
}

/// Rewrites OpenAPI-only keywords into plain JSON Schema, children first.
pub(crate) fn normalize(v: &mut Value) {
    match v {
        Value::Array(a) => a.iter_mut().for_each(normalize),
        Value::Object(m) => {
            for (_, child) in m.iter_mut() {
                normalize(child);
            }
            pin_discriminator(m);
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

/// The field that tells a discriminated variant apart from its siblings, by schema name.
fn hint_for(schema_name: &str) -> Option<&'static str> {
    Some(match schema_name {
        "CreatePromptAvatarRequest" | "CreateVideoFromCinematicAvatar" => "prompt",
        "AssetUrl" => "url",
        "AssetId" => "asset_id",
        "AssetBase64" => "data",
        "CreateVideoFromImage" | "StudioImageInput" => "image",
        "CreateVideoFromStudio" => "scenes",
        "AvatarIIIEngineConfig" => "reference_look_id",
        "ElevenLabsEngineSettings" => "similarity_boost",
        "FishEngineSettings" => "similarity",
        "AvatarVideoScene" => "input",
        "ImageScene" => "duration",
        "VideoScene" => "playback",
        "StudioAvatarInput" => "avatar_id",
        _ => return None,
    })
}

fn has_field(variant: &Value, field: &str, in_required: bool) -> bool {
    if in_required {
        variant["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|x| x.as_str() == Some(field)))
    } else {
        variant["properties"].get(field).is_some()
    }
}

fn pin_discriminator(m: &mut Map<String, Value>) {
    let Some(Value::Object(d)) = m.remove("discriminator") else {
        return;
    };
    let Some(prop) = d.get("propertyName").and_then(Value::as_str) else {
        return;
    };
    let mapping: Vec<(String, String)> = d
        .get("mapping")
        .and_then(Value::as_object)
        .map(|mm| {
            mm.iter()
                .map(|(k, r)| {
                    let name = r.as_str().unwrap_or_default();
                    let name = name.rsplit('/').next().unwrap_or(name).to_owned();
                    (k.clone(), name)
                })
                .collect()
        })
        .unwrap_or_default();
    let Some(Value::Array(variants)) = m.get_mut("oneOf") else {
        return;
    };
    let mut assigned: Vec<Option<String>> = vec![None; variants.len()];
    for (key, name) in &mapping {
        let Some(hint) = hint_for(name) else { continue };
        let pick = |req: bool, assigned: &[Option<String>]| {
            (0..variants.len())
                .find(|&i| assigned[i].is_none() && has_field(&variants[i], hint, req))
        };
        if let Some(i) = pick(true, &assigned).or_else(|| pick(false, &assigned)) {
            assigned[i] = Some(key.clone());
        }
    }
    for (key, _) in &mapping {
        if assigned.iter().any(|a| a.as_deref() == Some(key)) {
            continue;
        }
        if let Some(i) = assigned.iter().position(Option::is_none) {
            assigned[i] = Some(key.clone());
        }
    }
    for (variant, key) in variants.iter_mut().zip(assigned) {
        let Some(key) = key else { continue };
        let mut allowed = vec![Value::String(key.clone())];
        if key == "digital_twin" {
            allowed.push(Value::String("video".into()));
        }
        if let Some(props) = variant.get_mut("properties").and_then(Value::as_object_mut) {
            props.insert(prop.to_owned(), json!({"type": "string", "enum": allowed}));
        }
    }
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
}
