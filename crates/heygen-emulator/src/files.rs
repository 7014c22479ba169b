//! The file origin: a second loopback listener that serves rendered videos, as HeyGen's
//! storage does, through presigned links that expire.
//!
//! `GET /v3/videos/{video_id}` of a completed video answers `video_url` (and
//! `captioned_video_url` for a video created with `caption.style`) pointing here:
//! `http://127.0.0.1:<files port>/files/videos/<id>.<mp4|webm>?Expires=<unix s>&X-Amz-Signature=<hex>`
//! (`<id>.captioned.<ext>` for the captioned file). The signature is HMAC-SHA256 over the path
//! and the expiry, keyed from the seed; links are signed afresh on every read of the video and
//! live [`FileLinks::lifetime_secs`] emulated seconds (`EmulatorOptions::file_link_secs`).
//! An expired link or a bad signature is a `403` with storage's XML error, an unknown or
//! unfinished video a `404`. The bytes are deterministic per video ([`rendered_bytes`]): an MP4
//! (or WebM) header and a pseudo-random body of a few hundred kilobytes, sent with
//! `Content-Length`.
//!
//! Every request is logged with its headers (credentials masked, but their names kept), so a
//! test can check that no API key or bearer token reached this origin. Fault rules apply here
//! too (match `/files/videos/*`): `close`, `truncate` (the connection is cut mid-file),
//! `stall_body`, `trickle`, `status`, `html` and `delay` (the expiry is checked after the delay, so a
//! delay longer than the lifetime makes the link expire in flight).
//!
//! Layer: uses `reply`, `fault`, `state` and `shared`; `state` holds the [`FileLinks`].

use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State as AxState};
use axum::http::Response;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::fault::Fault;
use crate::reply::Reply;
use crate::server::{ConnCtl, content_length, mask_headers, mask_query, render};
use crate::shared::Shared;
use crate::state::LoggedRequest;

/// Default lifetime of a file link, in emulated seconds.
pub const DEFAULT_FILE_LINK_SECS: u64 = 3600;

/// The file origin's links: where it listens, the signing key, how long links live, which
/// videos have a captioned file, and the log of what reached it.
#[derive(Debug, Clone, Default)]
pub(crate) struct FileLinks {
    /// `http://127.0.0.1:<port>` of the file origin.
    pub(crate) base_url: String,
    key: [u8; 32],
    /// Emulated seconds a link lives after it was signed.
    pub(crate) lifetime_secs: i64,
    /// Videos created with burned-in captions (`caption.style`).
    pub(crate) captioned: HashSet<String>,
    /// Requests that reached the file origin, oldest first.
    pub(crate) log: Vec<LoggedRequest>,
}

type HmacSha256 = Hmac<Sha256>;

impl FileLinks {
    /// Links for the origin at `base_url`, signed with a key made from `seed`.
    pub(crate) fn new(base_url: String, seed: u64, lifetime_secs: u64) -> Self {
        let mut key = [0u8; 32];
        let mut rng = fastrand::Rng::with_seed(seed ^ 0x6669_6c65_736b_6579);
        rng.fill(&mut key);
        Self {
            base_url,
            key,
            lifetime_secs: i64::try_from(lifetime_secs).unwrap_or(i64::MAX),
            captioned: HashSet::new(),
            log: Vec::new(),
        }
    }

    /// The same origin, key and lifetime with no state (after a reset).
    pub(crate) fn fresh(&self) -> Self {
        Self {
            captioned: HashSet::new(),
            log: Vec::new(),
            ..self.clone()
        }
    }

    fn signature(&self, path: &str, expires: i64) -> String {
        let Ok(mut mac) = HmacSha256::new_from_slice(&self.key) else {
            return String::new();
        };
        mac.update(path.as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .fold(String::new(), |mut hex, b| {
                let _ = write!(hex, "{b:02x}");
                hex
            })
    }

    /// The path of a video's file.
    fn path(video_id: &str, format: &str, captioned: bool) -> String {
        let ext = if format == "webm" { "webm" } else { "mp4" };
        if captioned {
            format!("/files/videos/{video_id}.captioned.{ext}")
        } else {
            format!("/files/videos/{video_id}.{ext}")
        }
    }

    /// A link to a video's file signed at emulated time `now`.
    pub(crate) fn link(&self, video_id: &str, format: &str, captioned: bool, now: i64) -> String {
        let path = Self::path(video_id, format, captioned);
        let expires = now.saturating_add(self.lifetime_secs);
        let signature = self.signature(&path, expires);
        format!(
            "{}{path}?Expires={expires}&X-Amz-Signature={signature}",
            self.base_url
        )
    }

    /// Checks a link's query at emulated time `now`: `Err` with the storage error code.
    fn check(&self, path: &str, query: Option<&str>, now: i64) -> Result<(), &'static str> {
        let mut expires = None;
        let mut signature = None;
        for pair in query.unwrap_or_default().split('&') {
            match pair.split_once('=') {
                Some(("Expires", v)) => expires = v.parse::<i64>().ok(),
                Some(("X-Amz-Signature", v)) => signature = Some(v),
                _ => {}
            }
        }
        let (Some(expires), Some(signature)) = (expires, signature) else {
            return Err("AccessDenied");
        };
        let expected = self.signature(path, expires);
        // Constant-time enough for an emulator: compare every byte.
        let same = expected.len() == signature.len()
            && expected
                .bytes()
                .zip(signature.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return Err("SignatureDoesNotMatch");
        }
        if now > expires {
            return Err("ExpiredToken");
        }
        Ok(())
    }
}

/// The bytes of a rendered video: a container header (`ftyp` for MP4, EBML for WebM) and a
/// pseudo-random body, 256 KiB to 320 KiB, the same for the same video every time.
pub fn rendered_bytes(video_id: &str, format: &str, captioned: bool) -> Vec<u8> {
    // FNV-1a of the id and the variant seeds the body.
    let mut seed: u64 = 0xcbf2_9ce4_8422_2325;
    for b in video_id
        .bytes()
        .chain(format.bytes())
        .chain([u8::from(captioned)])
    {
        seed ^= u64::from(b);
        seed = seed.wrapping_mul(0x0100_0000_01b3);
    }
    let len = 256 * 1024 + usize::try_from(seed % (64 * 1024)).unwrap_or(0);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut bytes = vec![0u8; len];
    rng.fill(&mut bytes);
    let header: &[u8] = if format == "webm" {
        b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
    } else {
        b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    };
    bytes[..header.len()].copy_from_slice(header);
    bytes
}

/// `GET /_emulator/files/requests`: the file origin's address and what reached it.
pub(crate) fn requests(sh: &Shared) -> Reply {
    let st = sh.lock();
    Reply::json(
        200,
        serde_json::json!({"base_url": st.files.base_url, "requests": st.files.log}),
    )
}

/// The router of the file origin.
pub(crate) fn router(sh: Arc<Shared>) -> Router {
    Router::new()
        .fallback(handler)
        .layer(DefaultBodyLimit::disable())
        .with_state(sh)
}

fn storage_error(status: u16, code: &str, message: &str) -> Reply {
    Reply::raw(
        status,
        "application/xml",
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"
        ),
    )
}

async fn handler(AxState(sh): AxState<Arc<Shared>>, req: Request) -> Response<Body> {
    let ctl = req.extensions().get::<ConnCtl>().cloned();
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let fault = crate::fault::pick(&mut sh.lock_faults(), &method, &path);
    let request_id = {
        let mut st = sh.lock();
        let request_id = st.next_request_id();
        let carried =
            req.headers().contains_key("x-api-key") || req.headers().contains_key("authorization");
        st.files.log.push(LoggedRequest {
            request_id: request_id.clone(),
            method: method.clone(),
            path: path.clone(),
            query: mask_query(query.as_deref()),
            headers: mask_headers(req.headers()),
            body_bytes: content_length(req.headers()),
            status: 0,
            credentials_rejected: carried,
            fault: fault.as_ref().map(|f| f.kind().to_owned()),
        });
        request_id
    };
    let reply = match &fault {
        Some(Fault::Close) => {
            if let Some(c) = &ctl {
                c.close();
            }
            std::future::pending::<()>().await;
            return Response::new(Body::empty());
        }
        Some(Fault::Status { status, .. } | Fault::Html { status, .. }) => {
            storage_error(*status, "InjectedFault", "fault injected by the emulator")
        }
        Some(Fault::Delay { ms }) => {
            tokio::time::sleep(Duration::from_millis(*ms)).await;
            serve(&sh, &method, &path, query.as_deref())
        }
        _ => serve(&sh, &method, &path, query.as_deref()),
    };
    {
        let mut st = sh.lock();
        if let Some(e) = st
            .files
            .log
            .iter_mut()
            .rev()
            .find(|e| e.request_id == request_id)
        {
            e.status = reply.status;
        }
    }
    let fault = fault.filter(|f| {
        matches!(
            f,
            Fault::Truncate { .. } | Fault::StallBody { .. } | Fault::Trickle { .. }
        )
    });
    render(reply, &request_id, fault.as_ref(), ctl.as_ref())
}

/// The reply to a file request that met no fault.
fn serve(sh: &Shared, method: &str, path: &str, query: Option<&str>) -> Reply {
    if method != "GET" && method != "HEAD" {
        return storage_error(405, "MethodNotAllowed", "only GET is allowed");
    }
    let st = sh.lock();
    if let Err(code) = st.files.check(path, query, st.now()) {
        let message = match code {
            "ExpiredToken" => "Request has expired",
            "SignatureDoesNotMatch" => "The request signature does not match",
            _ => "Query-string authentication requires the Expires and X-Amz-Signature parameters",
        };
        return storage_error(403, code, message);
    }
    let Some(name) = path.strip_prefix("/files/videos/") else {
        return storage_error(404, "NoSuchKey", "The specified key does not exist");
    };
    let mut parts = name.split('.');
    let id = parts.next().unwrap_or_default();
    let captioned = name.contains(".captioned.");
    let Some(video) = st.videos.get(id) else {
        return storage_error(404, "NoSuchKey", "The specified key does not exist");
    };
    if st.video_status(video) != "completed" || (captioned && !st.files.captioned.contains(id)) {
        return storage_error(404, "NoSuchKey", "The specified key does not exist");
    }
    let format = video.output_format.clone();
    drop(st);
    let content_type = if format == "webm" {
        "video/webm"
    } else {
        "video/mp4"
    };
    Reply::raw(200, content_type, rendered_bytes(id, &format, captioned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_expire_and_refuse_a_changed_path_or_signature() {
        let links = FileLinks::new("http://127.0.0.1:9".into(), 7, 60);
        let url = links.link("abc", "mp4", false, 1_000);
        let path_and_query = url.trim_start_matches("http://127.0.0.1:9");
        let (path, query) = path_and_query.split_once('?').unwrap();
        assert_eq!(path, "/files/videos/abc.mp4");
        assert_eq!(links.check(path, Some(query), 1_060), Ok(()));
        assert_eq!(links.check(path, Some(query), 1_061), Err("ExpiredToken"));
        assert_eq!(
            links.check("/files/videos/abd.mp4", Some(query), 1_000),
            Err("SignatureDoesNotMatch")
        );
        assert_eq!(links.check(path, None, 1_000), Err("AccessDenied"));
    }

    #[test]
    fn rendered_bytes_are_deterministic_and_look_like_video() {
        let a = rendered_bytes("abc", "mp4", false);
        assert_eq!(a, rendered_bytes("abc", "mp4", false));
        assert_ne!(a, rendered_bytes("abc", "mp4", true));
        assert_eq!(&a[4..8], b"ftyp");
        assert!(a.len() >= 256 * 1024);
        assert_eq!(
            &rendered_bytes("abc", "webm", false)[..4],
            b"\x1a\x45\xdf\xa3"
        );
    }
}
