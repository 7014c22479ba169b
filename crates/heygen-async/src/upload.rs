//! Uploads: multipart `POST /v3/assets`, direct upload, inline base64, and avatars, consent
//! videos and reference images from local files. Files are streamed, never held in memory
//! (except below the inline threshold, where the bytes go into the JSON body).

use core::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt as _;
use heygen_core::ops::{
    CompleteUpload, CreateConsent, CreateDirectUpload, DirectUploadPut, UploadAsset,
};
pub(crate) use heygen_core::upload::UploadOptions;
pub use heygen_core::upload::{
    AvatarFileKind, AvatarFromFile, DEFAULT_INLINE_THRESHOLD, Progress, UploadMethod,
};
use heygen_core::upload::{
    FileFacts, InlineBody, SNIFF_BYTES, Sha256, check_direct_upload_size, placeholder_input,
    unreadable_file,
};
use heygen_core::{Call, Error, Operation};
use heygen_model::{
    Asset, AssetId, AssetInput, AvatarGroupId, CompleteUploadRequest, CompletedUpload,
    ConsentResponse, CreateAvatarResponse, CreateConsentRequest, CreateDirectUploadRequest,
    CreatePromptAvatar, DirectUpload,
};
use tokio::io::{AsyncRead, AsyncReadExt as _};

use crate::client::{Client, entropy};
use crate::transport::{BodyStream, RequestBody};

/// Bytes read from a file per chunk (64 KiB).
const CHUNK_BYTES: u64 = 64 * 1024;

impl Client {
    /// Assets: multipart and direct uploads.
    pub fn assets(&self) -> Assets<'_> {
        Assets { client: self }
    }

    /// This client with another inline-base64 threshold, in bytes: files up to it are sent
    /// inside the JSON request by the `…_from_file` methods (default 4 MiB).
    #[must_use]
    pub fn with_inline_threshold(mut self, bytes: u64) -> Self {
        self.uploads_mut().inline_threshold = bytes;
        self
    }

    /// This client with a progress callback for streamed uploads, called with (bytes of the
    /// file sent so far, file size) as the transport reads the file. A retried attempt starts
    /// again from zero.
    #[must_use]
    pub fn with_progress(mut self, progress: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.uploads_mut().progress = Some(Arc::new(progress));
        self
    }
}

/// Assets (`/v3/assets`). Get one with [`Client::assets`].
#[derive(Debug, Clone, Copy)]
pub struct Assets<'a> {
    client: &'a Client,
}

fn io_error(path: &Path, e: &std::io::Error) -> Error {
    unreadable_file(path, e)
}

/// Reads what the uploads need to know about a local file: its size and first bytes (the
/// core decides name and media type).
async fn file_facts(path: &Path) -> Result<FileFacts, Error> {
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|e| io_error(path, &e))?;
    let size = file.metadata().await.map_err(|e| io_error(path, &e))?.len();
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    (&mut file)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .await
        .map_err(|e| io_error(path, &e))?;
    FileFacts::new(path, size, &head)
}

/// Streams exactly `length` bytes of `reader` in chunks, reporting progress and feeding an
/// optional hasher. A reader that ends early fails the stream.
fn reader_stream<R>(
    reader: R,
    length: u64,
    progress: Option<Progress>,
    hasher: Option<Arc<Mutex<Sha256>>>,
) -> BodyStream
where
    R: AsyncRead + Send + Unpin + 'static,
{
    let state = (reader, 0u64);
    Box::pin(futures_util::stream::unfold(
        state,
        move |(mut reader, sent)| {
            let progress = progress.clone();
            let hasher = hasher.clone();
            async move {
                if sent >= length {
                    return None;
                }
                let want = usize::try_from((length - sent).min(CHUNK_BYTES)).unwrap_or(64 * 1024);
                let mut chunk = BytesMut::with_capacity(want);
                let read = (&mut reader).take(want as u64).read_buf(&mut chunk).await;
                match read {
                    Ok(0) => Some((
                        Err(std::io::Error::new(
                            std::io::ErrorKind::UnexpectedEof,
                            format!("the file ended after {sent} of {length} bytes"),
                        )),
                        (reader, length),
                    )),
                    Ok(n) => {
                        let sent = sent + n as u64;
                        let chunk = chunk.freeze();
                        if let Some(h) = &hasher {
                            h.lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .update(&chunk);
                        }
                        if let Some(p) = &progress {
                            p(sent, length);
                        }
                        Some((Ok(chunk), (reader, sent)))
                    }
                    Err(e) => Some((Err(e), (reader, length))),
                }
            }
        },
    ))
}

/// The multipart body: prefix, the file, suffix.
fn multipart_body(prefix: Bytes, file: BodyStream, suffix: Bytes, length: u64) -> RequestBody {
    let stream = futures_util::stream::iter([Ok(prefix)])
        .chain(file)
        .chain(futures_util::stream::iter([Ok(suffix)]));
    RequestBody::Stream {
        stream: Box::pin(stream),
        length,
    }
}

impl Assets<'_> {
    /// `POST /v3/assets`: uploads `size_bytes` bytes from `reader` as multipart form data,
    /// streaming the framing and the bytes with the exact `Content-Length`, without buffering
    /// them. At most 32 MB.
    ///
    /// The reader is read once: a failure after bytes were sent is not retried (use
    /// [`Assets::upload_path`], which re-opens the file, for retries).
    ///
    /// # Errors
    /// A validation error for an empty or over-32-MB file (it points to direct upload) or a bad
    /// content type (nothing sent), API and transport errors.
    pub async fn upload<R>(
        self,
        reader: R,
        file_name: &str,
        content_type: &str,
        size_bytes: u64,
    ) -> Result<Asset, Error>
    where
        R: AsyncRead + Send + Unpin + 'static,
    {
        let op = UploadAsset::new(file_name, content_type, size_bytes, entropy());
        let framing = op.framing()?;
        let mut call = Call::new(op, self.client.config(), entropy())?;
        call.set_body_replayable(false);
        let mut reader = Some(reader);
        let progress = self.client.uploads().progress.clone();
        self.client
            .drive(call, move |_| {
                let reader = reader.take()?;
                Some(multipart_body(
                    framing.prefix().clone(),
                    reader_stream(reader, framing.file_len(), progress.clone(), None),
                    framing.suffix().clone(),
                    framing.content_length(),
                ))
            })
            .await
    }

    /// `POST /v3/assets` from a file path; the content type is detected from the file's first
    /// bytes (or its extension). The file is re-opened for a retry.
    ///
    /// # Errors
    /// As [`Assets::upload`], plus I/O errors reading the file (as validation errors).
    pub async fn upload_path(self, path: impl AsRef<Path>) -> Result<Asset, Error> {
        let path = path.as_ref();
        let facts = file_facts(path).await?;
        self.multipart_path(path, &facts).await
    }

    async fn multipart_path(self, path: &Path, facts: &FileFacts) -> Result<Asset, Error> {
        let op = UploadAsset::new(&facts.name, &facts.media_type, facts.size, entropy());
        let framing = op.framing()?;
        let call = Call::new(op, self.client.config(), entropy())?;
        let file = open_all(path, facts.size).await?;
        let opener = Reopener::new(path, file);
        let progress = self.client.uploads().progress.clone();
        self.client
            .drive(call, move |_| {
                let file = opener.take()?;
                Some(multipart_body(
                    framing.prefix().clone(),
                    reader_stream(file, framing.file_len(), progress.clone(), None),
                    framing.suffix().clone(),
                    framing.content_length(),
                ))
            })
            .await
    }

    /// Uploads a file of any size: multipart up to 32 MB, direct upload above. Returns the
    /// asset id.
    ///
    /// # Errors
    /// As [`Assets::upload_path`] and [`Assets::direct_upload`].
    pub async fn upload_file(self, path: impl AsRef<Path>) -> Result<AssetId, Error> {
        let path = path.as_ref();
        let facts = file_facts(path).await?;
        self.upload_facts(path, &facts).await.map(|(id, _)| id)
    }

    async fn upload_facts(
        self,
        path: &Path,
        facts: &FileFacts,
    ) -> Result<(AssetId, UploadMethod), Error> {
        let method = UploadMethod::for_asset(facts.size);
        let asset_id = if method == UploadMethod::Multipart {
            self.multipart_path(path, facts).await?.asset_id
        } else {
            self.direct_facts(path, facts).await?.asset_id
        };
        Ok((asset_id, method))
    }

    /// The whole direct-upload flow for a file of any size: `POST /v3/assets/direct-uploads`
    /// with the exact size, `PUT` of the bytes to the presigned URL (only the returned
    /// headers, no credentials; the SHA-256 is computed while the bytes stream), then
    /// `POST /v3/assets/{asset_id}/complete` with the checksum, retrying the brief
    /// "not found yet" conflict.
    ///
    /// The file is read once per `PUT` attempt (re-opened for a retry), never held in memory.
    ///
    /// # Errors
    /// Errors of the create call as they are; a failed `PUT` or complete as
    /// [`Error::UploadFailed`] naming the asset id, so it can be resumed or cleaned up.
    pub async fn direct_upload(self, path: impl AsRef<Path>) -> Result<CompletedUpload, Error> {
        let path = path.as_ref();
        let facts = file_facts(path).await?;
        self.direct_facts(path, &facts).await
    }

    async fn direct_facts(self, path: &Path, facts: &FileFacts) -> Result<CompletedUpload, Error> {
        let created = self
            .create_direct_upload(CreateDirectUploadRequest::new(
                &facts.name,
                &facts.media_type,
                facts.size,
            ))
            .await?;
        let asset = created.asset_id.clone();
        check_direct_upload_size(&created, facts.size)?;
        let size = facts.size;
        let hasher = Arc::new(Mutex::new(Sha256::new()));
        let put = async {
            let op = DirectUploadPut::from_direct_upload(&created, size);
            let call = Call::new(op, self.client.config(), entropy())?;
            let file = open_all(path, size).await?;
            let opener = Reopener::new(path, file);
            let progress = self.client.uploads().progress.clone();
            let hasher = hasher.clone();
            self.client
                .drive(call, move |_| {
                    let file = opener.take()?;
                    // Each attempt hashes the bytes it sends from the start.
                    *hasher.lock().unwrap_or_else(PoisonError::into_inner) = Sha256::new();
                    Some(RequestBody::Stream {
                        stream: reader_stream(file, size, progress.clone(), Some(hasher.clone())),
                        length: size,
                    })
                })
                .await
        };
        put.await
            .map_err(|e| Error::upload_failed(asset.as_str(), e))?;
        let checksum = finish(&hasher);
        self.complete_upload(
            &asset,
            CompleteUploadRequest::new().checksum_sha256(checksum),
        )
        .await
        .map_err(|e| Error::upload_failed(asset.as_str(), e))
    }

    /// `POST /v3/assets/direct-uploads` alone: reserves an asset and returns the presigned URL.
    ///
    /// # Errors
    /// Validation errors, API and transport errors.
    pub async fn create_direct_upload(
        self,
        request: CreateDirectUploadRequest,
    ) -> Result<DirectUpload, Error> {
        self.client.execute(CreateDirectUpload::new(request)).await
    }

    /// `PUT`s `size_bytes` bytes from `reader` to a direct upload's presigned URL (byte for
    /// byte, only its headers plus `Content-Length`, no credentials) and returns their SHA-256
    /// as hex. The reader is read once and not retried after bytes were sent.
    ///
    /// # Errors
    /// [`Error::UploadFailed`] naming the asset id.
    pub async fn put_direct_upload<R>(
        self,
        upload: &DirectUpload,
        reader: R,
        size_bytes: u64,
    ) -> Result<String, Error>
    where
        R: AsyncRead + Send + Unpin + 'static,
    {
        let asset = upload.asset_id.as_str();
        check_direct_upload_size(upload, size_bytes)?;
        let hasher = Arc::new(Mutex::new(Sha256::new()));
        let op = DirectUploadPut::from_direct_upload(upload, size_bytes);
        let mut call = Call::new(op, self.client.config(), entropy())
            .map_err(|e| Error::upload_failed(asset, e))?;
        call.set_body_replayable(false);
        let mut reader = Some(reader);
        let progress = self.client.uploads().progress.clone();
        let sink = hasher.clone();
        self.client
            .drive(call, move |_| {
                let reader = reader.take()?;
                Some(RequestBody::Stream {
                    stream: reader_stream(reader, size_bytes, progress.clone(), Some(sink.clone())),
                    length: size_bytes,
                })
            })
            .await
            .map_err(|e| Error::upload_failed(asset, e))?;
        Ok(finish(&hasher))
    }

    /// `POST /v3/assets/{asset_id}/complete` alone (idempotent; the "not found yet" conflict
    /// is retried with backoff).
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn complete_upload(
        self,
        asset_id: &AssetId,
        request: CompleteUploadRequest,
    ) -> Result<CompletedUpload, Error> {
        self.client
            .execute(CompleteUpload::new(asset_id.clone(), request))
            .await
    }

    /// Sends the operation `make` builds around a file: inline base64 up to the threshold
    /// (encoded straight into the request body, in one pass over the file), otherwise an
    /// uploaded asset (multipart up to 32 MB, direct upload above).
    async fn with_file<O: Operation>(
        self,
        path: &Path,
        make: impl Fn(AssetInput) -> O,
    ) -> Result<(O::Output, Option<AssetId>, UploadMethod), Error> {
        let facts = file_facts(path).await?;
        let threshold = self.client.uploads().inline_threshold;
        if UploadMethod::for_file(facts.size, threshold) == UploadMethod::Inline {
            let op = make(placeholder_input(&facts.media_type)?);
            let call = Call::new(op, self.client.config(), entropy())?;
            let body = inline_body(call.request().body(), path, facts.size).await?;
            let output = self
                .client
                .drive(call, move |_built| Some(RequestBody::Bytes(body.clone())))
                .await?;
            return Ok((output, None, UploadMethod::Inline));
        }
        let (asset_id, method) = self.upload_facts(path, &facts).await?;
        let output = self
            .client
            .execute(make(AssetInput::asset_id(asset_id.clone())))
            .await?;
        Ok((output, Some(asset_id), method))
    }
}

/// The built request with the file's `size` bytes spliced in as base64, read chunk by chunk
/// straight into the core's [`InlineBody`].
async fn inline_body(built: &Bytes, path: &Path, size: u64) -> Result<Bytes, Error> {
    let mut body = InlineBody::new(built, size)?;
    let mut file = open_all(path, size).await?.take(size);
    let mut chunk = vec![0u8; 48 * 1024];
    loop {
        let n = file
            .read(&mut chunk)
            .await
            .map_err(|e| io_error(path, &e))?;
        if n == 0 {
            break;
        }
        body.feed(&chunk[..n])?;
    }
    body.finish()
}

fn finish(hasher: &Mutex<Sha256>) -> String {
    hasher
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
        .finalize_hex()
}

impl Client {
    /// Creates a photo avatar or digital twin from a local file (`POST /v3/avatars`): inline
    /// base64 up to the inline threshold (see [`Client::with_inline_threshold`]), multipart
    /// upload up to 32 MB, direct upload above. The media type comes from the file's bytes.
    ///
    /// # Errors
    /// Validation errors (unreadable file, unknown media type), upload errors
    /// ([`Error::UploadFailed`] names the asset), API and transport errors.
    pub async fn create_avatar_from_file(
        &self,
        kind: AvatarFileKind,
        name: &str,
        path: impl AsRef<Path>,
    ) -> Result<AvatarFromFile, Error> {
        let (avatar, asset_id, method) = self
            .assets()
            .with_file(path.as_ref(), |input| kind.create_avatar(name, input))
            .await?;
        Ok(AvatarFromFile::new(avatar, asset_id, method))
    }

    /// Gives consent with a consent video from a local file
    /// (`POST /v3/avatars/{group_id}/consent`), choosing inline, multipart or direct upload
    /// like [`Client::create_avatar_from_file`]. Returns the response and the asset id used.
    ///
    /// # Errors
    /// As [`Client::create_avatar_from_file`].
    pub async fn create_consent_from_file(
        &self,
        group_id: &AvatarGroupId,
        path: impl AsRef<Path>,
    ) -> Result<(ConsentResponse, Option<AssetId>), Error> {
        let (response, asset_id, _) = self
            .assets()
            .with_file(path.as_ref(), |input| {
                CreateConsent::new(
                    group_id.clone(),
                    CreateConsentRequest::new().consent_video(input),
                )
            })
            .await?;
        Ok((response, asset_id))
    }

    /// Creates a prompt avatar with reference images from local files (at most 3). Each image
    /// is uploaded as an asset (multipart, or direct upload above 32 MB) and referenced by id.
    ///
    /// # Errors
    /// As [`Client::create_avatar_from_file`].
    pub async fn create_prompt_avatar_from_files(
        &self,
        name: &str,
        prompt: &str,
        paths: &[&Path],
    ) -> Result<(CreateAvatarResponse, Vec<AssetId>), Error> {
        let mut ids = Vec::with_capacity(paths.len());
        for path in paths {
            ids.push(self.assets().upload_file(path).await?);
        }
        let images = ids.iter().cloned().map(AssetInput::asset_id).collect();
        let avatar = self
            .avatars()
            .create(CreatePromptAvatar::new(name, prompt).reference_images(images))
            .await?;
        Ok((avatar, ids))
    }
}

/// Opens `path`, checking it still has `size` bytes.
async fn open_all(path: &Path, size: u64) -> Result<tokio::fs::File, Error> {
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| io_error(path, &e))?;
    let now = file.metadata().await.map_err(|e| io_error(path, &e))?.len();
    if now == size {
        Ok(file)
    } else {
        Err(Error::invalid_request(
            Some("file"),
            "the file changed size while it was being uploaded",
        ))
    }
}

/// Hands out the opened file for the first attempt and re-opens it for later ones.
struct Reopener {
    path: PathBuf,
    first: Mutex<Option<tokio::fs::File>>,
}

impl Reopener {
    fn new(path: &Path, file: tokio::fs::File) -> Self {
        Self {
            path: path.to_owned(),
            first: Mutex::new(Some(file)),
        }
    }

    fn take(&self) -> Option<tokio::fs::File> {
        if let Some(file) = self
            .first
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            return Some(file);
        }
        let std_file = std::fs::File::open(&self.path).ok()?;
        Some(tokio::fs::File::from_std(std_file))
    }
}

impl fmt::Debug for Reopener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reopener").finish_non_exhaustive()
    }
}
