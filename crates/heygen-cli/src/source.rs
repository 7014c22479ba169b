//! `SRC` arguments: an `https://` URL, `asset:<id>`, or a local file.
//!
//! A local file is sent inline as base64 when it is small ([`INLINE_MAX_BYTES`]), with its
//! media type detected from its first bytes; a larger one is uploaded first (multipart up to
//! 32 MB, direct upload above) and referred to by its asset id; the CLI checks the file before anything is sent.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use heygen_model::{AssetId, AssetInput};

use crate::backend::{Backend, UploadSource};
use crate::failure::{EXIT_USAGE, Failure};
use crate::progress;

/// Local files up to this size (bytes) are sent inline as base64; larger ones are uploaded.
pub(crate) const INLINE_MAX_BYTES: u64 = 4 * 1024 * 1024;

/// A parsed `SRC`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// A URL HeyGen downloads.
    Url(String),
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
/// # Errors
/// A validation failure for an empty value, an `asset:` without an id, or a plain `http://`
/// URL to a host that is not loopback.
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
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    if lower.starts_with("http://") && !is_loopback_url(text) {
        return Err(Failure::validation(
            Some(param),
            format!("`{param}`: http:// urls are accepted only for loopback hosts; use https://"),
        ));
    }
    if text.contains("://") {
        return Ok(Source::Url(text.to_owned()));
    }
    Ok(Source::File(PathBuf::from(text)))
}

/// Detects the media type of a file's first bytes.
pub(crate) fn sniff(head: &[u8]) -> Option<&'static str> {
    heygen_core::upload::sniff_media_type(head)
}

/// Checks that a local file exists and is a regular file; returns its size in bytes.
///
/// # Errors
/// A `cli_file_error` failure (exit 2) naming the path.
pub(crate) fn file_size(param: &str, path: &Path) -> Result<u64, Failure> {
    match std::fs::metadata(path) {
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
    backend: &dyn Backend,
    param: &str,
    text: &str,
) -> Result<(AssetInput, Option<AssetId>), Failure> {
    match parse(param, text)? {
        Source::Url(url) => Ok((AssetInput::url(url), None)),
        Source::Asset(id) => {
            let id = AssetId::new(id).map_err(|e| Failure::from(e.within(param)))?;
            Ok((AssetInput::asset_id(id), None))
        }
        Source::File(path) => {
            let size = file_size(param, &path)?;
            if size == 0 {
                return Err(file_error(param, &path, "is empty"));
            }
            if size <= INLINE_MAX_BYTES {
                let bytes = read_small(param, &path)?;
                let Some(media_type) = sniff(&bytes) else {
                    return Err(Failure::validation(
                        Some(param),
                        format!(
                            "{}: unknown media type (png, jpeg, mp4, webm, mp3 or wav expected)",
                            path.display()
                        ),
                    ));
                };
                let input = AssetInput::base64_from_bytes(media_type, &bytes)
                    .map_err(|e| Failure::from(e.within(param)))?;
                return Ok((input, None));
            }
            let (bar, callback) = progress::upload_bar("uploading", size);
            let result = backend.upload(UploadSource::File(&path), callback);
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            let id = result?.asset_id().clone();
            Ok((AssetInput::asset_id(id.clone()), Some(id)))
        }
    }
}

/// A small file, read whole for inline base64.
fn read_small(param: &str, path: &Path) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(INLINE_MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| file_error(param, path, &e.to_string().to_lowercase()))?;
    Ok(bytes)
}
