//! Assets: multipart upload, direct upload (create, complete).

use http::header::HeaderValue;
use http::{Method, Request, Response};

use heygen_model::{
    Asset, AssetId, CompleteUploadRequest, CompletedUpload, CreateDirectUploadRequest,
    DirectUpload, IdempotencyKey,
};

use super::macros::create_from_json;
use super::support::{data, key_str};
use crate::body::{Body, Source};
use crate::config::{Config, TimeoutClass};
use crate::error::Error;
use crate::operation::{Operation, Payload, api_request, encode_path_param, json_body};
use crate::response::ResponseLimits;
use crate::upload::{DirectUploadPut, MultipartFraming};

/// `POST /v3/assets`: uploads one file (at most
/// [`MAX_MULTIPART_UPLOAD_BYTES`](heygen_model::validate::MAX_MULTIPART_UPLOAD_BYTES)) as
/// `multipart/form-data`.
///
/// The core frames the body; the built request's body is a [`Body::Stream`] plan: the part
/// header, the source's bytes, the closing boundary, with the exact `Content-Length`.
#[derive(Debug, Clone)]
pub struct UploadAsset {
    source: Source,
    file_name: String,
    content_type: String,
    size_bytes: u64,
    boundary_entropy: [u8; 16],
    idempotency_key: Option<IdempotencyKey>,
}

impl UploadAsset {
    /// An upload of `size_bytes` bytes of `source` named `file_name` of media type
    /// `content_type`; the multipart boundary is made from `boundary_entropy` (16 random bytes).
    pub fn new(
        source: Source,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        size_bytes: u64,
        boundary_entropy: [u8; 16],
    ) -> Self {
        Self {
            source,
            file_name: file_name.into(),
            content_type: content_type.into(),
            size_bytes,
            boundary_entropy,
            idempotency_key: None,
        }
    }

    /// Uses this idempotency key instead of a generated one.
    #[must_use]
    pub fn idempotency_key(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }
}

impl Operation for UploadAsset {
    type Output = Asset;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path_template(&self) -> &'static str {
        "/v3/assets"
    }

    fn timeout_class(&self) -> TimeoutClass {
        TimeoutClass::Upload
    }

    fn idempotency_key(&self) -> Option<&str> {
        key_str(self.idempotency_key.as_ref())
    }

    fn build(&self, config: &Config) -> Result<Request<Body>, Error> {
        let framing = MultipartFraming::new(
            &self.file_name,
            &self.content_type,
            self.size_bytes,
            self.boundary_entropy,
        )?;
        let content_type = HeaderValue::from_str(framing.content_type())
            .map_err(|_| Error::invalid_request(Some("content_type"), "invalid header value"))?;
        api_request(
            config,
            Method::POST,
            "/v3/assets",
            Payload::Stream {
                content_type,
                body: framing.into_body(self.source.clone()),
            },
        )
    }

    fn parse(
        &self,
        response: Response<&[u8]>,
        limits: &ResponseLimits,
    ) -> Result<Self::Output, Error> {
        data(&Method::POST, self.path_template(), &response, limits)
    }
}

create_from_json! {
    /// `POST /v3/assets/direct-uploads`: reserves an asset and returns the presigned URL and
    /// headers for the `PUT` of its bytes (any size).
    pub struct CreateDirectUpload => DirectUpload {
        /// Creates a direct upload described by `request` (file name, content type, exact size in
        /// bytes, optional hex SHA-256).
        new(request: CreateDirectUploadRequest);
        path: "/v3/assets/direct-uploads",
    }
}

impl DirectUploadPut {
    /// The `PUT` of `size_bytes` bytes of `source` (the size declared when creating it) for a
    /// direct upload HeyGen returned.
    pub fn from_direct_upload(upload: &DirectUpload, source: Source, size_bytes: u64) -> Self {
        Self::new(
            upload.upload_url.as_str(),
            upload
                .upload_headers
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
            source,
            size_bytes,
        )
    }
}

/// `POST /v3/assets/{asset_id}/complete`: marks a direct upload as done. A 409 conflict (the
/// storage has not seen the object yet) is retried with backoff. With no checksum the body is
/// `{}`.
#[derive(Debug, Clone)]
pub struct CompleteUpload {
    asset_id: AssetId,
    request: CompleteUploadRequest,
    idempotency_key: Option<IdempotencyKey>,
}

impl CompleteUpload {
    /// Completes `asset_id`.
    pub fn new(asset_id: AssetId, request: CompleteUploadRequest) -> Self {
        Self {
            asset_id,
            request,
            idempotency_key: None,
        }
    }

    /// Uses this idempotency key instead of a generated one.
    #[must_use]
    pub fn idempotency_key(mut self, key: IdempotencyKey) -> Self {
        self.idempotency_key = Some(key);
        self
    }

    /// The asset id.
    pub fn asset_id(&self) -> &AssetId {
        &self.asset_id
    }
}

impl Operation for CompleteUpload {
    type Output = CompletedUpload;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path_template(&self) -> &'static str {
        "/v3/assets/{asset_id}/complete"
    }

    fn idempotency_key(&self) -> Option<&str> {
        key_str(self.idempotency_key.as_ref())
    }

    fn is_idempotent(&self) -> bool {
        // Completing the same upload twice has the same effect as once.
        true
    }

    fn retries_conflict(&self) -> bool {
        true
    }

    fn build(&self, config: &Config) -> Result<Request<Body>, Error> {
        self.request.validate()?;
        let id = encode_path_param("asset_id", self.asset_id.as_str())?;
        api_request(
            config,
            Method::POST,
            &format!("/v3/assets/{id}/complete"),
            json_body(&self.request)?,
        )
    }

    fn parse(
        &self,
        response: Response<&[u8]>,
        limits: &ResponseLimits,
    ) -> Result<Self::Output, Error> {
        data(&Method::POST, self.path_template(), &response, limits)
    }
}
