//! The SDK side of the upload benchmarks: direct upload, multipart and inline base64 through
//! the public APIs of `heygen-blocking` and `heygen-async`.

use std::path::Path;

use crate::alloc::{self, AllocSnapshot};
use crate::fixtures::API_KEY;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn config(base: &str) -> Result<heygen_core::Config, String> {
    heygen_core::Config::builder()
        .base_url(base)
        .api_key(API_KEY)
        .build()
        .map_err(err)
}

/// A blocking client for `base`.
///
/// # Errors
/// When the client cannot be built.
pub(crate) fn blocking_client(base: &str) -> Result<heygen_blocking::Client, String> {
    heygen_blocking::Client::new(config(base)?).map_err(err)
}

/// Direct upload of `path` with the blocking client.
///
/// # Errors
/// The SDK's error, as text.
pub(crate) fn blocking_direct(client: &heygen_blocking::Client, path: &Path) -> Result<(), String> {
    client.assets().direct_upload(path).map_err(err)?;
    Ok(())
}

/// Multipart upload of `path` with the blocking client.
///
/// # Errors
/// The SDK's error, as text.
pub(crate) fn blocking_multipart(
    client: &heygen_blocking::Client,
    path: &Path,
) -> Result<(), String> {
    client.assets().upload_path(path).map_err(err)?;
    Ok(())
}

/// An async client for `base`; call inside a tokio runtime.
///
/// # Errors
/// When the client cannot be built.
pub(crate) fn async_client(base: &str) -> Result<heygen_async::Client, String> {
    heygen_async::Client::new(config(base)?).map_err(err)
}

/// Direct upload of `path` with the async client.
///
/// # Errors
/// The SDK's error, as text.
pub(crate) async fn async_direct(client: &heygen_async::Client, path: &Path) -> Result<(), String> {
    client.assets().direct_upload(path).await.map_err(err)?;
    Ok(())
}

/// Multipart upload of `path` with the async client.
///
/// # Errors
/// The SDK's error, as text.
pub(crate) async fn async_multipart(
    client: &heygen_async::Client,
    path: &Path,
) -> Result<(), String> {
    client.assets().upload_path(path).await.map_err(err)?;
    Ok(())
}

/// Bytes and allocations during one `create_avatar_from_file` (photo, inline base64) per
/// client, after one warm-up call.
pub(crate) fn inline_allocations(
    base: &str,
    png: &Path,
) -> Vec<(&'static str, Result<AllocSnapshot, String>)> {
    let blocking = (|| {
        let client = blocking_client(base)?;
        let mut delta = Err("no call made".to_owned());
        for _ in 0..2 {
            let before = alloc::snapshot();
            client
                .create_avatar_from_file(
                    heygen_blocking::AvatarFileKind::Photo,
                    "Inline bench",
                    png,
                )
                .map_err(err)?;
            delta = Ok(before.delta(alloc::snapshot()));
        }
        delta
    })();
    let asynchronous = (|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(err)?;
        rt.block_on(async {
            let client = async_client(base)?;
            let mut delta = Err("no call made".to_owned());
            for _ in 0..2 {
                let before = alloc::snapshot();
                client
                    .create_avatar_from_file(
                        heygen_async::AvatarFileKind::Photo,
                        "Inline bench",
                        png,
                    )
                    .await
                    .map_err(err)?;
                delta = Ok(before.delta(alloc::snapshot()));
            }
            delta
        })
    })();
    vec![
        ("heygen-blocking", blocking),
        ("heygen-async", asynchronous),
    ]
}
