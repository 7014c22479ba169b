//! Request rules that the JSON Schemas do not carry (limits, formats, combinations).

use base64::Engine as _;
use serde_json::Value;

use crate::reply::ApiError;
use crate::state::State;

/// Longest prompt of a prompt avatar, in characters.
pub const MAX_PROMPT_CHARS: usize = 1000;
/// Most reference images of a prompt avatar.
pub const MAX_REFERENCE_IMAGES: usize = 3;
/// Largest multipart upload, in bytes.
pub const MAX_MULTIPART_BYTES: u64 = 32 * 1024 * 1024;
/// Largest direct upload, in bytes.
pub const MAX_DIRECT_UPLOAD_BYTES: u64 = 5 * 1024 * 1024 * 1024;

/// MIME types the emulator accepts for assets.
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
    u.strip_prefix("https://").is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !u.chars().any(char::is_whitespace)
    })
}

fn is_http_url(u: &str) -> bool {
    is_https_url(u)
        || u.strip_prefix("http://").is_some_and(|rest| {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !u.chars().any(char::is_whitespace)
        })
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
fn check_asset_input(v: &Value, path: &str, want: Want, state: &State) -> Result<(), ApiError> {
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
            if !SUPPORTED_MIME.contains(&mt) {
                return Err(bad(&mp, format!("unsupported media_type `{mt}`")));
            }
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

/// Walks a body and checks every asset input and `*_asset_id` / `*_url` audio field.
fn walk_assets(v: &Value, path: &str, state: &State) -> Result<(), ApiError> {
    match v {
        Value::Object(m) => {
            if matches!(
                m.get("type").and_then(Value::as_str),
                Some("url" | "asset_id" | "base64")
            ) && (m.contains_key("url") || m.contains_key("asset_id") || m.contains_key("data"))
            {
                check_asset_input(v, path, Want::Any, state)?;
            }
            for (k, child) in m {
                let p = join(path, k);
                match (k.as_str(), child) {
                    ("audio_asset_id", Value::String(id)) => {
                        check_asset_id(id, &p, Want::Any, state)?;
                    }
                    ("audio_url", Value::String(u)) if !is_https_url(u) => {
                        return Err(bad(&p, "audio_url must be an absolute https:// URL"));
                    }
                    _ => walk_assets(child, &p, state)?,
                }
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                walk_assets(child, &format!("{path}[{i}]"), state)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn non_empty_name(body: &Value, field: &str, required: bool) -> Result<(), ApiError> {
    match body.get(field) {
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(bad(field, format!("`{field}` must not be empty")))
        }
        None | Some(Value::Null) if required => Err(bad(field, format!("`{field}` is required"))),
        _ => Ok(()),
    }
}

#[allow(
    clippy::too_many_lines,
    reason = "one flat match over the endpoints reads best"
)]
/// Checks the rules of one endpoint (`template` is the schema path) after the schema passed.
pub(crate) fn check(
    method: &str,
    template: &str,
    body: &Value,
    state: &State,
) -> Result<(), ApiError> {
    match (method, template) {
        ("POST", "/v3/avatars") => {
            non_empty_name(body, "name", true)?;
            let ty = body.get("type").and_then(Value::as_str).unwrap_or_default();
            if ty == "prompt" {
                let prompt = body
                    .get("prompt")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if prompt.trim().is_empty() {
                    return Err(bad("prompt", "`prompt` must not be empty"));
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
                        )?;
                    }
                }
            } else if let Some(file) = body.get("file") {
                let want = if ty == "photo" {
                    Want::Image
                } else {
                    Want::Video
                };
                check_asset_input(file, "file", want, state)?;
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
            if let Some(u) = reroute
                && !is_http_url(u)
            {
                return Err(bad(
                    "reroute_url",
                    "reroute_url must be an absolute http(s) URL",
                ));
            }
            if let Some(v) = video {
                check_asset_input(v, "consent_video", Want::Video, state)?;
            }
            Ok(())
        }
        ("PATCH", "/v3/avatars/looks/{look_id}") => non_empty_name(body, "name", false),
        ("POST", "/v3/assets/direct-uploads") => {
            non_empty_name(body, "filename", true)?;
            let ct = body
                .get("content_type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !SUPPORTED_MIME.contains(&ct) {
                return Err(bad(
                    "content_type",
                    format!("unsupported content_type `{ct}`"),
                ));
            }
            let size = body.get("size_bytes").and_then(Value::as_i64).unwrap_or(0);
            if size <= 0 {
                return Err(bad(
                    "size_bytes",
                    "size_bytes must be the exact size, at least 1",
                ));
            }
            if u64::try_from(size).unwrap_or(u64::MAX) > MAX_DIRECT_UPLOAD_BYTES {
                return Err(ApiError::new(
                    413,
                    "payload_too_large",
                    format!("size_bytes exceeds the {MAX_DIRECT_UPLOAD_BYTES}-byte limit"),
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
        ("POST", "/v3/videos") => {
            walk_assets(body, "", state)?;
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
            Ok(())
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
    }
}
