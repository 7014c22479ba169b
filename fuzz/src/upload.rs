//! `multipart` and `upload_plan`: the upload framing the core computes around a file.
//!
//! `multipart` input: NUL-separated `size`, `file name`, `content type`, `entropy` (16 bytes,
//! zero-padded) and `chunks` (each byte a chunk length for the body tap). Invariants:
//! - `MultipartFraming::new` refuses exactly the empty, oversized, unnamed or badly typed files;
//! - `content_length()` is the prefix, the file and the suffix, and the `UploadAsset` request
//!   carries that `Content-Length`, the framing's `Content-Type` and the same body plan;
//! - the boundary is a valid RFC 2046 boundary, the part has exactly the two header lines (no
//!   header injection from the file name or type), and an independent multipart reader finds
//!   the file's bytes in the framed body;
//! - a body tap accepts exactly the planned bytes.
//!
//! `upload_plan` input: a selector byte, then NUL-separated fields for one of three checks:
//! - `i`nline (selector % 3 == 0): `media type`, `name`, `chunks`, `file`. The inline body of a
//!   photo avatar request is the template with the file's base64 spliced in, whatever the
//!   chunking; an arbitrary template never makes `InlineBody` panic.
//! - `p`ut (selector % 3 == 1): `url`, `size`, `headers` (`Name: value` lines). A built
//!   direct-upload `PUT` carries only the upload headers and a `Content-Length` that is the
//!   planned size, streams exactly that many bytes, goes to an https (or loopback http) URL, and
//!   its `Debug` and errors show no URL secret.
//! - `f`ile facts (selector % 3 == 2): `path`, `size`, `head`. Detected media types are valid,
//!   agree with the declared-type check and with `heygen-model`'s detection.

use std::path::Path;
use std::sync::OnceLock;

use base64::Engine as _;
use bytes::Bytes;
use heygen_core::body::{Body, InlineFile, Source};
use heygen_core::error::Error;
use heygen_core::ops::{CreateAvatar, DirectUploadPut, UploadAsset};
use heygen_core::upload::{
    FileFacts, INLINE_PLACEHOLDER, InlineBody, MultipartFraming, is_valid_media_type,
    media_type_by_extension, media_type_matches, placeholder_input, sniff_media_type,
};
use heygen_core::{Config, Operation};
use heygen_model::CreatePhotoAvatar;
use heygen_model::validate::{MAX_MULTIPART_UPLOAD_BYTES, canonical_media_type, detect_media_type};
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};

use crate::input::{fields, number, text};
use crate::secrets::{PRESIGNED_PARAMS, assert_no_leak};

/// Largest file the targets frame or encode for real, in bytes.
const MAX_REAL_FILE: u64 = 64 * 1024;

/// The configuration every built request uses.
pub fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| match Config::builder().api_key("hg_fuzz").build() {
        Ok(config) => config,
        Err(error) => panic!("the fuzz configuration is invalid: {error}"),
    })
}

/// Feeds `len` bytes of `byte` to `feed` in chunks whose lengths come from `chunks` (cycled; a
/// zero means one byte); returns what `feed` returned first as an error.
fn feed_chunks(
    len: u64,
    chunks: &[u8],
    mut feed: impl FnMut(&[u8]) -> Result<(), Error>,
    file: &[u8],
) -> Result<(), Error> {
    let mut sent = 0u64;
    let mut sizes = chunks.iter().copied().cycle();
    while sent < len {
        let want = u64::from(sizes.next().unwrap_or(255).max(1));
        let n = want.min(len - sent);
        let start = usize::try_from(sent).unwrap_or(usize::MAX);
        let end = usize::try_from(sent + n).unwrap_or(usize::MAX);
        feed(&file[start..end])?;
        sent += n;
    }
    Ok(())
}

/// Frames one file and checks the framing, the built request and a body tap.
///
/// # Panics
/// When an invariant in the module docs does not hold.
pub fn multipart(data: &[u8]) {
    let [size, name, content_type, entropy, chunks] = fields::<5>(data);
    let size = number(size);
    let name = text(name);
    let content_type = text(content_type);
    let mut seed = [0u8; 16];
    for (slot, b) in seed.iter_mut().zip(entropy) {
        *slot = *b;
    }

    let framing = MultipartFraming::new(&name, &content_type, size, seed);
    let should_refuse = size == 0
        || size > MAX_MULTIPART_UPLOAD_BYTES
        || !is_valid_media_type(&content_type)
        || name
            .chars()
            .all(|c| !matches!(c, '\r' | '\n') && (c.is_whitespace() || c.is_control()));
    let built = UploadAsset::new(Source::Reader, &name, &content_type, size, seed).build(config());
    let framing = match framing {
        Ok(framing) => framing,
        Err(error) => {
            assert!(should_refuse, "refused a good file: {error}");
            assert!(built.is_err(), "UploadAsset built what the framing refused");
            return;
        }
    };
    assert!(
        !should_refuse,
        "framed a file it should refuse: {framing:?}"
    );

    // Lengths.
    let prefix = framing.prefix().clone();
    let suffix = framing.suffix().clone();
    assert_eq!(framing.file_len(), size);
    assert_eq!(
        framing.content_length(),
        prefix.len() as u64 + size + suffix.len() as u64,
        "content_length is not prefix + file + suffix"
    );

    // The boundary and the part header.
    let boundary = framing.boundary().to_owned();
    assert!(
        !boundary.is_empty()
            && boundary.len() <= 70
            && boundary
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        "bad boundary {boundary:?}"
    );
    assert_eq!(
        framing.content_type(),
        format!("multipart/form-data; boundary={boundary}")
    );
    check_part_header(&prefix, &boundary, &name, &content_type);
    assert_eq!(
        &suffix[..],
        format!("\r\n--{boundary}--\r\n").as_bytes(),
        "bad closing delimiter"
    );

    let plan = check_built(built, &framing);

    if size > MAX_REAL_FILE {
        return;
    }
    // An independent reader finds the file in the framed body.
    let file = vec![b'x'; usize::try_from(size).unwrap_or(0)];
    let mut body = prefix.to_vec();
    body.extend_from_slice(&file);
    body.extend_from_slice(&suffix);
    assert_eq!(body.len() as u64, framing.content_length());
    assert_eq!(read_single_part(&body, &boundary), Some(&file[..]));

    // The tap takes exactly the planned bytes.
    let mut tap = plan.tap();
    let fed = feed_chunks(size, chunks, |chunk| tap.chunk(chunk), &file);
    assert!(fed.is_ok(), "the tap refused planned bytes: {fed:?}");
    assert_eq!(tap.remaining(), 0);
    assert!(tap.chunk(b"x").is_err(), "the tap took a byte too many");
    let mut short = plan.tap();
    if size > 0 {
        assert!(short.chunk(&file[1..]).is_ok());
        assert!(short.finish().is_err(), "the tap finished a byte short");
    }
}

/// The `UploadAsset` request carries the framing's headers and body plan.
fn check_built(
    built: Result<http::Request<Body>, Error>,
    framing: &MultipartFraming,
) -> heygen_core::body::StreamBody {
    let request = match built {
        Ok(request) => request,
        Err(error) => panic!("UploadAsset refused what the framing accepted: {error}"),
    };
    let header = |name| {
        request
            .headers()
            .get(name)
            .and_then(|v: &http::HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(
        header(CONTENT_LENGTH),
        Some(framing.content_length().to_string()),
        "Content-Length is not the framing's"
    );
    assert_eq!(
        header(CONTENT_TYPE).as_deref(),
        Some(framing.content_type())
    );
    let Body::Stream(plan) = request.into_body() else {
        panic!("UploadAsset built another kind of body");
    };
    assert_eq!(&plan.prefix, framing.prefix());
    assert_eq!(&plan.suffix, framing.suffix());
    assert_eq!(plan.len, framing.file_len());
    assert_eq!(plan.content_length(), framing.content_length());
    plan
}

/// Checks the part header: the opening delimiter, exactly two header lines, a quoted file name
/// with nothing that ends the quote or the line, and the content type as given.
fn check_part_header(prefix: &[u8], boundary: &str, name: &str, content_type: &str) {
    let Ok(prefix) = core::str::from_utf8(prefix) else {
        panic!("the part header is not UTF-8");
    };
    let opening = format!("--{boundary}\r\n");
    let Some(head) = prefix
        .strip_prefix(opening.as_str())
        .and_then(|rest| rest.strip_suffix("\r\n\r\n"))
    else {
        panic!("bad part framing {prefix:?}");
    };
    let lines: Vec<&str> = head.split("\r\n").collect();
    assert_eq!(lines.len(), 2, "the part has other header lines: {head:?}");
    for line in &lines {
        assert!(
            !line.contains(['\r', '\n']) && !line.chars().any(char::is_control),
            "a control character in the part header: {line:?}"
        );
    }
    let Some(quoted) = lines[0]
        .strip_prefix("Content-Disposition: form-data; name=\"file\"; filename=\"")
        .and_then(|rest| rest.strip_suffix('"'))
    else {
        panic!("bad Content-Disposition {:?}", lines[0]);
    };
    assert!(!quoted.contains('"'), "the file name ends the quote early");
    if !name.contains('%') {
        let decoded = quoted
            .replace("%22", "\"")
            .replace("%0D", "\r")
            .replace("%0A", "\n");
        let kept: String = name
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\r' | '\n'))
            .collect();
        assert_eq!(decoded, kept, "the file name changed");
    }
    assert_eq!(lines[1], format!("Content-Type: {content_type}"));
}

/// The content of the only part of a `multipart/form-data` body, read the way a server does:
/// the part starts after the first blank line following the opening delimiter and ends at the
/// first `CRLF--boundary`, which must be the closing one.
fn read_single_part<'b>(body: &'b [u8], boundary: &str) -> Option<&'b [u8]> {
    let opening = format!("--{boundary}\r\n");
    let rest = body.strip_prefix(opening.as_bytes())?;
    let start = rest.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let content = &rest[start..];
    let delimiter = format!("\r\n--{boundary}");
    let end = content
        .windows(delimiter.len())
        .position(|w| w == delimiter.as_bytes())?;
    let after = &content[end + delimiter.len()..];
    (after == b"--\r\n").then_some(&content[..end])
}

/// One of the three upload-plan checks, by the first byte.
///
/// # Panics
/// When an invariant in the module docs does not hold.
pub fn upload_plan(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    match selector % 3 {
        0 => inline(rest),
        1 => direct_put(rest),
        _ => file_facts(rest),
    }
}

fn inline(data: &[u8]) {
    let [media_type, name, chunks, file] = fields::<4>(data);
    let media_type = text(media_type);
    let name_text = text(name);

    // Any template: `InlineBody` refuses or encodes, never panics. The size is kept to sizes
    // that are encoded for real, or so large that the base64 length overflows (see
    // docs/fuzzing.md, finding F1, for the sizes in between).
    let template = Bytes::copy_from_slice(name);
    let size = number(chunks);
    let huge = size > u64::MAX / 4 * 3;
    let size = if huge {
        size
    } else {
        size % (MAX_REAL_FILE + 1)
    };
    match InlineBody::new(&template, size) {
        Ok(_) if huge => panic!("InlineBody accepted {size} bytes"),
        Ok(mut body) if size <= MAX_REAL_FILE => {
            let expect_len =
                template.len() as u64 - INLINE_PLACEHOLDER.len() as u64 + size.div_ceil(3) * 4;
            let bytes = vec![b'x'; usize::try_from(size).unwrap_or(0)];
            let fed = feed_chunks(size, file, |chunk| body.feed(chunk), &bytes);
            assert!(fed.is_ok(), "InlineBody refused planned bytes: {fed:?}");
            match body.finish() {
                Ok(out) => assert_eq!(out.len() as u64, expect_len, "inline body length"),
                Err(error) => panic!("InlineBody did not finish: {error}"),
            }
        }
        Ok(_) | Err(_) => {}
    }

    // The real path: a photo avatar request built with the placeholder, then spliced.
    let Ok(input) = placeholder_input(&media_type) else {
        assert!(
            heygen_model::validate::validate_media_type("media_type", &media_type).is_err(),
            "placeholder_input refused the valid media type {media_type:?}"
        );
        return;
    };
    let op = CreateAvatar::new(CreatePhotoAvatar::new(name_text, input));
    let Ok(request) = op.build(config()) else {
        return;
    };
    let Body::Bytes(template) = request.body() else {
        panic!("CreateAvatar built a {:?} body", request.body());
    };
    let inline = InlineFile {
        template: template.clone(),
        source: Source::Reader,
        len: file.len() as u64,
    };
    let mut encoder = match inline.encoder() {
        Ok(encoder) => encoder,
        Err(error) => panic!("no inline slot in a request built with the placeholder: {error}"),
    };
    let fed = feed_chunks(file.len() as u64, chunks, |c| encoder.feed(c), file);
    assert!(fed.is_ok(), "InlineBody refused planned bytes: {fed:?}");
    assert_eq!(encoder.remaining(), 0);
    let out = match encoder.finish() {
        Ok(out) => out,
        Err(error) => panic!("InlineBody did not finish: {error}"),
    };
    let encoded = base64::engine::general_purpose::STANDARD.encode(file);
    let Ok(template_text) = core::str::from_utf8(template) else {
        panic!("the JSON template is not UTF-8");
    };
    // The file goes into the base64 input's `data` member, whatever else reads like the
    // placeholder (an avatar named after it, say).
    let expected = template_text.replacen(
        &format!("\"data\":\"{INLINE_PLACEHOLDER}\""),
        &format!("\"data\":\"{encoded}\""),
        1,
    );
    assert_eq!(out, expected.as_bytes(), "the spliced body");
    let json: serde_json::Value = match serde_json::from_slice(&out) {
        Ok(json) => json,
        Err(error) => panic!("the spliced body is not JSON: {error}"),
    };
    assert_eq!(
        json.pointer("/file/data")
            .and_then(serde_json::Value::as_str),
        Some(encoded.as_str()),
        "the file is not at file.data"
    );
}

fn direct_put(data: &[u8]) {
    let [url, size, headers] = fields::<3>(data);
    let url = text(url);
    let size = number(size);
    let headers: Vec<(String, String)> = text(headers)
        .split('\n')
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.to_owned(), value.trim_start().to_owned()))
        })
        .collect();
    let put = DirectUploadPut::new(url.as_str(), headers.clone(), Source::Reader, size);
    // `Debug` escapes text (`\t` + `oken=` reads as `token=`): check it when nothing is escaped.
    // Header names are shown as they are (they are not secrets): check when none names one.
    let plain = |t: &str| format!("{t:?}") == format!("\"{t}\"");
    let names_secret = |name: &str| {
        let lower = name.to_ascii_lowercase();
        PRESIGNED_PARAMS.iter().any(|p| lower.contains(p))
    };
    if plain(&url)
        && headers
            .iter()
            .all(|(name, _)| plain(name) && !names_secret(name))
    {
        assert_no_leak(
            "DirectUploadPut's Debug",
            &format!("{put:?}"),
            PRESIGNED_PARAMS,
        );
    }
    let request = match put.build(config()) {
        Ok(request) => request,
        Err(error) => {
            let _ = format!("{error:?}");
            assert_no_leak("the error", &error.to_string(), PRESIGNED_PARAMS);
            return;
        }
    };
    assert_eq!(request.method(), http::Method::PUT);
    let uri = request.uri();
    assert!(
        uri.scheme_str() == Some("https")
            || (uri.scheme_str() == Some("http")
                && uri.host().is_some_and(|h| {
                    let h = h.trim_start_matches('[').trim_end_matches(']');
                    h.eq_ignore_ascii_case("localhost")
                        || h == "::1"
                        || h.parse::<std::net::Ipv4Addr>()
                            .is_ok_and(|ip| ip.is_loopback())
                })),
        "PUT to {uri}"
    );
    for (name, value) in request.headers() {
        if name == CONTENT_LENGTH {
            let text = value.to_str().unwrap_or_default().trim();
            assert!(
                !text.is_empty()
                    && text.bytes().all(|b| b.is_ascii_digit())
                    && text.parse::<u64>().ok() == Some(size),
                "Content-Length {text:?} for {size} bytes"
            );
        } else {
            assert!(
                headers
                    .iter()
                    .any(|(given, _)| given.eq_ignore_ascii_case(name.as_str())),
                "the PUT adds the header {name}"
            );
        }
    }
    assert!(
        request.headers().contains_key(CONTENT_LENGTH),
        "the PUT has no Content-Length"
    );
    let Body::Stream(plan) = request.body() else {
        panic!("the PUT built a {:?} body", request.body());
    };
    assert!(plan.prefix.is_empty() && plan.suffix.is_empty());
    assert_eq!(plan.len, size);
    assert!(plan.sha256, "the PUT does not hash its bytes");
}

fn file_facts(data: &[u8]) {
    let [path, size, head] = fields::<3>(data);
    let path = text(path);
    let size = number(size);
    let sniffed = sniff_media_type(head);
    if let Some(kind) = sniffed {
        assert!(is_valid_media_type(kind));
        assert!(
            media_type_matches(kind, head),
            "{kind} does not match itself"
        );
    }
    if let Some(kind) = media_type_by_extension(&path) {
        assert!(is_valid_media_type(kind));
    }
    let _ = media_type_matches(&path, head);
    let _ = heygen_core::upload::check_media_type(&path, head);
    match FileFacts::new(Path::new(&path), size, head) {
        Ok(facts) => {
            assert!(is_valid_media_type(&facts.media_type));
            assert!(!facts.name.is_empty() && !facts.name.contains('/'));
            assert_eq!(facts.size, size);
            if let Some(kind) = sniffed {
                assert_eq!(
                    facts.media_type, kind,
                    "the bytes come before the extension"
                );
            }
        }
        Err(_) => assert!(sniffed.is_none(), "a recognized file was refused"),
    }
    // The model's detection (used to check inline uploads) agrees with the core's sniffing on
    // the formats both know. The core also knows GIF, WebP and PDF, so a head that is one of
    // those to the core is left out.
    if let (Some(model), Some(core)) = (detect_media_type(head), sniffed)
        && !matches!(core, "image/gif" | "image/webp" | "application/pdf")
    {
        assert_eq!(
            canonical_media_type(core),
            Some(model),
            "heygen-model says {model}, heygen-core says {core}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_finds_the_part() {
        let body = b"--b\r\nA: 1\r\n\r\nxyz\r\n--b--\r\n";
        assert_eq!(read_single_part(body, "b"), Some(&b"xyz"[..]));
        assert_eq!(read_single_part(b"--b\r\n\r\nx\r\n--b\r\n", "b"), None);
    }
}
