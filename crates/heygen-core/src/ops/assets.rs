//! Assets: multipart upload, direct upload (create, complete), upload batches (create, complete,
//! read), and the workspace's assets (list, get, delete, statuses).

use http::header::HeaderValue;
use http::{Method, Request, Response};

use heygen_model::{
    Asset, AssetBatch, AssetDetails, AssetId, AssetStatusEntry, AssetStatusesQuery, BatchId,
    CompleteUploadBatchRequest, CompleteUploadRequest, CompletedUpload, CompletedUploadBatch,
    CreateDirectUploadRequest, CreateUploadBatchRequest, DirectUpload, IdempotencyKey,
    ListAssetsQuery, UploadBatch,
};

use super::macros::{
    batch_page, create_from_json, delete_by_id, get_by_id, paginate_by_token, query_page,
};
use super::support::{data, key_str};
use crate::batch::{BatchRead, WaitBatch};
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

query_page! {
    /// `GET /v3/assets`: one page of a workspace member's assets, newest first (`limit` 1 to 100;
    /// `username` is required while the endpoint is in beta).
    pub struct ListAssets => AssetDetails {
        /// A page matching `query`.
        new;
        query: ListAssetsQuery = "/v3/assets",
    }
}

paginate_by_token!(ListAssets);

get_by_id! {
    /// `GET /v3/assets/{asset_id}`: one asset's metadata (owner, type, upload time, URL).
    pub struct GetAsset => AssetDetails {
        /// Reads `asset_id`.
        new;
        /// The asset id.
        asset_id: AssetId = "/v3/assets/{asset_id}",
    }
}

delete_by_id! {
    /// `DELETE /v3/assets/{asset_id}`: deletes an asset for good.
    pub struct DeleteAsset {
        /// Deletes `asset_id`.
        new;
        asset_id: AssetId = "/v3/assets/{asset_id}",
    }
}

query_page! {
    /// `GET /v3/assets/statuses`: the processing state of up to 100 assets, named by id or by the
    /// upload batch they belong to. Unknown ids come back as `not_found`.
    pub struct GetAssetStatuses => AssetStatusEntry {
        /// The statuses of the assets and batches in `query`.
        new;
        query: AssetStatusesQuery = "/v3/assets/statuses",
    }
}

create_from_json! {
    /// `POST /v3/assets/direct-uploads/batches`: reserves up to 100 assets at once and returns a
    /// presigned upload slot for each, in the order of the files. The idempotency key (generated
    /// when not given, the same on every retry) makes a retry return the same batch.
    pub struct CreateUploadBatch => UploadBatch {
        /// Creates the batch described by `request` (1 to 100 files, each with its exact size
        /// in bytes).
        new(request: CreateUploadBatchRequest);
        path: "/v3/assets/direct-uploads/batches",
    }
}

/// `POST /v3/assets/complete/batches`: finishes every uploaded file of a batch (HeyGen answers
/// 202 and checks each file on its own; read the outcome with [`GetAssetBatch`]). Idempotent:
/// completing again re-drives the same batch. A 409 conflict is retried with backoff, as for a
/// single upload. An empty 2xx body reads as the batch given.
#[derive(Debug, Clone)]
pub struct CompleteUploadBatch {
    request: CompleteUploadBatchRequest,
    idempotency_key: Option<IdempotencyKey>,
}

impl CompleteUploadBatch {
    /// Completes the batch of `request`.
    pub fn new(request: CompleteUploadBatchRequest) -> Self {
        Self {
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

    /// The request body.
    pub fn request(&self) -> &CompleteUploadBatchRequest {
        &self.request
    }
}

impl Operation for CompleteUploadBatch {
    type Output = CompletedUploadBatch;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path_template(&self) -> &'static str {
        "/v3/assets/complete/batches"
    }

    fn idempotency_key(&self) -> Option<&str> {
        key_str(self.idempotency_key.as_ref())
    }

    fn is_idempotent(&self) -> bool {
        // The reference: a repeated call re-drives the same batch.
        true
    }

    fn retries_conflict(&self) -> bool {
        true
    }

    fn build(&self, config: &Config) -> Result<Request<Body>, Error> {
        self.request.validate()?;
        api_request(
            config,
            Method::POST,
            "/v3/assets/complete/batches",
            json_body(&self.request)?,
        )
    }

    fn parse(
        &self,
        response: Response<&[u8]>,
        limits: &ResponseLimits,
    ) -> Result<Self::Output, Error> {
        if response.status().is_success() && response.body().is_empty() {
            let mut done = CompletedUploadBatch::default();
            done.batch_id = Some(self.request.batch_id.clone());
            return Ok(done);
        }
        let mut done: CompletedUploadBatch =
            data(&Method::POST, self.path_template(), &response, limits)?;
        if done.batch_id.is_none() {
            done.batch_id = Some(self.request.batch_id.clone());
        }
        Ok(done)
    }
}

batch_page! {
    /// `GET /v3/assets/batches/{batch_id}`: an upload batch's aggregate status and one page of its
    /// items (each item's asset id arrives as `video_id`; the page cursor is inside `data`).
    pub struct GetAssetBatch => AssetBatch {
        /// The first page of `batch_id`'s items.
        new;
        batch_id: BatchId = "/v3/assets/batches/{batch_id}",
    }
}

impl BatchRead for GetAssetBatch {
    type Id = AssetId;
    const RESOURCE: &'static str = "asset batch";

    fn batch_id(&self) -> &BatchId {
        &self.batch_id
    }
}

impl WaitBatch<GetAssetBatch> {
    /// Waits until every file of the upload batch `batch_id` is `completed` or `failed`
    /// (`GET /v3/assets/batches/{batch_id}`, every page each poll).
    pub fn asset(batch_id: &BatchId) -> Self {
        Self::new(GetAssetBatch::new(batch_id.clone()))
    }
}
