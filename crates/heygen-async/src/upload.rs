//! Uploads: multipart `POST /v3/assets`, direct upload, inline base64, and avatars, consent
//! videos and reference images from local files. Files are streamed, never held in memory
//! (except below the inline threshold, where the bytes go into the JSON body).

use core::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt as _;
use heygen_core::ops::{CompleteUpload, CreateDirectUpload, DirectUploadPut, UploadAsset};
use heygen_core::upload::{MAX_MULTIPART_FILE_BYTES, Sha256, sniff_media_type};
use heygen_core::{Call, Error};
use heygen_model::{
    Asset, AssetId, AssetInput, AvatarGroupId, CompleteUploadRequest, CompletedUpload,
    ConsentResponse, CreateAvatarResponse, CreateConsentRequest, CreateDigitalTwin,
    CreateDirectUploadRequest, CreatePhotoAvatar, CreatePromptAvatar, DirectUpload,
};
use tokio::io::{AsyncRead, AsyncReadExt as _};

use crate::client::{Client, entropy};
use crate::resources::Avatars;
use crate::transport::{BodyStream, RequestBody};

/// Files up to this size (4 MiB) go inline as base64 by default.
pub const DEFAULT_INLINE_THRESHOLD_BYTES: u64 = 4 * 1024 * 1024;

/// Bytes read from a file per chunk (64 KiB).
const CHUNK_BYTES: u64 = 64 * 1024;

/// A progress callback: `(bytes sent, total bytes)` of the file, called after each chunk.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync + 'static>;

/// Options for uploads and for the `…_from_file` methods.
#[derive(Clone)]
#[non_exhaustive]
pub struct UploadOptions {
    /// Files up to this many bytes go inline as base64 ([`DEFAULT_INLINE_THRESHOLD_BYTES`] by
    /// default); larger files up to 32 MB use `POST /v3/assets`, larger ones direct upload.
    pub inline_threshold: u64,
    /// Called with `(bytes sent, total)` while the file's bytes are sent.
    pub progress: Option<Progress>,
}

impl Default for UploadOptions {
    fn default() -> Self {
        Self {
            inline_threshold: DEFAULT_INLINE_THRESHOLD_BYTES,
            progress: None,
        }
    }
}

impl fmt::Debug for UploadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadOptions")
            .field("inline_threshold", &self.inline_threshold)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl UploadOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the inline threshold, in bytes (0 never inlines).
    #[must_use]
    pub fn inline_threshold(mut self, bytes: u64) -> Self {
        self.inline_threshold = bytes;
        self
    }

    /// Sets the progress callback.
    #[must_use]
    pub fn progress(mut self, progress: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }
}

/// Which avatar [`Avatars::create_avatar_from_file`] creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileAvatarKind {
    /// A photo avatar from an image.
    Photo,
    /// A digital twin from footage (it needs consent).
    DigitalTwin,
}

/// The result of [`Avatars::create_avatar_from_file`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AvatarFromFile {
    /// The `POST /v3/avatars` response.
    pub avatar: CreateAvatarResponse,
    /// The uploaded asset the avatar was made from; `None` when the file went inline.
    pub asset_id: Option<AssetId>,
}

/// A local file turned into an [`AssetInput`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FileInput {
    /// The input to put in a request.
    pub input: AssetInput,
    /// The uploaded asset, `None` when the file went inline.
    pub asset_id: Option<AssetId>,
}

impl Client {
    /// Assets: multipart and direct uploads, and files turned into asset inputs.
    pub fn assets(&self) -> Assets<'_> {
        Assets { client: self }
    }
}

/// Assets (`/v3/assets`). Get one with [`Client::assets`].
#[derive(Debug, Clone, Copy)]
pub struct Assets<'a> {
    client: &'a Client,
}

/// A file's name, size and media type, from its metadata and first bytes.
struct FileFacts {
    name: String,
    size: u64,
    media_type: String,
}

fn io_error(path: &Path, e: &std::io::Error) -> Error {
    Error::invalid_request(
        Some("file"),
        format!("cannot read {}: {e}", path.display()),
    )
}

fn media_type_by_extension(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "mp4" | "m4v" => "video/mp4",
        "mov" => "video/quicktime",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "pdf" => "application/pdf",
        "srt" => "application/x-subrip",
        _ => return None,
    })
}

async fn file_facts(path: &Path) -> Result<FileFacts, Error> {
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|e| io_error(path, &e))?;
    let size = file.metadata().await.map_err(|e| io_error(path, &e))?.len();
    let mut head = Vec::with_capacity(64);
    (&mut file)
        .take(64)
        .read_to_end(&mut head)
        .await
        .map_err(|e| io_error(path, &e))?;
    let name = path
        .file_name()
        .map_or_else(|| "upload".to_owned(), |n| n.to_string_lossy().into_owned());
    let media_type = sniff_media_type(&head)
        .or_else(|| media_type_by_extension(&name))
        .unwrap_or("application/octet-stream")
        .to_owned();
    Ok(FileFacts {
        name,
        size,
        media_type,
    })
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
                            h.lock().unwrap_or_else(PoisonError::into_inner).update(&chunk);
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
    RequestBody::streamed(Box::pin(stream), length)
}

impl Assets<'_> {
    /// `POST /v3/assets`: uploads `size_bytes` bytes read from `reader` as
    /// `multipart/form-data` (at most 32 MB), streaming it with the exact `Content-Length`.
    ///
    /// A reader cannot be read twice, so the upload is retried only when nothing was sent;
    /// [`Assets::upload_file`] re-opens the file and retries like any idempotent call.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a file over 32 MB (use direct upload), an empty file or an
    /// invalid content type (nothing sent); transport and API errors.
    pub async fn upload<R>(
        &self,
        file_name: &str,
        content_type: &str,
        reader: R,
        size_bytes: u64,
        options: &UploadOptions,
    ) -> Result<Asset, Error>
    where
        R: AsyncRead + Send + Unpin + 'static,
    {
        let op = UploadAsset::new(file_name, content_type, size_bytes, entropy());
        let framing = op.framing()?;
        let mut call = Call::new(op, self.client.config(), entropy())?;
        call.set_body_replayable(false);
        let mut reader = Some(reader);
        let progress = options.progress.clone();
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

    /// `POST /v3/assets` with a local file (at most 32 MB), streamed from disk; the media type
    /// comes from the file's magic bytes (or its extension). A retry re-opens the file.
    ///
    /// # Errors
    /// As [`Assets::upload`], plus [`Error::InvalidRequest`] when the file cannot be read.
    pub async fn upload_file(
        &self,
        path: impl AsRef<Path>,
        options: &UploadOptions,
    ) -> Result<Asset, Error> {
        let path = path.as_ref();
        let facts = file_facts(path).await?;
        let op = UploadAsset::new(&facts.name, &facts.media_type, facts.size, entropy());
        let framing = op.framing()?;
        let call = Call::new(op, self.client.config(), entropy())?;
        let file = open_all(path, facts.size).await?;
        let opener = Reopener::new(path, file);
        let progress = options.progress.clone();
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

    /// `POST /v3/assets/direct-uploads`: reserves an asset and returns the presigned URL and
    /// headers for its `PUT`.
    ///
    /// # Errors
    /// Validation, transport and API errors.
    pub async fn create_direct_upload(
        &self,
        request: CreateDirectUploadRequest,
    ) -> Result<DirectUpload, Error> {
        self.client.execute(CreateDirectUpload::new(request)).await
    }

    /// `PUT upload_url`: sends `size_bytes` bytes from `reader` to the presigned URL of a direct
    /// upload, byte for byte, with exactly the returned `upload_headers` plus
    /// `Content-Length`, and no credentials. Not retried once bytes were sent (the reader is
    /// consumed).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an unusable URL or headers; transport errors; the storage
    /// service's refusal as [`Error::UnexpectedResponse`] or [`Error::Api`].
    pub async fn put_direct_upload<R>(
        &self,
        upload: &DirectUpload,
        reader: R,
        size_bytes: u64,
        options: &UploadOptions,
    ) -> Result<(), Error>
    where
        R: AsyncRead + Send + Unpin + 'static,
    {
        self.put_stream(upload, reader, size_bytes, options, None).await
    }

    async fn put_stream<R>(
        &self,
        upload: &DirectUpload,
        reader: R,
        size_bytes: u64,
        options: &UploadOptions,
        hasher: Option<Arc<Mutex<Sha256>>>,
    ) -> Result<(), Error>
    where
        R: AsyncRead + Send + Unpin + 'static,
    {
        let op = DirectUploadPut::from_direct_upload(upload, size_bytes);
        let mut call = Call::new(op, self.client.config(), entropy())?;
        call.set_body_replayable(false);
        let mut reader = Some(reader);
        let progress = options.progress.clone();
        self.client
            .drive(call, move |_| {
                let reader = reader.take()?;
                Some(RequestBody::streamed(
                    reader_stream(reader, size_bytes, progress.clone(), hasher.clone()),
                    size_bytes,
                ))
            })
            .await
    }

    /// `POST /v3/assets/{asset_id}/complete`: finishes a direct upload; the 409 "not found
    /// yet" answer is retried with backoff.
    ///
    /// # Errors
    /// Validation, transport and API errors.
    pub async fn complete_upload(
        &self,
        asset_id: &AssetId,
        request: CompleteUploadRequest,
    ) -> Result<CompletedUpload, Error> {
        self.client
            .execute(CompleteUpload::new(asset_id.clone(), request))
            .await
    }

    /// Direct upload of `size_bytes` bytes from `reader`, of any size: create the upload,
    /// `PUT` the bytes (computing their SHA-256 on the way), then complete it with the
    /// checksum.
    ///
    /// # Errors
    /// Errors of the create call as they are; a failed `PUT` or complete as
    /// [`Error::UploadFailed`] carrying the asset id, so the caller can retry or clean up.
    pub async fn direct_upload<R>(
        &self,
        file_name: &str,
        content_type: &str,
        reader: R,
        size_bytes: u64,
        options: &UploadOptions,
    ) -> Result<CompletedUpload, Error>
    where
        R: AsyncRead + Send + Unpin + 'static,
    {
        let upload = self
            .create_direct_upload(CreateDirectUploadRequest::new(
                file_name,
                content_type,
                size_bytes,
            ))
            .await?;
        let hasher = Arc::new(Mutex::new(Sha256::new()));
        let asset_id = upload.asset_id.clone();
        if let Err(e) = self
            .put_stream(&upload, reader, size_bytes, options, Some(hasher.clone()))
            .await
        {
            return Err(Error::upload_failed(asset_id.as_str(), e));
        }
        let digest = hasher
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .finalize_hex();
        self.complete_upload(&asset_id, CompleteUploadRequest::new().checksum_sha256(digest))
            .await
            .map_err(|e| Error::upload_failed(asset_id.as_str(), e))
    }

    /// Direct upload of a local file, of any size: one pass over the file for its exact size
    /// and SHA-256, create the upload with both, stream the file in the `PUT` (re-opening it
    /// for a retry), then complete it.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the file cannot be read; errors of the create call as
    /// they are; a failed `PUT` or complete as [`Error::UploadFailed`] with the asset id.
    pub async fn direct_upload_file(
        &self,
        path: impl AsRef<Path>,
        options: &UploadOptions,
    ) -> Result<CompletedUpload, Error> {
        let path = path.as_ref();
        let facts = file_facts(path).await?;
        let (size, digest) = hash_file(path).await?;
        let upload = self
            .create_direct_upload(
                CreateDirectUploadRequest::new(&facts.name, &facts.media_type, size)
                    .checksum_sha256(digest.clone()),
            )
            .await?;
        let asset_id = upload.asset_id.clone();
        let put = async {
            let op = DirectUploadPut::from_direct_upload(&upload, size);
            let call = Call::new(op, self.client.config(), entropy())?;
            let file = open_all(path, size).await?;
            let opener = Reopener::new(path, file);
            let progress = options.progress.clone();
            self.client
                .drive(call, move |_| {
                    let file = opener.take()?;
                    Some(RequestBody::streamed(
                        reader_stream(file, size, progress.clone(), None),
                        size,
                    ))
                })
                .await
        };
        if let Err(e) = put.await {
            return Err(Error::upload_failed(asset_id.as_str(), e));
        }
        self.complete_upload(&asset_id, CompleteUploadRequest::new().checksum_sha256(digest))
            .await
            .map_err(|e| Error::upload_failed(asset_id.as_str(), e))
    }

    /// Turns a local file into an [`AssetInput`]: inline base64 up to
    /// [`UploadOptions::inline_threshold`] bytes (media type from the magic bytes), a multipart
    /// upload up to 32 MB, a direct upload above.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the file cannot be read or is empty; upload errors.
    pub async fn input_from_file(
        &self,
        path: impl AsRef<Path>,
        options: &UploadOptions,
    ) -> Result<FileInput, Error> {
        let path = path.as_ref();
        let facts = file_facts(path).await?;
        if facts.size == 0 {
            return Err(Error::invalid_request(Some("file"), "the file is empty"));
        }
        if facts.size <= options.inline_threshold {
            let bytes = tokio::fs::read(path).await.map_err(|e| io_error(path, &e))?;
            let input = AssetInput::base64_from_bytes(facts.media_type.as_str(), &bytes)?;
            if let Some(p) = &options.progress {
                p(bytes.len() as u64, bytes.len() as u64);
            }
            return Ok(FileInput {
                input,
                asset_id: None,
            });
        }
        let asset_id = if facts.size <= MAX_MULTIPART_FILE_BYTES {
            self.upload_file(path, options).await?.asset_id
        } else {
            self.direct_upload_file(path, options).await?.asset_id
        };
        Ok(FileInput {
            input: AssetInput::asset_id(asset_id.clone()),
            asset_id: Some(asset_id),
        })
    }
}

impl Avatars<'_> {
    /// Creates a photo avatar or a digital twin named `name` from a local file (`POST
    /// /v3/avatars`), sending the file inline, through `POST /v3/assets` or through a direct
    /// upload depending on its size (see [`Assets::input_from_file`]).
    ///
    /// # Errors
    /// File, upload, validation, transport and API errors.
    pub async fn create_avatar_from_file(
        &self,
        kind: FileAvatarKind,
        name: &str,
        path: impl AsRef<Path>,
        options: &UploadOptions,
    ) -> Result<AvatarFromFile, Error> {
        let file = self.client.assets().input_from_file(path, options).await?;
        let avatar = match kind {
            FileAvatarKind::Photo => self.create(CreatePhotoAvatar::new(name, file.input)).await?,
            FileAvatarKind::DigitalTwin => {
                self.create(CreateDigitalTwin::new(name, file.input)).await?
            }
        };
        Ok(AvatarFromFile {
            avatar,
            asset_id: file.asset_id,
        })
    }

    /// Asks for consent with a consent video from a local file
    /// (`POST /v3/avatars/{group_id}/consent` with `consent_video`).
    ///
    /// # Errors
    /// File, upload, validation, transport and API errors.
    pub async fn create_consent_from_file(
        &self,
        group_id: &AvatarGroupId,
        path: impl AsRef<Path>,
        options: &UploadOptions,
    ) -> Result<ConsentResponse, Error> {
        let file = self.client.assets().input_from_file(path, options).await?;
        self.create_consent(group_id, CreateConsentRequest::new().consent_video(file.input))
            .await
    }

    /// Creates a prompt avatar with reference images from local files (at most 3).
    ///
    /// # Errors
    /// File, upload, validation, transport and API errors.
    pub async fn create_prompt_avatar_from_files(
        &self,
        name: &str,
        prompt: &str,
        paths: &[PathBuf],
        options: &UploadOptions,
    ) -> Result<CreateAvatarResponse, Error> {
        let mut images = Vec::with_capacity(paths.len());
        for path in paths {
            images.push(self.client.assets().input_from_file(path, options).await?.input);
        }
        self.create(CreatePromptAvatar::new(name, prompt).reference_images(images))
            .await
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
        if let Some(file) = self.first.lock().unwrap_or_else(PoisonError::into_inner).take() {
            return Some(file);
        }
        let std_file = std::fs::File::open(&self.path).ok()?;
        Some(tokio::fs::File::from_std(std_file))
    }
}

/// One pass over a file: its exact size and SHA-256 hex.
async fn hash_file(path: &Path) -> Result<(u64, String), Error> {
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|e| io_error(path, &e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf).await.map_err(|e| io_error(path, &e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok((hasher.len(), hasher.finalize_hex()))
}

impl fmt::Debug for Reopener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reopener").finish_non_exhaustive()
    }
}
