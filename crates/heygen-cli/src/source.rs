//! `SRC` arguments: an `https://` URL, `asset:<id>`, or a local file.
//!
//! A local file goes the way the SDK's `…_from_file` methods send it, decided by the core's
//! [`UploadMethod::for_file`] with the default inline threshold: inline as base64 when small,
//! with its media type detected from its first bytes (then its extension); a larger one is
//! uploaded first (multipart up to 32 MB, direct upload above) and referred to by its asset id.
//! The CLI checks the file before anything is sent.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use heygen_core::Error;
use heygen_core::upload::{DEFAULT_INLINE_THRESHOLD, UploadFile, UploadMethod, Uploaded};
use heygen_model::{AssetId, AssetInput};

use crate::backend::Backend;
use crate::failure::{EXIT_USAGE, Failure};
use crate::progress;

/// A parsed `SRC`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// A URL HeyGen downloads.
    Url(String),
    /// A `data:<media type>;base64,<data>` URI, sent inline.
    DataUri(String),
    /// An uploaded asset.
    Asset(String),
    /// A local file.
    File(PathBuf),
}

/// Whether `url`'s host is a loopback host (`localhost`, `127.0.0.0/8`, `::1`).
pub(crate) fn is_loopback_url(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if let Some(inner) = host_port.strip_prefix('[') {
        inner.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Parses a `SRC` argument given for `param`.
///
/// A URL must pass the model's own rule for asset inputs (`https`, absolute, with a host), so
/// the CLI and the SDK agree: HeyGen downloads the file from its servers, where `http://` and
/// loopback hosts mean nothing, so `http://` is refused for every host, loopback included.
///
/// # Errors
/// A validation failure for an empty value, an `asset:` without an id, or a URL the model
/// refuses (`http://` among them).
pub(crate) fn parse(param: &str, text: &str) -> Result<Source, Failure> {
    if text.trim().is_empty() {
        return Err(Failure::validation(
            Some(param),
            format!("`{param}` is empty"),
        ));
    }
    if let Some(id) = text.strip_prefix("asset:") {
        if id.is_empty() {
            return Err(Failure::validation(
                Some(param),
                format!("`{param}`: asset: needs an id, as in asset:<id>"),
            ));
        }
        return Ok(Source::Asset(id.to_owned()));
    }
    if text
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("data:"))
    {
        return Ok(Source::DataUri(text.to_owned()));
    }
    if text.contains("://") {
        heygen_model::validate::validate_https_url(format!("{param}.url"), text)
            .map_err(Failure::from)?;
        return Ok(Source::Url(text.to_owned()));
    }
    Ok(Source::File(PathBuf::from(text)))
}

/// Decodes the first bytes (at most 48) of standard base64 text, enough to read a magic
/// number; stops at the first character that is not base64.
fn decode_head(text: &str) -> Vec<u8> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(48);
    for chunk in text.as_bytes().chunks(4).take(16) {
        let values: Vec<u32> = chunk.iter().map_while(|&c| value(c)).collect();
        let bits = values.iter().fold(0u32, |acc, v| (acc << 6) | v) << (6 * (4 - values.len()));
        let bytes = bits.to_be_bytes();
        let count = (values.len() * 6) / 8;
        out.extend_from_slice(&bytes[1..=count]);
        if values.len() < 4 {
            break;
        }
    }
    out
}

/// Detects the media type of a file's first bytes.
pub(crate) fn sniff(head: &[u8]) -> Option<&'static str> {
    heygen_core::upload::sniff_media_type(head)
}

/// Checks that a local file exists, is a regular file and is not empty; returns its size in
/// bytes. Every command that takes a local file checks it here, so each fault of the file
/// (missing, not a file, empty) is the same `cli_file_error` everywhere.
///
/// # Errors
/// A `cli_file_error` failure (exit 2) naming the path.
pub(crate) fn file_size(param: &str, path: &Path) -> Result<u64, Failure> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == 0 => Err(file_error(param, path, "is empty")),
        Ok(meta) if meta.is_file() => Ok(meta.len()),
        Ok(_) => Err(file_error(param, path, "is not a regular file")),
        Err(error) => Err(file_error(param, path, &error.to_string().to_lowercase())),
    }
}

fn file_error(param: &str, path: &Path, why: &str) -> Failure {
    let mut failure = Failure::new(
        EXIT_USAGE,
        "cli_file_error",
        format!("{}: {why}", path.display()),
    );
    failure.param = Some(param.to_owned());
    failure
}

/// Turns a `SRC` into an asset input, uploading a large local file first.
/// Returns the input and, when an upload happened, the asset id it produced.
///
/// # Errors
/// Validation failures (exit 2) before anything is sent; upload failures from the SDK.
pub(crate) fn resolve(
    backend: &Backend,
    param: &str,
    text: &str,
) -> Result<(AssetInput, Option<AssetId>), Failure> {
    match parse(param, text)? {
        Source::Url(url) => Ok((AssetInput::url(url), None)),
        Source::DataUri(uri) => {
            let input =
                AssetInput::from_data_uri(&uri).map_err(|e| Failure::from(e.within(param)))?;
            if let AssetInput::Base64 { media_type, data } = &input {
                let head = decode_head(data.as_str());
                heygen_model::validate::validate_media_type_matches(media_type, &head)
                    .map_err(|e| Failure::from(e.within(param)))?;
            }
            Ok((input, None))
        }
        Source::Asset(id) => {
            let id = AssetId::new(id).map_err(|e| Failure::from(e.within(param)))?;
            Ok((AssetInput::asset_id(id), None))
        }
        Source::File(path) => {
            let size = file_size(param, &path)?;
            if UploadMethod::for_file(size, DEFAULT_INLINE_THRESHOLD) == UploadMethod::Inline {
                let bytes = read_small(param, &path, size)?;
                // From the bytes, then the extension, as the SDK's uploads do; the CLI does not
                // guess beyond that, and it does not limit the types (HeyGen decides).
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                let Some(media_type) = sniff(&bytes).or_else(|| {
                    heygen_core::upload::media_type_by_extension(name.as_deref().unwrap_or(""))
                }) else {
                    return Err(Failure::validation(
                        Some(param),
                        format!(
                            "{}: the media type could not be detected from the file's bytes or extension",
                            path.display()
                        ),
                    ));
                };
                let input = AssetInput::base64_from_bytes(media_type, &bytes)
                    .map_err(|e| Failure::from(e.within(param)))?;
                return Ok((input, None));
            }
            let id = upload(backend, &path, size)?.asset_id().clone();
            Ok((AssetInput::asset_id(id.clone()), Some(id)))
        }
    }
}

/// Uploads a local file of `size` bytes (multipart up to 32 MB, direct upload above, as the
/// core decides), with a progress bar on a terminal.
pub(crate) fn upload(backend: &Backend, path: &Path, size: u64) -> Result<Uploaded, Error> {
    let (bar, callback) = progress::upload_bar("uploading", size);
    let result = backend.with_progress(callback).run(UploadFile::path(path));
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result
}

/// A small file of `size` bytes, read whole for inline base64; one that changed size since it
/// was measured is refused, not sent cut or grown.
fn read_small(param: &str, path: &Path, size: u64) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(size.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(|e| file_error(param, path, &e.to_string().to_lowercase()))?;
    if bytes.len() as u64 != size {
        return Err(file_error(
            param,
            path,
            "the file changed size while it was read",
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_four_forms() {
        assert_eq!(
            parse("file", "https://example.com/a.png").unwrap(),
            Source::Url("https://example.com/a.png".into())
        );
        assert_eq!(
            parse("file", "asset:asset_1").unwrap(),
            Source::Asset("asset_1".into())
        );
        assert_eq!(
            parse("file", "./a.png").unwrap(),
            Source::File("./a.png".into())
        );

        assert_eq!(
            parse("file", "data:image/png;base64,iVBORw0KGgo=").unwrap(),
            Source::DataUri("data:image/png;base64,iVBORw0KGgo=".into())
        );
    }

    /// The CLI refuses what the model refuses: `http://` for any host, loopback included, so
    /// an http source never passes the parse only to fail later.
    #[test]
    fn rejects_plain_http_for_every_host_as_the_model_does() {
        for url in [
            "http://example.com/a.png",
            "http://127.0.0.1:8080/a.png",
            "http://localhost/a.png",
            "http://[::1]/a.png",
            "ftp://example.com/a.png",
        ] {
            let failure = parse("file", url).unwrap_err();
            assert_eq!(
                (
                    failure.exit,
                    failure.code.as_str(),
                    failure.param.as_deref()
                ),
                (2, "cli_validation_error", Some("file.url")),
                "{url}"
            );
            assert!(
                AssetInput::url(url).validate().is_err(),
                "the model refuses {url} too"
            );
        }
        assert!(parse("file", "HTTPS://example.com/a.png").is_ok());
    }

    #[test]
    fn rejects_empty_asset_ids_and_blank_sources() {
        assert!(parse("file", "asset:").is_err());
        assert!(parse("file", "  ").is_err());
    }

    #[test]
    fn decodes_the_head_of_base64() {
        assert_eq!(decode_head("iVBORw0KGgo="), b"\x89PNG\r\n\x1a\n");
        assert_eq!(decode_head("aGk="), b"hi");
        assert_eq!(decode_head(""), b"");
        assert_eq!(decode_head("!!!!"), b"");
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback_url("http://localhost:1/x"));
        assert!(is_loopback_url("http://127.3.0.1/x"));
        assert!(is_loopback_url("http://[::1]:80/x"));
        assert!(is_loopback_url("http://user@127.0.0.1/x"));
        assert!(!is_loopback_url("http://127.0.0.1.evil.com/x"));
        assert!(!is_loopback_url("http://localhost.evil.com/x"));
    }
}
