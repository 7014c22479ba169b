//! Assets: multipart upload, direct upload (create, complete).

use bytes::Bytes;
use http::header::HeaderValue;
use http::{Method, Request, Response};

use heygen_model::{
    Asset, AssetId, CompleteUploadRequest, CompletedUpload, CreateDirectUploadRequest,
    DirectUpload, IdempotencyKey,
};

use super::macros::create_from_json;
use super::support::{data, key_str};
use crate::config::{Config, TimeoutClass};
use crate::error::Error;
use crate::operation::{Body, Operation, api_request, encode_path_param, json_body};
use crate::upload::{DirectUploadPut, MultipartFraming};

/// `POST /v3/assets`: uploads one file (at most 32 MB) as `multipart/form-data`.
///
/// The core frames the body; the transport streams [`MultipartFraming::prefix`], the file's
/// bytes and [`MultipartFraming::suffix`]. The built request carries the multipart
/// `Content-Type` and the exact `Content-Length`, and an empty body.
#[derive(Debug, Clone)]
pub struct UploadAsset {
    file_name: String,
    content_type: String,
    size_bytes: u64,
    boundary_entropy: [u8; 16],
    idempotency_key: Option<IdempotencyKey>,
}

impl UploadAsset {
    /// An upload of `size_bytes` bytes named `file_name` of media type `content_type`; the
    /// multipart boundary is made from `boundary_entropy` (16 random bytes).
    pub fn new(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        size_bytes: u64,
        boundary_entropy: [u8; 16],
    ) -> Self {
        Self {
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

    /// The body framing to stream around the file.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a file over 32 MB (use direct upload), an empty file or
    /// file name, or an invalid content type.
    pub fn framing(&self) -> Result<MultipartFraming, Error> {
        MultipartFraming::new(
            &self.file_name,
            &self.content_type,
            self.size_bytes,
            self.boundary_entropy,
        )
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

    fn streams_body(&self) -> bool {
        true
    }

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        let framing = self.framing()?;
        let content_type = HeaderValue::from_str(framing.content_type())
            .map_err(|_| Error::invalid_request(Some("content_type"), "invalid header value"))?;
        api_request(
            config,
            Method::POST,
            "/v3/assets",
            self.idempotency_key(),
            Body::Streamed {
                content_type,
                length: framing.content_length(),
            },
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        data(&Method::POST, self.path_template(), &response)
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
    /// The `PUT` for a direct upload HeyGen returned, of `size_bytes` bytes (the size declared
    /// when creating it).
    pub fn from_direct_upload(upload: &DirectUpload, size_bytes: u64) -> Self {
        Self::new(
            upload.upload_url.as_str(),
            upload
                .upload_headers
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
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

    fn build(&self, config: &Config) -> Result<Request<Bytes>, Error> {
        self.request.validate()?;
        let id = encode_path_param("asset_id", self.asset_id.as_str())?;
        api_request(
            config,
            Method::POST,
            &format!("/v3/assets/{id}/complete"),
            self.idempotency_key(),
            json_body(&self.request)?,
        )
    }

    fn parse(&self, response: Response<&[u8]>) -> Result<Self::Output, Error> {
        data(&Method::POST, self.path_template(), &response)
    }
}
