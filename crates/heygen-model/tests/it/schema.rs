//! Schema-contract tests: everything the model serializes validates against the v3 JSON
//! Schemas in `crates/heygen-emulator/schemas/v3-endpoints.json`.
//!
//! The file uses OpenAPI `nullable: true` and `oneOf` + `discriminator` without `const`s; both
//! are translated into plain JSON Schema here before validating.

use std::sync::OnceLock;

use heygen_model::strategies::{self as s, Mode};
use heygen_model::*;
use proptest::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value, json};

const SCHEMAS: &str = include_str!("../../../heygen-emulator/schemas/v3-endpoints.json");

fn endpoints() -> &'static Vec<Value> {
    static ENDPOINTS: OnceLock<Vec<Value>> = OnceLock::new();
    ENDPOINTS.get_or_init(|| {
        let all: Value = serde_json::from_str(SCHEMAS).unwrap();
        all["endpoints"].as_array().unwrap().clone()
    })
}

fn required_names(variant: &Value) -> Vec<String> {
    let mut names: Vec<String> = variant["required"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if let Some(props) = variant["properties"].as_object() {
        names.extend(props.keys().cloned());
    }
    names
}

/// Picks the discriminator value of each `oneOf` variant from the mapping keys.
fn assign_tags(keys: &[String], variants: &[Value]) -> Vec<String> {
    let has = |v: &Value, name: &str| required_names(v).iter().any(|n| n == name);
    let mut tags: Vec<Option<String>> = variants
        .iter()
        .map(|v| {
            let guess = |key: &str| keys.iter().any(|k| k == key).then(|| key.to_owned());
            let is_array_avatar = v["properties"]["avatar_id"]["type"] == "array";
            if has(v, "scenes") {
                guess("studio")
            } else if is_array_avatar {
                guess("cinematic_avatar")
            } else if has(v, "prompt") && !has(v, "file") {
                guess("prompt")
            } else if has(v, "url") && !has(v, "asset_id") {
                guess("url")
            } else if has(v, "asset_id") && variant_props(v) == 2 {
                guess("asset_id")
            } else if has(v, "data") && has(v, "media_type") {
                guess("base64")
            } else if has(v, "reference_look_id") {
                guess("avatar_v")
            } else if has(v, "similarity_boost") {
                guess("elevenlabs")
            } else if has(v, "similarity") {
                guess("fish")
            } else if has(v, "input") {
                guess("avatar_video")
            } else if has(v, "playback") {
                guess("video")
            } else if has(v, "avatar_id") {
                guess("avatar")
            } else if has(v, "image") || (has(v, "source") && has(v, "script")) {
                guess("image")
            } else if has(v, "color") {
                guess("color")
            } else {
                None
            }
        })
        .collect();
    // Structurally identical variants (photo / digital_twin, avatar_iii / avatar_iv, …) take the
    // remaining keys in order; identical shapes make the order irrelevant.
    let mut remaining: Vec<String> = keys
        .iter()
        .filter(|k| !tags.iter().any(|t| t.as_deref() == Some(k.as_str())))
        .cloned()
        .collect();
    for tag in &mut tags {
        if tag.is_none() {
            assert!(
                !remaining.is_empty(),
                "cannot assign discriminator for {keys:?}"
            );
            *tag = Some(remaining.remove(0));
        }
    }
    tags.into_iter().map(Option::unwrap).collect()
}

fn variant_props(v: &Value) -> usize {
    v["properties"].as_object().map_or(0, Map::len)
}

/// Translates OpenAPI `nullable` and discriminators into JSON Schema.
fn to_json_schema(schema: &Value) -> Value {
    match schema {
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        Value::Object(object) => {
            let mut out: Map<String, Value> = object
                .iter()
                .map(|(k, v)| (k.clone(), to_json_schema(v)))
                .collect();
            if let (Some(Value::Array(variants)), Some(discriminator)) =
                (out.get("oneOf").cloned(), object.get("discriminator"))
            {
                let property = discriminator["propertyName"].as_str().unwrap().to_owned();
                let keys: Vec<String> = discriminator["mapping"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect();
                let tags = assign_tags(&keys, &variants);
                let variants: Vec<Value> = variants
                    .into_iter()
                    .zip(tags)
                    .map(|(mut v, tag)| {
                        v["properties"][&property] = json!({"type": "string", "const": tag});
                        v
                    })
                    .collect();
                out.insert("oneOf".into(), Value::Array(variants));
                out.remove("discriminator");
            }
            if out.remove("nullable") == Some(Value::Bool(true)) {
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    values.push(Value::Null);
                }
                if let Some(Value::String(t)) = out.get("type").cloned() {
                    out.insert("type".into(), json!([t, "null"]));
                } else if let Some(Value::Array(variants)) = out.get_mut("oneOf") {
                    variants.push(json!({"type": "null"}));
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn validator(method: &str, path: &str, which: &str) -> jsonschema::Validator {
    let endpoint = endpoints()
        .iter()
        .find(|e| e["method"] == method && e["path"] == path)
        .unwrap_or_else(|| panic!("no schema for {method} {path}"));
    let schema = to_json_schema(&endpoint[which]);
    jsonschema::validator_for(&schema).unwrap()
}

struct Contract {
    validator: jsonschema::Validator,
    wrap: bool,
    name: &'static str,
}

impl Contract {
    fn request(method: &str, path: &str, name: &'static str) -> Self {
        Self {
            validator: validator(method, path, "request_schema"),
            wrap: false,
            name,
        }
    }
    fn response(method: &str, path: &str, name: &'static str) -> Self {
        Self {
            validator: validator(method, path, "response_schema"),
            wrap: true,
            name,
        }
    }
    fn page(method: &str, path: &str, name: &'static str) -> Self {
        Self {
            validator: validator(method, path, "response_schema"),
            wrap: false,
            name,
        }
    }
    fn check<T: Serialize>(&self, value: &T) -> Result<(), TestCaseError> {
        let mut json = serde_json::to_value(value).unwrap();
        if self.wrap {
            json = json!({ "data": json });
        }
        let errors: Vec<String> = self
            .validator
            .iter_errors(&json)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        prop_assert!(errors.is_empty(), "{}: {:?}\n{}", self.name, errors, json);
        Ok(())
    }
}

macro_rules! contract_tests {
    ($($test:ident: $contract:expr => $strategy:expr;)*) => {
        $(
            #[test]
            fn $test() {
                let contract = $contract;
                proptest!(ProptestConfig::with_cases(64), |(value in $strategy)| {
                    contract.check(&value)?;
                });
            }
        )*
    };
}

contract_tests! {
    schema_create_avatar_request: Contract::request("POST", "/v3/avatars", "create avatar") => s::create_avatar_request();
    schema_create_consent_request: Contract::request("POST", "/v3/avatars/{group_id}/consent", "consent") => s::create_consent_request();
    schema_update_look_request: Contract::request("PATCH", "/v3/avatars/looks/{look_id}", "update look") => s::update_look_request();
    schema_create_direct_upload_request: Contract::request("POST", "/v3/assets/direct-uploads", "direct upload") => s::create_direct_upload_request();
    schema_complete_upload_request: Contract::request("POST", "/v3/assets/{asset_id}/complete", "complete upload") => s::complete_upload_request();
    schema_create_video_request: Contract::request("POST", "/v3/videos", "create video") => s::create_video_request(Mode::KnownOnly);
    schema_create_avatar_response: Contract::response("POST", "/v3/avatars", "create avatar response") => s::create_avatar_response(Mode::KnownOnly);
    schema_consent_response: Contract::response("POST", "/v3/avatars/{group_id}/consent", "consent response") => s::consent_response(Mode::KnownOnly);
    schema_avatar_group: Contract::response("GET", "/v3/avatars/{group_id}", "group") => s::avatar_group(Mode::KnownOnly);
    schema_look: Contract::response("GET", "/v3/avatars/looks/{look_id}", "look") => s::look(Mode::KnownOnly);
    schema_updated_look: Contract::response("PATCH", "/v3/avatars/looks/{look_id}", "updated look") => s::look(Mode::KnownOnly);
    schema_groups_page: Contract::page("GET", "/v3/avatars", "groups page") => s::list_page(s::avatar_group(Mode::KnownOnly));
    schema_looks_page: Contract::page("GET", "/v3/avatars/looks", "looks page") => s::list_page(s::look(Mode::KnownOnly));
    schema_videos_page: Contract::page("GET", "/v3/videos", "videos page") => s::list_page(s::video(Mode::KnownOnly));
    schema_asset: Contract::response("POST", "/v3/assets", "asset") => s::asset();
    schema_direct_upload: Contract::response("POST", "/v3/assets/direct-uploads", "direct upload response") => s::direct_upload(Mode::KnownOnly);
    schema_completed_upload: Contract::response("POST", "/v3/assets/{asset_id}/complete", "completed upload") => s::completed_upload(Mode::KnownOnly);
    schema_create_video_response: Contract::response("POST", "/v3/videos", "create video response") => s::create_video_response(Mode::KnownOnly);
    schema_video: Contract::response("GET", "/v3/videos/{video_id}", "video") => s::video(Mode::KnownOnly);
    schema_deleted_video: Contract::response("DELETE", "/v3/videos/{video_id}", "deleted video") => s::deleted_resource();
    schema_deleted_group: Contract::response("DELETE", "/v3/avatars/{group_id}", "deleted group") => s::deleted_resource();
    schema_deleted_look: Contract::response("DELETE", "/v3/avatars/looks/{look_id}", "deleted look") => s::deleted_resource();
    schema_user: Contract::response("GET", "/v3/users/me", "user") => s::user(Mode::KnownOnly);
}

#[test]
fn schema_hand_written_requests() {
    let png = b"\x89PNG\r\n\x1a\n0000";
    let avatar = Contract::request("POST", "/v3/avatars", "avatar");
    let video = Contract::request("POST", "/v3/videos", "video");
    let consent = Contract::request("POST", "/v3/avatars/{group_id}/consent", "consent");
    let look = || LookId::new("look_0001").unwrap();
    let run = || -> Result<(), TestCaseError> {
        avatar.check(&CreateAvatarRequest::DigitalTwin(CreateDigitalTwin::new(
            "Twin A",
            AssetInput::url("https://example.com/footage.mp4"),
        )))?;
        avatar.check(&CreateAvatarRequest::Photo(CreatePhotoAvatar::new(
            "Photo A",
            AssetInput::base64_from_bytes("image/png", png).unwrap(),
        )))?;
        avatar.check(&CreateAvatarRequest::Prompt(
            CreatePromptAvatar::new("P", "A presenter")
                .reference_images(vec![AssetInput::asset_id(
                    AssetId::new("asset_0001").unwrap(),
                )])
                .avatar_group_id(AvatarGroupId::new("grp_0001").unwrap()),
        ))?;
        video.check(&CreateVideoRequest::Avatar(
            CreateAvatarVideo::new(look()).script("Hello"),
        ))?;
        video.check(&CreateVideoRequest::Avatar(
            CreateAvatarVideo::new(look())
                .script("Hello")
                .voice_id(VoiceId::new("voice_1").unwrap())
                .voice_settings(VoiceSettings::new().speed(1.25).locale("en-US"))
                .title("T")
                .background(Background::color("#00FF00"))
                .engine(EngineConfig::new(VideoEngine::AvatarV).reference_look_id(look()))
                .aspect_ratio(AspectRatio::Portrait9x16)
                .resolution(Resolution::Fhd1080p)
                .output_format(OutputFormat::Webm)
                .callback_url("https://example.com/hook")
                .callback_id("job-1"),
        ))?;
        video.check(&CreateVideoRequest::Avatar(
            CreateAvatarVideo::new(look())
                .audio_url("https://example.com/a.mp3")
                .voice_settings(
                    VoiceSettings::new().engine_settings(
                        VoiceEngineSettings::new(VoiceEngineType::Elevenlabs)
                            .model("eleven_v3")
                            .stability(0.5),
                    ),
                )
                .caption(Caption::new())
                .watermark(Watermark::new(AssetInput::url(
                    "https://example.com/logo.png",
                ))),
        ))?;
        video.check(&CreateVideoRequest::Image(
            CreateImageVideo::new(AssetInput::url("https://example.com/face.png"))
                .audio_asset_id(AssetId::new("asset_2").unwrap()),
        ))?;
        consent.check(&CreateConsentRequest::new())?;
        consent.check(
            &CreateConsentRequest::new()
                .consent_text("I agree")
                .reroute_url("https://example.com"),
        )?;
        consent.check(
            &CreateConsentRequest::new()
                .consent_video(AssetInput::url("https://example.com/c.mp4")),
        )?;
        Ok(())
    };
    run().unwrap();
}

#[test]
fn schema_rejects_what_the_model_must_never_send() {
    // Guards the translation above: a null optional and a wrong discriminator must fail.
    let avatar = validator("POST", "/v3/avatars", "request_schema");
    assert!(!avatar.is_valid(
        &json!({"type":"video","name":"A","file":{"type":"url","url":"https://e.com/a"}})
    ));
    assert!(avatar.is_valid(
        &json!({"type":"digital_twin","name":"A","file":{"type":"url","url":"https://e.com/a"}})
    ));
    let video = validator("GET", "/v3/videos/{video_id}", "response_schema");
    assert!(!video.is_valid(&json!({"data":{"id":"v","status":"waiting"}})));
    assert!(video.is_valid(&json!({"data":{"id":"v","status":"pending","title":null}})));
}

/// The webhook requests and the response shapes the SDK reads, against the bundled
/// `/v3/webhooks…` schemas.
#[test]
fn schema_webhooks() {
    use heygen_model::webhook::{
        CreateWebhookEndpointRequest, RotatedWebhookSecret, UpdateWebhookEndpointRequest,
        WebhookEndpoint, WebhookEventRecord,
    };
    let create = Contract::request("POST", "/v3/webhooks/endpoints", "create endpoint");
    let update = Contract::request(
        "PATCH",
        "/v3/webhooks/endpoints/{endpoint_id}",
        "update endpoint",
    );
    let endpoint = Contract::response("POST", "/v3/webhooks/endpoints", "endpoint");
    let rotated = Contract::response(
        "POST",
        "/v3/webhooks/endpoints/{endpoint_id}/rotate-secret",
        "rotated",
    );
    let events = Contract::page("GET", "/v3/webhooks/events", "events page");
    let run = || -> Result<(), TestCaseError> {
        create.check(&CreateWebhookEndpointRequest::new(
            "https://example.com/hook",
        ))?;
        create.check(
            &CreateWebhookEndpointRequest::new("http://127.0.0.1:9/hook")
                .events(["avatar_video.success", "instant_avatar.fail"])
                .entity_id("proj_1"),
        )?;
        update.check(&UpdateWebhookEndpointRequest::new())?;
        update.check(
            &UpdateWebhookEndpointRequest::new()
                .url("https://example.com/new")
                .events(["batch.finished"]),
        )?;
        let read: WebhookEndpoint = serde_json::from_value(json!({
            "endpoint_id": "ep_1", "url": "https://example.com/h", "status": "enabled",
            "events": null, "secret": "whsec_X", "created_at": "2026-12-06T10:00:00Z"
        }))
        .unwrap();
        endpoint.check(&read)?;
        let secret: RotatedWebhookSecret =
            serde_json::from_value(json!({"endpoint_id": "ep_1", "secret": "whsec_Y"})).unwrap();
        rotated.check(&secret)?;
        let record: WebhookEventRecord = serde_json::from_value(json!({
            "event_id": "evt_1", "event_type": "avatar_video.success",
            "event_data": {"video_id": "vid_1"}, "created_at": "2026-12-06T10:00:00Z"
        }))
        .unwrap();
        events.check(&json!({"data": [record], "has_more": false, "next_token": null}))?;
        Ok(())
    };
    run().unwrap();
}
