//! Uploads with bounded memory: multipart and direct upload stream from a reader or a file,
//! inline base64 is encoded straight into the request body, and files pick their path by size.

use core::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use heygen_core::ops::{
    CompleteUpload, CreateAvatar, CreateConsent, CreateDirectUpload, DirectUploadPut, UploadAsset,
};
use heygen_core::upload::{MAX_MULTIPART_FILE_BYTES, Sha256, sniff_media_type};
use heygen_core::{Error, Operation};
use heygen_model::{
    Asset, AssetId, AssetInput, AvatarGroupId, Base64Data, CompleteUploadRequest, CompletedUpload,
    ConsentResponse, CreateAvatarResponse, CreateConsentRequest, CreateDigitalTwin,
    CreateDirectUploadRequest, CreatePhotoAvatar, CreatePromptAvatar, DirectUpload,
};

use crate::client::{Body, BodySource, Client};

/// Default size below which files go inline as base64, in bytes (4 MiB).
pub const DEFAULT_INLINE_THRESHOLD: u64 = 4 * 1024 * 1024;

/// A progress callback: (bytes of the file sent so far, total bytes of the file).
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// How uploads behave; set with [`Client::with_inline_threshold`] and [`Client::with_progress`].
#[derive(Clone)]
pub(crate) struct UploadOptions {
    pub(crate) inline_threshold: u64,
    pub(crate) progress: Option<Progress>,
}

impl Default for UploadOptions {
    fn default() -> Self {
        Self {
            inline_threshold: DEFAULT_INLINE_THRESHOLD,
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

/// What kind of avatar [`Client::create_avatar_from_file`] creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AvatarFileKind {
    /// A photo avatar from an image.
    Photo,
    /// A digital twin from training footage.
    DigitalTwin,
}

/// How a file reached HeyGen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UploadMethod {
    /// Inline base64 inside the JSON request.
    Inline,
    /// `POST /v3/assets` (multipart, at most 32 MB).
    Multipart,
    /// Direct upload (create, presigned `PUT`, complete).
    Direct,
}

/// The result of [`Client::create_avatar_from_file`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AvatarFromFile {
    /// The created avatar (first look and group).
    pub avatar: CreateAvatarResponse,
    /// The asset the file was uploaded as (`None` when sent inline).
    pub asset_id: Option<AssetId>,
    /// How the file was sent.
    pub method: UploadMethod,
}

/// A valid base64 stand-in (the bytes `HEYGEN_INLINE_DATA`) that the encoded file replaces in
/// the serialized request.
const PLACEHOLDER: &str = "SEVZR0VOX0lOTElORV9EQVRB";

fn io_error(path: &Path, e: &io::Error) -> Error {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Error::invalid_request(Some("file"), format!("cannot read {name}: {e}"))
}

/// What the uploads need to know about a local file.
struct FileInfo {
    size: u64,
    file_name: String,
    content_type: String,
}

fn media_type_from_extension(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
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

impl FileInfo {
    fn read(path: &Path) -> Result<Self, Error> {
        let mut file = File::open(path).map_err(|e| io_error(path, &e))?;
        let size = file.metadata().map_err(|e| io_error(path, &e))?.len();
        let mut head = [0u8; 16];
        let mut filled = 0;
        while filled < head.len() {
            match file.read(&mut head[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_error(path, &e)),
            }
        }
        let content_type = sniff_media_type(&head[..filled])
            .or_else(|| media_type_from_extension(path))
            .ok_or_else(|| {
                Error::invalid_request(
                    Some("content_type"),
                    "the file's media type could not be detected from its bytes or extension",
                )
            })?
            .to_owned();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "upload".to_owned());
        Ok(Self {
            size,
            file_name,
            content_type,
        })
    }
}

/// A reader that records whether any byte was read from it.
struct Tracked<'a> {
    inner: &'a mut dyn Read,
    consumed: &'a mut bool,
}

impl Read for Tracked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            *self.consumed = true;
        }
        Ok(n)
    }
}

fn consumed_error() -> io::Error {
    io::Error::other("the reader was already consumed; re-open the file to send it again")
}

/// A body read from a caller's reader: never replayed once a byte was read (an attempt that
/// failed before reading, such as a refused connection, may open it again).
pub(crate) struct ReaderSource<R> {
    reader: R,
    used: bool,
}

impl<R: Read> ReaderSource<R> {
    pub(crate) fn new(reader: R) -> Self {
        Self {
            reader,
            used: false,
        }
    }
}

impl<R: Read> BodySource for ReaderSource<R> {
    fn open(&mut self) -> io::Result<Box<dyn Read + '_>> {
        if self.used {
            return Err(consumed_error());
        }
        Ok(Box::new(Tracked {
            inner: &mut self.reader,
            consumed: &mut self.used,
        }))
    }

    fn replayable(&self) -> bool {
        false
    }
}

/// A body read from a file path: re-opened for each attempt.
pub(crate) struct PathSource<'p> {
    path: &'p Path,
}

impl BodySource for PathSource<'_> {
    fn open(&mut self) -> io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(File::open(self.path)?))
    }

    fn replayable(&self) -> bool {
        true
    }
}

enum Origin<R> {
    Path(PathBuf),
    Reader { reader: R, used: bool },
}

/// A body that is hashed (SHA-256) as the transport reads it; each attempt starts a fresh hash.
pub(crate) struct HashingSource<R> {
    origin: Origin<R>,
    hasher: Sha256,
}

impl HashingSource<File> {
    pub(crate) fn path(path: &Path) -> Self {
        Self {
            origin: Origin::Path(path.to_owned()),
            hasher: Sha256::new(),
        }
    }
}

impl<R: Read> HashingSource<R> {
    pub(crate) fn reader(reader: R) -> Self {
        Self {
            origin: Origin::Reader {
                reader,
                used: false,
            },
            hasher: Sha256::new(),
        }
    }

    /// The hex SHA-256 of the bytes read by the last attempt.
    pub(crate) fn finish_hex(self) -> String {
        self.hasher.finalize_hex()
    }
}

struct HashingReader<'a> {
    inner: Box<dyn Read + 'a>,
    hasher: &'a mut Sha256,
}

impl Read for HashingReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

impl<R: Read> BodySource for HashingSource<R> {
    fn open(&mut self) -> io::Result<Box<dyn Read + '_>> {
        self.hasher = Sha256::new();
        let inner: Box<dyn Read + '_> = match &mut self.origin {
            Origin::Path(path) => Box::new(File::open(path)?),
            Origin::Reader { reader, used } => {
                if *used {
                    return Err(consumed_error());
                }
                Box::new(Tracked {
                    inner: reader,
                    consumed: used,
                })
            }
        };
        Ok(Box::new(HashingReader {
            inner,
            hasher: &mut self.hasher,
        }))
    }

    fn replayable(&self) -> bool {
        matches!(self.origin, Origin::Path(_))
    }
}

/// Replaces the placeholder in a serialized request with the base64 of `size` bytes of `file`,
/// encoding straight into the new body (one pass, one buffer).
fn splice_base64(built: &[u8], file: impl Read, size: u64) -> io::Result<Bytes> {
    let needle = format!("\"{PLACEHOLDER}\"");
    let pos = built
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .ok_or_else(|| io::Error::other("the request has no inline data slot"))?;
    let base64_len = usize::try_from(size.div_ceil(3).saturating_mul(4))
        .map_err(|_| io::Error::other("the file is too large to send inline"))?;
    let mut out = Vec::with_capacity(built.len() - PLACEHOLDER.len() + base64_len);
    out.extend_from_slice(&built[..=pos]);
    {
        let mut encoder =
            base64::write::EncoderWriter::new(&mut out, &base64::engine::general_purpose::STANDARD);
        let copied = io::copy(&mut file.take(size), &mut encoder)?;
        encoder.finish()?;
        if copied != size {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file changed size while it was read",
            ));
        }
    }
    out.extend_from_slice(&built[pos + 1 + PLACEHOLDER.len()..]);
    Ok(Bytes::from(out))
}

fn placeholder_input(media_type: &str) -> Result<AssetInput, Error> {
    Ok(AssetInput::Base64 {
        media_type: media_type.to_owned(),
        data: Base64Data::from_base64(PLACEHOLDER)?,
    })
}

impl Client {
    /// This client with another inline-base64 threshold, in bytes: files up to it are sent
    /// inside the JSON request by the `…_from_file` methods (default 4 MiB).
    #[must_use]
    pub fn with_inline_threshold(mut self, bytes: u64) -> Self {
        self.uploads.inline_threshold = bytes;
        self
    }

    /// This client with a progress callback for streamed uploads, called with (bytes of the file
    /// sent so far, file size) as the transport reads the file. A retried attempt starts again
    /// from zero.
    #[must_use]
    pub fn with_progress(mut self, progress: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.uploads.progress = Some(Arc::new(progress));
        self
    }

    fn streamed<O: Operation>(
        &self,
        op: O,
        prefix: Bytes,
        source: &mut dyn BodySource,
        len: u64,
        suffix: Bytes,
    ) -> Result<O::Output, Error> {
        let callback = self.uploads.progress.clone();
        let mut report = |sent: u64| {
            if let Some(cb) = &callback {
                cb(sent, len);
            }
        };
        self.execute(
            op,
            Body::Streamed {
                prefix,
                source,
                len,
                suffix,
                progress: Some(&mut report),
            },
        )
    }

    pub(crate) fn multipart(
        &self,
        source: &mut dyn BodySource,
        file_name: &str,
        content_type: &str,
        size: u64,
    ) -> Result<Asset, Error> {
        let mut entropy = [0u8; 16];
        fastrand::fill(&mut entropy);
        let op = UploadAsset::new(file_name, content_type, size, entropy);
        let framing = op.framing()?;
        self.streamed(
            op,
            framing.prefix().clone(),
            source,
            size,
            framing.suffix().clone(),
        )
    }

    pub(crate) fn upload_path_multipart(&self, path: &Path) -> Result<Asset, Error> {
        let info = FileInfo::read(path)?;
        let mut source = PathSource { path };
        self.multipart(&mut source, &info.file_name, &info.content_type, info.size)
    }

    pub(crate) fn put_direct(
        &self,
        upload: &DirectUpload,
        source: &mut dyn BodySource,
        size: u64,
    ) -> Result<(), Error> {
        let asset = upload.asset_id.as_str();
        if let Some(max) = upload.max_bytes
            && size > max
        {
            return Err(Error::upload_failed(
                asset,
                Error::invalid_request(
                    Some("size_bytes"),
                    format!("{size} bytes is over this upload's limit of {max} bytes"),
                ),
            ));
        }
        let op = DirectUploadPut::from_direct_upload(upload, size);
        self.streamed(op, Bytes::new(), source, size, Bytes::new())
            .map_err(|e| Error::upload_failed(asset, e))
    }

    fn direct_upload_info(&self, path: &Path, info: &FileInfo) -> Result<CompletedUpload, Error> {
        let request =
            CreateDirectUploadRequest::new(&info.file_name, &info.content_type, info.size);
        let created = self.send(&CreateDirectUpload::new(request))?;
        let mut source = HashingSource::path(path);
        self.put_direct(&created, &mut source, info.size)?;
        let checksum = source.finish_hex();
        let complete = CompleteUpload::new(
            created.asset_id.clone(),
            CompleteUploadRequest::new().checksum_sha256(checksum),
        );
        self.execute(complete, Body::Built)
            .map_err(|e| Error::upload_failed(created.asset_id.as_str(), e))
    }

    pub(crate) fn direct_upload_path(&self, path: &Path) -> Result<CompletedUpload, Error> {
        let info = FileInfo::read(path)?;
        self.direct_upload_info(path, &info)
    }

    fn upload_info(&self, path: &Path, info: &FileInfo) -> Result<(AssetId, UploadMethod), Error> {
        if info.size <= MAX_MULTIPART_FILE_BYTES {
            let mut source = PathSource { path };
            let asset =
                self.multipart(&mut source, &info.file_name, &info.content_type, info.size)?;
            Ok((asset.asset_id, UploadMethod::Multipart))
        } else {
            let done = self.direct_upload_info(path, info)?;
            Ok((done.asset_id, UploadMethod::Direct))
        }
    }

    pub(crate) fn upload_file(&self, path: &Path) -> Result<AssetId, Error> {
        let info = FileInfo::read(path)?;
        self.upload_info(path, &info).map(|(id, _)| id)
    }

    /// Sends the operation `make` builds around a file: inline base64 up to the threshold
    /// (encoded straight into the request body), otherwise an uploaded asset (multipart up to
    /// 32 MB, direct upload above).
    fn with_file<O: Operation>(
        &self,
        path: &Path,
        make: impl Fn(AssetInput) -> O,
    ) -> Result<(O::Output, Option<AssetId>, UploadMethod), Error> {
        let info = FileInfo::read(path)?;
        if info.size > 0 && info.size <= self.uploads.inline_threshold {
            let op = make(placeholder_input(&info.content_type)?);
            let built = op.build(self.config())?;
            let file = File::open(path).map_err(|e| io_error(path, &e))?;
            let body =
                splice_base64(built.body(), file, info.size).map_err(|e| io_error(path, &e))?;
            let output = self.execute(op, Body::Replaced(body))?;
            return Ok((output, None, UploadMethod::Inline));
        }
        let (asset_id, method) = self.upload_info(path, &info)?;
        let output = self.send(&make(AssetInput::asset_id(asset_id.clone())))?;
        Ok((output, Some(asset_id), method))
    }

    /// Creates a photo avatar or digital twin from a local file (`POST /v3/avatars`): inline
    /// base64 up to the inline threshold (see [`Client::with_inline_threshold`]), multipart
    /// upload up to 32 MB, direct upload above. The media type comes from the file's bytes.
    ///
    /// # Errors
    /// Validation errors (unreadable file, unknown media type), upload errors
    /// ([`Error::UploadFailed`] names the asset), API and transport errors.
    pub fn create_avatar_from_file(
        &self,
        kind: AvatarFileKind,
        name: &str,
        path: impl AsRef<Path>,
    ) -> Result<AvatarFromFile, Error> {
        let (avatar, asset_id, method) = self.with_file(path.as_ref(), |input| match kind {
            AvatarFileKind::DigitalTwin => CreateAvatar::new(CreateDigitalTwin::new(name, input)),
            AvatarFileKind::Photo => CreateAvatar::new(CreatePhotoAvatar::new(name, input)),
        })?;
        Ok(AvatarFromFile {
            avatar,
            asset_id,
            method,
        })
    }

    /// Gives consent with a consent video from a local file
    /// (`POST /v3/avatars/{group_id}/consent`), choosing inline, multipart or direct upload
    /// like [`Client::create_avatar_from_file`]. Returns the response and the asset id used.
    ///
    /// # Errors
    /// As [`Client::create_avatar_from_file`].
    pub fn create_consent_from_file(
        &self,
        group_id: &AvatarGroupId,
        path: impl AsRef<Path>,
    ) -> Result<(ConsentResponse, Option<AssetId>), Error> {
        let (response, asset_id, _) = self.with_file(path.as_ref(), |input| {
            CreateConsent::new(
                group_id.clone(),
                CreateConsentRequest::new().consent_video(input),
            )
        })?;
        Ok((response, asset_id))
    }

    /// Creates a prompt avatar with reference images from local files (at most 3). Each image
    /// is uploaded as an asset (multipart, or direct upload above 32 MB) and referenced by id.
    ///
    /// # Errors
    /// As [`Client::create_avatar_from_file`].
    pub fn create_prompt_avatar_from_files(
        &self,
        name: &str,
        prompt: &str,
        paths: &[&Path],
    ) -> Result<(CreateAvatarResponse, Vec<AssetId>), Error> {
        let mut ids = Vec::with_capacity(paths.len());
        for path in paths {
            ids.push(self.upload_file(path)?);
        }
        let images = ids.iter().cloned().map(AssetInput::asset_id).collect();
        let request = CreatePromptAvatar::new(name, prompt).reference_images(images);
        let avatar = self.send(&CreateAvatar::new(request))?;
        Ok((avatar, ids))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_is_valid_base64_and_splices() {
        use base64::Engine as _;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(PLACEHOLDER)
            .unwrap();
        assert_eq!(decoded, b"HEYGEN_INLINE_DATA");
        let built = format!(r#"{{"file":{{"type":"base64","data":"{PLACEHOLDER}"}},"name":"x"}}"#);
        let body = splice_base64(built.as_bytes(), &b"hello!"[..], 6).unwrap();
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            r#"{"file":{"type":"base64","data":"aGVsbG8h"},"name":"x"}"#
        );
        assert!(splice_base64(built.as_bytes(), &b"hi"[..], 6).is_err());
    }
}
