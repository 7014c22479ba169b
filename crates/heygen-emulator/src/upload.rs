//! Uploads: multipart `POST /v3/assets` and the presigned `PUT` of direct uploads.
//!
//! Bodies are streamed through SHA-256 and counted; the bytes themselves are never kept.

use axum::extract::{FromRequest, Multipart, Request};
use futures_util::StreamExt as _;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::reply::{ApiError, Payload, Reply};
use heygen_model::validate::MAX_MULTIPART_UPLOAD_BYTES;

use crate::rules::{SUPPORTED_MIME, canonical_mime, sniff};
use crate::shared::{Meta, Shared};
use crate::state::{Asset, AssetState, Received};

fn hex(d: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(d.len() * 2);
    for b in d {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn by_extension(name: &str) -> Option<&'static str> {
    let ext = name.rsplit('.').next()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "pdf" => "application/pdf",
        "srt" => "application/x-subrip",
        _ => return None,
    })
}

#[allow(clippy::too_many_lines, reason = "one streaming loop with its checks")]
/// `POST /v3/assets`: one multipart part named `file`, at most
/// [`MAX_MULTIPART_UPLOAD_BYTES`] (HeyGen's "32 MB", the number the SDK model uses too).
pub(crate) async fn multipart(
    sh: &Shared,
    req: Request,
    meta: &mut Meta,
) -> Result<Reply, ApiError> {
    let ct = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !ct.starts_with("multipart/form-data") {
        return Err(ApiError::invalid(
            "Content-Type",
            "uploads must be multipart/form-data with a `file` part",
        ));
    }
    let mut mp = Multipart::from_request(req, &())
        .await
        .map_err(|e| ApiError::invalid("file", format!("malformed multipart body: {e}")))?;
    let mut found: Option<(String, Option<String>, Vec<u8>, u64)> = None;
    let mut too_big = false;
    let mut total = 0u64;
    loop {
        let field = mp
            .next_field()
            .await
            .map_err(|e| ApiError::invalid("file", format!("malformed multipart body: {e}")))?;
        let Some(mut field) = field else { break };
        let is_file = field.name() == Some("file") && found.is_none();
        let filename = field.file_name().unwrap_or("upload").to_owned();
        let part_ct = field.content_type().map(str::to_owned);
        let mut head = Vec::new();
        let mut size = 0u64;
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| ApiError::invalid("file", format!("malformed multipart body: {e}")))?
        {
            let n = chunk.len() as u64;
            size += n;
            total += n;
            if !is_file {
                continue;
            }
            if size > MAX_MULTIPART_UPLOAD_BYTES {
                too_big = true;
                continue;
            }
            if head.len() < 512 {
                let take = (512 - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
        }
        if is_file {
            found = Some((filename, part_ct, head, size));
        }
    }
    meta.body_bytes = meta.body_bytes.max(total);
    if too_big {
        return Err(ApiError::new(
            413,
            "payload_too_large",
            format!("file exceeds the {MAX_MULTIPART_UPLOAD_BYTES}-byte limit for multipart uploads; use a direct upload"),
        )
        .param("file"));
    }
    let Some((filename, part_ct, head, size)) = found else {
        return Err(ApiError::invalid(
            "file",
            "the multipart body needs a part named `file`",
        ));
    };
    if sh.strict && size == 0 {
        return Err(ApiError::invalid("file", "the file is empty (strict mode)"));
    }
    let unsupported = || {
        ApiError::invalid(
            "file",
            "unsupported file type (png, jpeg, mp4, webm, mp3, wav, pdf, srt)",
        )
    };
    // The bytes decide when they are recognisable; then the part's type, then the name.
    let mime = match sniff(&head) {
        Some(found) if SUPPORTED_MIME.contains(&found) => found.to_owned(),
        Some(_) => return Err(unsupported()),
        None => part_ct
            .map(|c| canonical_mime(&c))
            .filter(|c| SUPPORTED_MIME.contains(&c.as_str()))
            .or_else(|| by_extension(&filename).map(str::to_owned))
            .ok_or_else(unsupported)?,
    };
    let mut st = sh.lock();
    let id = st.new_id();
    let now = st.now();
    st.assets.insert(
        id.clone(),
        Asset {
            id: id.clone(),
            name: filename,
            mime: mime.clone(),
            size,
            uploaded_at: now,
            state: AssetState::Complete,
        },
    );
    let url = st.asset_url(&id);
    Ok(Reply::json(
        200,
        json!({"data": {"asset_id": id, "url": url, "mime_type": mime, "size_bytes": size}}),
    ))
}

fn s3_error(status: u16, code: &str, message: &str) -> Reply {
    Reply::raw(
        status,
        "application/xml",
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"
        ),
    )
}

/// Reads and discards the rest of a body, so the client can read the answer.
async fn drain(body: axum::body::Body) -> u64 {
    let mut n = 0u64;
    let mut s = body.into_data_stream();
    while let Some(Ok(c)) = s.next().await {
        n += c.len() as u64;
    }
    n
}

#[allow(
    clippy::too_many_lines,
    reason = "one streaming upload with its checks"
)]
/// `PUT /_storage/{asset_id}?…X-Amz-Signature=…`: the presigned upload of a direct upload.
pub(crate) async fn put(sh: &Shared, req: Request, meta: &mut Meta) -> Reply {
    let path = req.uri().path().to_owned();
    let id = path.trim_start_matches("/_storage/").to_owned();
    let raw_query = req.uri().query().unwrap_or_default().to_owned();
    let headers = req.headers().clone();
    let body = req.into_body();
    if headers.contains_key("x-api-key") || headers.contains_key("authorization") {
        meta.credentials_rejected = true;
        meta.body_bytes = drain(body).await;
        return s3_error(
            403,
            "AccessDenied",
            "Presigned uploads must not carry X-Api-Key or Authorization headers",
        );
    }
    let expected = {
        let st = sh.lock();
        let now_ms = st.clock.now_ms();
        match st.assets.get(&id) {
            Some(Asset {
                size,
                state:
                    AssetState::Pending {
                        signature,
                        expires_at_ms,
                        checksum,
                        content_type,
                        ..
                    },
                ..
            }) => Ok((
                *size,
                signature.clone(),
                *expires_at_ms < now_ms,
                checksum.clone(),
                content_type.clone(),
            )),
            Some(_) => Err(s3_error(
                409,
                "InvalidRequest",
                "This upload is already complete",
            )),
            None => Err(s3_error(
                404,
                "NoSuchKey",
                "The specified key does not exist.",
            )),
        }
    };
    let (size, signature, expired, checksum, content_type) = match expected {
        Ok(e) => e,
        Err(r) => {
            meta.body_bytes = drain(body).await;
            return r;
        }
    };
    let sig_ok = raw_query
        .split('&')
        .any(|kv| kv.strip_prefix("X-Amz-Signature=") == Some(signature.as_str()));
    if !sig_ok {
        meta.body_bytes = drain(body).await;
        return s3_error(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Use the upload URL byte for byte.",
        );
    }
    if expired {
        meta.body_bytes = drain(body).await;
        return s3_error(403, "AccessDenied", "Request has expired");
    }
    let sent_ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if sent_ct != content_type {
        meta.body_bytes = drain(body).await;
        return s3_error(
            403,
            "SignatureDoesNotMatch",
            "Content-Type is part of the signature: send exactly the upload_headers",
        );
    }
    let mut hasher = Sha256::new();
    let mut n = 0u64;
    let mut head = Vec::new();
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            meta.body_bytes = n;
            return s3_error(400, "IncompleteBody", "The request body ended early");
        };
        n += chunk.len() as u64;
        if n <= size {
            hasher.update(&chunk);
        }
        if head.len() < 512 {
            let take = (512 - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
    }
    meta.body_bytes = n;
    if n != size {
        return s3_error(
            400,
            if n < size {
                "IncompleteBody"
            } else {
                "EntityTooLarge"
            },
            &format!("You must send exactly {size} bytes; received {n}"),
        );
    }
    let digest = hex(&hasher.finalize());
    if checksum.as_ref().is_some_and(|c| c != &digest) {
        return s3_error(
            400,
            "BadDigest",
            "The SHA-256 you specified did not match the calculated checksum.",
        );
    }
    let mut st = sh.lock();
    if let Some(Asset {
        state: AssetState::Pending { received, .. },
        ..
    }) = st.assets.get_mut(&id)
    {
        *received = Some(Received {
            sha256: digest.clone(),
            detected: sniff(&head),
        });
    }
    Reply {
        status: 200,
        headers: vec![("ETag".into(), format!("\"{digest}\""))],
        payload: Payload::Empty,
    }
}
