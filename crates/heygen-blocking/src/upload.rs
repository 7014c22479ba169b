//! Uploads with bounded memory: multipart and direct upload stream from a reader or a file,
//! inline base64 is encoded straight into the request body, and files pick their path by size.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use heygen_core::ops::{
    CompleteUpload, CreateAvatar, CreateConsent, CreateDirectUpload, DirectUploadPut, UploadAsset,
};
pub(crate) use heygen_core::upload::UploadOptions;
pub use heygen_core::upload::{
    AvatarFileKind, AvatarFromFile, DEFAULT_INLINE_THRESHOLD, Progress, UploadMethod,
};
use heygen_core::upload::{
    FileFacts, InlineBody, SNIFF_BYTES, Sha256, check_direct_upload_size, placeholder_input,
    unreadable_file,
};
use heygen_core::{Error, Operation};
use heygen_model::{
    Asset, AssetId, AssetInput, AvatarGroupId, CompleteUploadRequest, CompletedUpload,
    ConsentResponse, CreateAvatarResponse, CreateConsentRequest, CreateDirectUploadRequest,
    CreatePromptAvatar, DirectUpload,
};

use crate::client::{Body, BodySource, Client};

fn io_error(path: &Path, e: &io::Error) -> Error {
    unreadable_file(path, e)
}

/// Reads what the uploads need to know about a local file: its size and first bytes (the
/// core decides name and media type).
fn file_facts(path: &Path) -> Result<FileFacts, Error> {
    let mut file = File::open(path).map_err(|e| io_error(path, &e))?;
    let size = file.metadata().map_err(|e| io_error(path, &e))?.len();
    let mut head = [0u8; SNIFF_BYTES];
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error(path, &e)),
        }
    }
    FileFacts::new(path, size, &head[..filled])
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

/// The built request with the file's `size` bytes spliced in as base64, read in one pass
/// straight into the core's [`InlineBody`].
fn inline_body(built: &Bytes, path: &Path, size: u64) -> Result<Bytes, Error> {
    let mut body = InlineBody::new(built, size)?;
    let file = File::open(path).map_err(|e| io_error(path, &e))?;
    let mut reader = file.take(size);
    let mut chunk = vec![0u8; 48 * 1024];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => body.feed(&chunk[..n])?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error(path, &e)),
        }
    }
    body.finish()
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
        let facts = file_facts(path)?;
        let mut source = PathSource { path };
        self.multipart(&mut source, &facts.name, &facts.media_type, facts.size)
    }

    pub(crate) fn put_direct(
        &self,
        upload: &DirectUpload,
        source: &mut dyn BodySource,
        size: u64,
    ) -> Result<(), Error> {
        let asset = upload.asset_id.as_str();
        check_direct_upload_size(upload, size)?;
        let op = DirectUploadPut::from_direct_upload(upload, size);
        self.streamed(op, Bytes::new(), source, size, Bytes::new())
            .map_err(|e| Error::upload_failed(asset, e))
    }

    fn direct_upload_facts(
        &self,
        path: &Path,
        facts: &FileFacts,
    ) -> Result<CompletedUpload, Error> {
        let request = CreateDirectUploadRequest::new(&facts.name, &facts.media_type, facts.size);
        let created = self.send(&CreateDirectUpload::new(request))?;
        let mut source = HashingSource::path(path);
        self.put_direct(&created, &mut source, facts.size)?;
        let checksum = source.finish_hex();
        let complete = CompleteUpload::new(
            created.asset_id.clone(),
            CompleteUploadRequest::new().checksum_sha256(checksum),
        );
        self.execute(complete, Body::Built)
            .map_err(|e| Error::upload_failed(created.asset_id.as_str(), e))
    }

    pub(crate) fn direct_upload_path(&self, path: &Path) -> Result<CompletedUpload, Error> {
        let facts = file_facts(path)?;
        self.direct_upload_facts(path, &facts)
    }

    fn upload_facts(
        &self,
        path: &Path,
        facts: &FileFacts,
    ) -> Result<(AssetId, UploadMethod), Error> {
        let method = UploadMethod::for_asset(facts.size);
        let asset_id = if method == UploadMethod::Multipart {
            let mut source = PathSource { path };
            self.multipart(&mut source, &facts.name, &facts.media_type, facts.size)?
                .asset_id
        } else {
            self.direct_upload_facts(path, facts)?.asset_id
        };
        Ok((asset_id, method))
    }

    pub(crate) fn upload_file(&self, path: &Path) -> Result<AssetId, Error> {
        let facts = file_facts(path)?;
        self.upload_facts(path, &facts).map(|(id, _)| id)
    }

    /// Sends the operation `make` builds around a file: inline base64 up to the threshold
    /// (encoded straight into the request body), otherwise an uploaded asset (multipart up to
    /// 32 MB, direct upload above).
    fn with_file<O: Operation>(
        &self,
        path: &Path,
        make: impl Fn(AssetInput) -> O,
    ) -> Result<(O::Output, Option<AssetId>, UploadMethod), Error> {
        let facts = file_facts(path)?;
        if UploadMethod::for_file(facts.size, self.uploads.inline_threshold) == UploadMethod::Inline
        {
            let op = make(placeholder_input(&facts.media_type)?);
            let built = op.build(self.config())?;
            let body = inline_body(built.body(), path, facts.size)?;
            let output = self.execute(op, Body::Replaced(body))?;
            return Ok((output, None, UploadMethod::Inline));
        }
        let (asset_id, method) = self.upload_facts(path, &facts)?;
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
        let (avatar, asset_id, method) =
            self.with_file(path.as_ref(), |input| kind.create_avatar(name, input))?;
        Ok(AvatarFromFile::new(avatar, asset_id, method))
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
