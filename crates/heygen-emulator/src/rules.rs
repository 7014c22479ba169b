//! Request rules that the JSON Schemas do not carry (limits, formats, combinations).
//!
//! Every rule here is one that HeyGen's reference states (`api-notes`, a field's description, or
//! a documented failure case), unless it is marked strict: those run only with
//! [`EmulatorOptions::strict`](crate::EmulatorOptions::strict) and are listed in
//! `docs/emulator.md`.

use base64::Engine as _;
use serde_json::Value;

use crate::reply::ApiError;
use crate::state::State;
use crate::webhook;

/// Longest prompt of a prompt avatar, in characters.
pub const MAX_PROMPT_CHARS: usize = 1000;
/// Most reference images of a prompt avatar.
pub const MAX_REFERENCE_IMAGES: usize = 3;
/// Largest direct upload in strict mode, in bytes (the most one presigned `PUT` to object storage
/// takes; HeyGen's reference names no limit).
pub const MAX_DIRECT_UPLOAD_BYTES: u64 = 5 * 1024 * 1024 * 1024;

/// The file types `POST /v3/assets` takes (png, jpeg, mp4, webm, mp3, wav, pdf, srt); in strict
/// mode also the only types of base64 inputs and direct uploads.
pub(crate) const SUPPORTED_MIME: [&str; 9] = [
    "image/png",
    "image/jpeg",
    "video/mp4",
    "video/webm",
    "audio/mpeg",
    "audio/wav",
    "audio/x-wav",
    "application/pdf",
    "application/x-subrip",
];

/// Detects a file type from its first bytes.
pub(crate) fn sniff(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("image/png")
    } else if b.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if b.starts_with(b"PK\x03\x04") {
        Some("application/zip")
    } else if b.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if b.len() >= 8 && &b[4..8] == b"ftyp" {
        Some("video/mp4")
    } else if b.starts_with(&[0x1a, 0x45, 0xdf, 0xa3]) {
        Some("video/webm")
    } else if b.starts_with(b"ID3") || (b.len() >= 2 && b[0] == 0xff && b[1] & 0xe0 == 0xe0) {
        Some("audio/mpeg")
    } else if b.len() >= 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WAVE" {
        Some("audio/wav")
    } else {
        let head = String::from_utf8_lossy(&b[..b.len().min(256)]);
        let first = head
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap_or("");
        if !first.is_empty()
            && first.trim().chars().all(|c| c.is_ascii_digit())
            && head.contains("-->")
        {
            Some("application/x-subrip")
        } else {
            None
        }
    }
}

/// Whether bytes recognised as `found` fit a declared (canonical) `declared` type. Every ISO
/// base media file (`ftyp`) is recognised as `video/mp4`, so it also fits the other types of
/// that family.
pub(crate) fn same_media(found: &str, declared: &str) -> bool {
    const ISO_BMFF: [&str; 6] = [
        "video/mp4",
        "video/quicktime",
        "video/x-m4v",
        "audio/mp4",
        "audio/x-m4a",
        "audio/m4a",
    ];
    found == declared || (found == "video/mp4" && ISO_BMFF.contains(&declared))
}

/// Normalizes MIME aliases (`audio/x-wav` → `audio/wav`).
pub(crate) fn canonical_mime(m: &str) -> String {
    let m = m.split(';').next().unwrap_or(m).trim().to_ascii_lowercase();
    match m.as_str() {
        "audio/x-wav" | "audio/wave" => "audio/wav".into(),
        "image/jpg" => "image/jpeg".into(),
        "audio/mp3" => "audio/mpeg".into(),
        "text/srt" | "application/srt" => "application/x-subrip".into(),
        _ => m,
    }
}

fn bad(param: &str, message: impl Into<String>) -> ApiError {
    ApiError::invalid(param, message)
}

fn join(base: &str, f: &str) -> String {
    if base.is_empty() {
        f.to_owned()
    } else {
        format!("{base}.{f}")
    }
}

/// An absolute `https://host/...` URL.
pub(crate) fn is_https_url(u: &str) -> bool {
    has_host_after(u, "https://")
}

/// An absolute `http://` or `https://` URL.
fn is_http_url(u: &str) -> bool {
    is_https_url(u) || has_host_after(u, "http://")
}

fn has_host_after(u: &str, scheme: &str) -> bool {
    u.get(..scheme.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
        && u[scheme.len()..]
            .split(['/', '?', '#'])
            .next()
            .is_some_and(|host| !host.is_empty())
        && !u.chars().any(char::is_whitespace)
}

/// A URL field the reference calls a URL without asking for https (`audio_url`, `callback_url`,
/// `background.url`, `reroute_url`): an absolute http(s) URL; https only in strict mode.
fn check_url(u: &str, param: &str, strict: bool) -> Result<(), ApiError> {
    if strict && !is_https_url(u) {
        return Err(bad(
            param,
            format!("`{param}` must be an absolute https:// URL (strict mode)"),
        ));
    }
    if !is_http_url(u) {
        return Err(bad(
            param,
            format!("`{param}` must be an absolute http(s) URL"),
        ));
    }
    Ok(())
}

/// `type/subtype`, each a non-empty token (parameters after `;` allowed).
fn is_mime_type(m: &str) -> bool {
    let essence = m.split(';').next().unwrap_or_default().trim();
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    essence
        .split_once('/')
        .is_some_and(|(t, s)| token(t) && token(s))
}

/// A declared media type: a MIME type; in strict mode one of [`SUPPORTED_MIME`].
fn check_media_type(m: &str, param: &str, strict: bool) -> Result<(), ApiError> {
    if !is_mime_type(m) {
        return Err(bad(param, format!("`{m}` is not a MIME type")));
    }
    if strict && !SUPPORTED_MIME.contains(&canonical_mime(m).as_str()) {
        return Err(bad(
            param,
            format!(
                "unsupported {param} `{m}` (strict mode: png, jpeg, mp4, webm, mp3, wav, pdf, srt)"
            ),
        ));
    }
    Ok(())
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What media an asset input must carry.
#[derive(Clone, Copy)]
enum Want {
    Any,
    Image,
    Video,
}

impl Want {
    fn ok(self, mime: &str) -> bool {
        match self {
            Want::Any => true,
            Want::Image => mime.starts_with("image/"),
            Want::Video => mime.starts_with("video/"),
        }
    }
    fn name(self) -> &'static str {
        match self {
            Want::Any => "a supported file",
            Want::Image => "an image",
            Want::Video => "a video",
        }
    }
}

/// Checks one `AssetInput` object (`url`, `asset_id` or `base64`).
fn check_asset_input(
    v: &Value,
    path: &str,
    want: Want,
    state: &State,
    strict: bool,
) -> Result<(), ApiError> {
    let Some(t) = v.get("type").and_then(Value::as_str) else {
        return Ok(());
    };
    match t {
        "url" => {
            let u = v.get("url").and_then(Value::as_str).unwrap_or_default();
            if !is_https_url(u) {
                return Err(bad(
                    &join(path, "url"),
                    "asset URLs must be absolute public https:// URLs",
                ));
            }
        }
        "asset_id" => {
            let id = v
                .get("asset_id")
                .and_then(Value::as_str)
                .unwrap_or_default();
            check_asset_id(id, &join(path, "asset_id"), want, state)?;
        }
        "base64" => {
            let data = v.get("data").and_then(Value::as_str).unwrap_or_default();
            let mt = v
                .get("media_type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let dp = join(path, "data");
            let mp = join(path, "media_type");
            if data.trim_start().to_ascii_lowercase().starts_with("data:") {
                return Err(bad(
                    &dp,
                    "send raw base64 without a data: URI prefix; put the MIME type in media_type",
                ));
            }
            if data.chars().any(char::is_whitespace) {
                return Err(bad(
                    &dp,
                    "base64 data must not contain whitespace or line breaks",
                ));
            }
            if data.is_empty() {
                return Err(bad(&dp, "base64 data is empty"));
            }
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .map_err(|_| bad(&dp, "data is not valid standard base64 (with padding)"))?;
            check_media_type(mt, &mp, strict)?;
            let declared = canonical_mime(mt);
            if let Some(real) = sniff(&bytes)
                && real != declared
            {
                return Err(bad(&mp, format!("data is {real} but media_type says {mt}")));
            }
            if !want.ok(&declared) {
                return Err(bad(&mp, format!("this field needs {}", want.name())));
            }
        }
        _ => {}
    }
    Ok(())
}

/// An `asset_id` must name a completed asset of the right kind.
fn check_asset_id(id: &str, param: &str, want: Want, state: &State) -> Result<(), ApiError> {
    let Some(a) = state.assets.get(id) else {
        return Err(bad(param, format!("asset `{id}` does not exist")));
    };
    if !a.is_complete() {
        return Err(ApiError::new(
            400,
            "asset_not_available",
            format!("asset `{id}` is not complete yet: finish the upload first"),
        )
        .param(param));
    }
    if !want.ok(&a.mime) {
        return Err(bad(
            param,
            format!(
                "asset `{id}` is {} but this field needs {}",
                a.mime,
                want.name()
            ),
        ));
    }
    Ok(())
}

/// Walks a body and checks every asset input, `*_asset_id` and URL field.
fn walk_assets(v: &Value, path: &str, state: &State, strict: bool) -> Result<(), ApiError> {
    match v {
        Value::Object(m) => {
            if matches!(
                m.get("type").and_then(Value::as_str),
                Some("url" | "asset_id" | "base64")
            ) && (m.contains_key("url") || m.contains_key("asset_id") || m.contains_key("data"))
            {
                check_asset_input(v, path, Want::Any, state, strict)?;
            }
            let in_background = path == "background" || path.ends_with(".background");
            for (k, child) in m {
                let p = join(path, k);
                match (k.as_str(), child) {
                    ("audio_asset_id", Value::String(id)) => {
                        check_asset_id(id, &p, Want::Any, state)?;
                    }
                    ("audio_url" | "callback_url", Value::String(u)) => check_url(u, &p, strict)?,
                    ("url", Value::String(u)) if in_background => check_url(u, &p, strict)?,
                    _ => walk_assets(child, &p, state, strict)?,
                }
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                walk_assets(child, &format!("{path}[{i}]"), state, strict)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Strict mode: a name must not be empty or blank (the schemas only require it to be present).
fn non_blank(body: &Value, field: &str, strict: bool) -> Result<(), ApiError> {
    match body.get(field) {
        Some(Value::String(s)) if strict && s.trim().is_empty() => Err(bad(
            field,
            format!("`{field}` must not be empty or blank (strict mode)"),
        )),
        _ => Ok(()),
    }
}

#[allow(
    clippy::too_many_lines,
    reason = "one flat match over the endpoints reads best"
)]
/// Checks the rules of one endpoint (`template` is the schema path) after the schema passed;
/// `strict` adds the checks HeyGen's reference does not state.
pub(crate) fn check(
    method: &str,
    template: &str,
    body: &Value,
    state: &State,
    strict: bool,
) -> Result<(), ApiError> {
    match (method, template) {
        ("POST", "/v3/avatars") => {
            non_blank(body, "name", strict)?;
            let ty = body.get("type").and_then(Value::as_str).unwrap_or_default();
            if ty == "prompt" {
                let prompt = body
                    .get("prompt")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if strict && prompt.trim().is_empty() {
                    return Err(bad(
                        "prompt",
                        "`prompt` must not be empty or blank (strict mode)",
                    ));
                }
                let n = prompt.chars().count();
                if n > MAX_PROMPT_CHARS {
                    return Err(bad(
                        "prompt",
                        format!("`prompt` has {n} characters; the limit is {MAX_PROMPT_CHARS}"),
                    ));
                }
                if let Some(Value::Array(imgs)) = body.get("reference_images") {
                    if imgs.len() > MAX_REFERENCE_IMAGES {
                        return Err(bad(
                            "reference_images",
                            format!(
                                "at most {MAX_REFERENCE_IMAGES} reference images, got {}",
                                imgs.len()
                            ),
                        ));
                    }
                    for (i, img) in imgs.iter().enumerate() {
                        check_asset_input(
                            img,
                            &format!("reference_images[{i}]"),
                            Want::Image,
                            state,
                            strict,
                        )?;
                    }
                }
            } else if let Some(file) = body.get("file") {
                let want = if ty == "photo" {
                    Want::Image
                } else {
                    Want::Video
                };
                check_asset_input(file, "file", want, state, strict)?;
            }
            Ok(())
        }
        ("POST", "/v3/avatars/{group_id}/consent") => {
            let text = body.get("consent_text").and_then(Value::as_str);
            let reroute = body.get("reroute_url").and_then(Value::as_str);
            let video = body.get("consent_video").filter(|v| !v.is_null());
            if let Some(t) = text
                && (t.contains('<') || t.contains('>'))
            {
                return Err(bad(
                    "consent_text",
                    "consent_text is plain text: `<` and `>` are not allowed",
                ));
            }
            if video.is_some() && (text.is_some() || reroute.is_some()) {
                return Err(bad(
                    "consent_video",
                    "consent_video cannot be combined with reroute_url or consent_text",
                ));
            }
            if let Some(u) = reroute {
                check_url(u, "reroute_url", false)?;
            }
            if let Some(v) = video {
                check_asset_input(v, "consent_video", Want::Video, state, strict)?;
            }
            Ok(())
        }
        ("PATCH", "/v3/avatars/looks/{look_id}") => non_blank(body, "name", strict),
        ("POST", "/v3/assets/direct-uploads") => {
            non_blank(body, "filename", strict)?;
            // HeyGen checks the declared type against the bytes when the upload completes.
            let ct = body
                .get("content_type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            check_media_type(ct, "content_type", strict)?;
            let size = body.get("size_bytes").and_then(Value::as_i64).unwrap_or(0);
            if size < 0 || (strict && size == 0) {
                return Err(bad(
                    "size_bytes",
                    if strict {
                        "size_bytes must be the exact size, at least 1 (strict mode)"
                    } else {
                        "size_bytes must be the exact size in bytes, not negative"
                    },
                ));
            }
            if strict && u64::try_from(size).unwrap_or(u64::MAX) > MAX_DIRECT_UPLOAD_BYTES {
                return Err(ApiError::new(
                    413,
                    "payload_too_large",
                    format!(
                        "size_bytes exceeds the {MAX_DIRECT_UPLOAD_BYTES}-byte limit of one upload (strict mode)"
                    ),
                )
                .param("size_bytes"));
            }
            if let Some(c) = body.get("checksum_sha256").and_then(Value::as_str)
                && !is_hex64(c)
            {
                return Err(bad(
                    "checksum_sha256",
                    "checksum_sha256 must be 64 hex digits",
                ));
            }
            Ok(())
        }
        ("POST", "/v3/assets/{asset_id}/complete") => {
            if let Some(c) = body.get("checksum_sha256").and_then(Value::as_str)
                && !is_hex64(c)
            {
                return Err(bad(
                    "checksum_sha256",
                    "checksum_sha256 must be 64 hex digits",
                ));
            }
            Ok(())
        }
        ("POST", "/v3/webhooks/endpoints") | ("PATCH", "/v3/webhooks/endpoints/{endpoint_id}") => {
            // HeyGen asks for a public https URL; the emulator never leaves the machine, so it
            // takes loopback URLs only (http or https).
            if let Some(u) = body.get("url").and_then(Value::as_str) {
                webhook::parse_loopback_url(u).map_err(|m| bad("url", format!("`url`: {m}")))?;
            }
            Ok(())
        }
        ("POST", "/v3/videos") => {
            walk_assets(body, "", state, strict)?;
            if body.get("type").and_then(Value::as_str) == Some("avatar") {
                let has_audio = ["script", "audio_url", "audio_asset_id"].iter().any(|k| {
                    body.get(*k)
                        .and_then(Value::as_str)
                        .is_some_and(|s| !s.trim().is_empty())
                });
                if !has_audio {
                    return Err(bad(
                        "script",
                        "an avatar video needs `script`, `audio_url` or `audio_asset_id`",
                    ));
                }
            }
            crate::video_rules::check(body).map_err(|(param, message)| bad(&param, message))
        }
        _ => Ok(()),
    }
}

/// `Idempotency-Key`: 1 to 255 characters of `[A-Za-z0-9_:.-]`.
pub(crate) fn valid_idempotency_key(k: &str) -> bool {
    (1..=255).contains(&k.len())
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'.' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 13, 10, 26, 10, 0]),
            Some("image/png")
        );
        assert_eq!(
            sniff(b"1\n00:00:01,000 --> 00:00:02,000\nhi\n"),
            Some("application/x-subrip")
        );
        assert_eq!(sniff(b"hello"), None);
        assert!(valid_idempotency_key("abc:1.2-3_x"));
        assert!(!valid_idempotency_key("a b"));
        assert!(!valid_idempotency_key(""));
        assert!(is_https_url("https://example.com/a.png"));
        assert!(!is_https_url("http://example.com/a.png"));
        assert!(!is_https_url("https:///a.png"));
        assert!(is_http_url("HTTP://example.com"));
        assert!(!is_http_url("ftp://example.com/a"));
        assert_eq!(sniff(b"PK\x03\x04rest"), Some("application/zip"));
        assert_eq!(sniff(b"GIF89a\x01\x00"), Some("image/gif"));
        assert!(is_mime_type("application/zip"));
        assert!(is_mime_type("text/plain; charset=utf-8"));
        assert!(!is_mime_type("zip"));
        assert!(!is_mime_type("/zip"));
        assert!(!is_mime_type("a/b/c"));
    }
}
