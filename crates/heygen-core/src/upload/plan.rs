//! The upload decisions both transports share: what a local file is ([`FileFacts`]), how it is
//! sent ([`UploadMethod::for_file`]), what request an [`AvatarFileKind`] makes, and the inline
//! base64 body ([`InlineBody`]), encoded chunk by chunk as the transport reads the file.
//!
//! Nothing here reads a file: the transport opens it, passes its size and first
//! [`SNIFF_BYTES`] bytes in, and feeds the bytes to [`InlineBody`] or streams them itself.

use core::fmt;
use std::io::Write as _;
use std::path::Path;

use base64::engine::GeneralPurpose;
use base64::write::EncoderWriter;
use bytes::Bytes;
use heygen_model::{AssetInput, Base64Data, CreateDigitalTwin, CreatePhotoAvatar, DirectUpload};

use heygen_model::validate::MAX_MULTIPART_UPLOAD_BYTES;

use super::sniff_media_type;
use crate::error::Error;
use crate::ops::CreateAvatar;

/// Default size up to which files go inline as base64, in bytes (4 MiB).
pub const DEFAULT_INLINE_THRESHOLD: u64 = 4 * 1024 * 1024;

/// How many leading bytes of a file [`FileFacts::new`] needs to detect its media type.
pub const SNIFF_BYTES: usize = 16;

pub use crate::body::Progress;

/// How uploads behave ([`crate::Config::uploads`]): the inline threshold and an optional
/// progress callback.
#[derive(Clone)]
#[non_exhaustive]
pub struct UploadOptions {
    /// Files of at most this many bytes (and not empty) go inline as base64.
    pub inline_threshold: u64,
    /// Called as the transport reads a streamed file.
    pub progress: Option<Progress>,
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

/// What kind of avatar a client's `create_avatar_from_file` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AvatarFileKind {
    /// A photo avatar from an image.
    Photo,
    /// A digital twin from training footage.
    DigitalTwin,
}

impl AvatarFileKind {
    /// The `POST /v3/avatars` operation creating this kind of avatar named `name` from `input`.
    pub fn create_avatar(self, name: &str, input: AssetInput) -> CreateAvatar {
        match self {
            Self::DigitalTwin => CreateAvatar::new(CreateDigitalTwin::new(name, input)),
            Self::Photo => CreateAvatar::new(CreatePhotoAvatar::new(name, input)),
        }
    }
}

/// How a file reached `HeyGen`.
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

impl UploadMethod {
    /// How a file of `size_bytes` bytes is uploaded as an asset: multipart up to
    /// [`MAX_MULTIPART_UPLOAD_BYTES`], direct upload above (never inline).
    pub fn for_asset(size_bytes: u64) -> Self {
        if size_bytes <= MAX_MULTIPART_UPLOAD_BYTES {
            Self::Multipart
        } else {
            Self::Direct
        }
    }

    /// How a file of `size_bytes` bytes given to a request is sent: inline base64 when it is
    /// not empty and at most `inline_threshold` bytes, otherwise as [`UploadMethod::for_asset`].
    pub fn for_file(size_bytes: u64, inline_threshold: u64) -> Self {
        if size_bytes > 0 && size_bytes <= inline_threshold {
            Self::Inline
        } else {
            Self::for_asset(size_bytes)
        }
    }
}

/// The media type for a file name's extension (PNG, JPEG, MP4, MOV, `WebM`, MP3, WAV, PDF,
/// SRT), when its bytes are not recognized.
pub fn media_type_by_extension(file_name: &str) -> Option<&'static str> {
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
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

/// The last component of `path`, as the file name sent with an upload (`upload` when the path
/// has none).
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "upload".to_owned())
}

/// The validation error (field `file`) for a local file at `path` that could not be read:
/// names the file (not its directory, which may be private) and the cause.
pub fn unreadable_file(path: &Path, cause: &dyn fmt::Display) -> Error {
    Error::invalid_request(
        Some("file"),
        format!("cannot read {}: {cause}", file_name(path)),
    )
}

fn encoding_failed(cause: &dyn fmt::Display) -> Error {
    Error::invalid_request(
        Some("file"),
        format!("cannot encode the file inline: {cause}"),
    )
}

use crate::body::changed_size;

/// What an upload needs to know about a local file: its name, size and media type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileFacts {
    /// The file name sent with multipart and direct uploads (`upload` when the path has none).
    pub name: String,
    /// The size, in bytes.
    pub size: u64,
    /// The media type, detected from the first bytes or else the extension.
    pub media_type: String,
}

impl FileFacts {
    /// The facts of the file at `path` (only its name is used; nothing is read) of
    /// `size_bytes` bytes that starts with `head` (its first [`SNIFF_BYTES`] bytes, fewer for a
    /// shorter file).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] (field `content_type`) when neither the bytes nor the
    /// extension name a known media type.
    pub fn new(path: &Path, size_bytes: u64, head: &[u8]) -> Result<Self, Error> {
        let name = file_name(path);
        let media_type = sniff_media_type(head)
            .or_else(|| media_type_by_extension(&name))
            .ok_or_else(|| {
                Error::invalid_request(
                    Some("content_type"),
                    "the file's media type could not be detected from its bytes or extension",
                )
            })?
            .to_owned();
        Ok(Self {
            name,
            size: size_bytes,
            media_type,
        })
    }
}

/// Checks a file of `size_bytes` bytes against a direct upload's `max_bytes`, before the `PUT`.
///
/// # Errors
/// [`Error::UploadFailed`] naming the asset, around an [`Error::InvalidRequest`] (field
/// `size_bytes`), when the file is over the limit.
pub fn check_direct_upload_size(upload: &DirectUpload, size_bytes: u64) -> Result<(), Error> {
    match upload.max_bytes {
        Some(max) if size_bytes > max => Err(Error::upload_failed(
            upload.asset_id.as_str(),
            Error::invalid_request(
                Some("size_bytes"),
                format!("{size_bytes} bytes is over this upload's limit of {max} bytes"),
            ),
        )),
        _ => Ok(()),
    }
}

/// A valid base64 stand-in (the bytes `HEYGEN_INLINE_DATA`) that [`InlineBody`] replaces with
/// the encoded file in the serialized request.
pub const INLINE_PLACEHOLDER: &str = "SEVZR0VOX0lOTElORV9EQVRB";

/// The inline input to build a request with before [`InlineBody`] splices the file in: base64
/// of `media_type` whose data is [`INLINE_PLACEHOLDER`].
///
/// # Errors
/// A validation error when `media_type` is not a valid media type.
pub fn placeholder_input(media_type: &str) -> Result<AssetInput, Error> {
    Ok(AssetInput::Base64 {
        media_type: media_type.to_owned(),
        data: Base64Data::from_base64(INLINE_PLACEHOLDER)?,
    })
}

/// A request body being built with a file inline: the serialized request (made with
/// [`placeholder_input`]) with the placeholder replaced by the base64 of the file's bytes.
///
/// The transport reads the file and calls [`InlineBody::feed`] with each chunk, then
/// [`InlineBody::finish`]; the bytes are encoded straight into the one output buffer, sized
/// exactly up front.
pub struct InlineBody {
    encoder: EncoderWriter<'static, GeneralPurpose, Vec<u8>>,
    tail: Bytes,
    size: u64,
    fed: u64,
}

impl fmt::Debug for InlineBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InlineBody")
            .field("size", &self.size)
            .field("fed", &self.fed)
            .finish_non_exhaustive()
    }
}

impl InlineBody {
    /// Starts the body for a file of `size_bytes` bytes from `built`, the serialized request.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] (field `file`) when `built` has no placeholder or the file is
    /// too large to encode in memory.
    pub fn new(built: &Bytes, size_bytes: u64) -> Result<Self, Error> {
        let (pos, base64_len) = Self::slot(built, size_bytes)?;
        let mut out = Vec::new();
        // A size that cannot be held in memory is an error, not a capacity panic or an abort.
        out.try_reserve_exact(base64_len).map_err(|_| {
            Error::invalid_request(Some("file"), "the file is too large to send inline")
        })?;
        out.extend_from_slice(&built[..=pos]);
        Ok(Self {
            encoder: EncoderWriter::new(out, &base64::engine::general_purpose::STANDARD),
            tail: built.slice(pos + 1 + INLINE_PLACEHOLDER.len()..),
            size: size_bytes,
            fed: 0,
        })
    }

    /// Where the placeholder's opening quote stands in `built`, and the length of the whole
    /// body once `size_bytes` bytes are spliced in as base64; allocates nothing.
    ///
    /// # Errors
    /// As [`InlineBody::new`].
    pub(crate) fn slot(built: &Bytes, size_bytes: u64) -> Result<(usize, usize), Error> {
        // The slot is the `data` member of the base64 input, not any string that happens to be
        // the placeholder text (an avatar named like it, say): inside a JSON string a quote is
        // escaped, so `"data":"…"` can only be a real member.
        const KEY: &str = "\"data\":";
        let needle = format!("{KEY}\"{INLINE_PLACEHOLDER}\"");
        let pos = built
            .windows(needle.len())
            .position(|w| w == needle.as_bytes())
            .map(|at| at + KEY.len())
            .ok_or_else(|| {
                Error::invalid_request(Some("file"), "the request has no inline data slot")
            })?;
        let base64_len = usize::try_from(size_bytes.div_ceil(3).saturating_mul(4))
            .ok()
            .and_then(|n| n.checked_add(built.len() - INLINE_PLACEHOLDER.len()))
            .ok_or_else(|| {
                Error::invalid_request(Some("file"), "the file is too large to send inline")
            })?;
        Ok((pos, base64_len))
    }

    /// Bytes of the file still expected.
    pub fn remaining(&self) -> u64 {
        self.size - self.fed
    }

    /// Encodes the next chunk of the file.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] (field `file`) when the chunks add up to more than the size
    /// given to [`InlineBody::new`] (the file grew while it was read).
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), Error> {
        let len = chunk.len() as u64;
        if len > self.remaining() {
            return Err(changed_size());
        }
        self.encoder
            .write_all(chunk)
            .map_err(|e| encoding_failed(&e))?;
        self.fed += len;
        Ok(())
    }

    /// The finished request body.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] (field `file`) when fewer bytes than the size were fed (the
    /// file shrank while it was read).
    pub fn finish(mut self) -> Result<Bytes, Error> {
        if self.fed != self.size {
            return Err(changed_size());
        }
        let mut out = self.encoder.finish().map_err(|e| encoding_failed(&e))?;
        out.extend_from_slice(&self.tail);
        Ok(Bytes::from(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_is_valid_base64_and_splices() {
        use base64::Engine as _;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(INLINE_PLACEHOLDER)
            .unwrap();
        assert_eq!(decoded, b"HEYGEN_INLINE_DATA");
        let built = Bytes::from(format!(
            r#"{{"file":{{"type":"base64","data":"{INLINE_PLACEHOLDER}"}},"name":"x"}}"#
        ));
        let mut body = InlineBody::new(&built, 6).unwrap();
        // Chunks that do not fall on 3-byte boundaries.
        body.feed(b"he").unwrap();
        body.feed(b"llo").unwrap();
        body.feed(b"!").unwrap();
        let body = body.finish().unwrap();
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            r#"{"file":{"type":"base64","data":"aGVsbG8h"},"name":"x"}"#
        );
        assert_eq!(body.len(), built.len() - INLINE_PLACEHOLDER.len() + 8);
        let mut short = InlineBody::new(&built, 6).unwrap();
        short.feed(b"hi").unwrap();
        assert!(short.finish().is_err());
        let mut long = InlineBody::new(&built, 1).unwrap();
        assert!(long.feed(b"hi").is_err());
        assert!(InlineBody::new(&Bytes::from_static(b"{}"), 1).is_err());
    }

    /// HeyGen's "32 MB" is read as 32,000,000 bytes (see the model's constant): the first byte
    /// over goes through a direct upload, whatever a 32 MiB reading would say.
    #[test]
    fn the_multipart_limit_is_32_000_000_bytes() {
        assert_eq!(MAX_MULTIPART_UPLOAD_BYTES, 32_000_000);
        assert_eq!(UploadMethod::for_asset(32_000_000), UploadMethod::Multipart);
        assert_eq!(UploadMethod::for_asset(32_000_001), UploadMethod::Direct);
        assert_eq!(
            UploadMethod::for_asset(32 * 1024 * 1024),
            UploadMethod::Direct
        );
        assert!(
            crate::upload::MultipartFraming::new("a.mp4", "video/mp4", 32_000_001, [0; 16])
                .is_err()
        );
    }

    #[test]
    fn methods_by_size() {
        assert_eq!(UploadMethod::for_file(0, 10), UploadMethod::Multipart);
        assert_eq!(UploadMethod::for_file(10, 10), UploadMethod::Inline);
        assert_eq!(UploadMethod::for_file(11, 10), UploadMethod::Multipart);
        assert_eq!(
            UploadMethod::for_file(MAX_MULTIPART_UPLOAD_BYTES + 1, 10),
            UploadMethod::Direct
        );
        assert_eq!(
            UploadMethod::for_asset(MAX_MULTIPART_UPLOAD_BYTES),
            UploadMethod::Multipart
        );
    }

    #[test]
    fn facts_from_bytes_then_extension() {
        let png = FileFacts::new(Path::new("dir/a.bin"), 9, b"\x89PNG\r\n\x1a\n.").unwrap();
        assert_eq!(png.media_type, "image/png");
        assert_eq!(png.name, "a.bin");
        let srt = FileFacts::new(Path::new("subs.SRT"), 3, b"1\n0").unwrap();
        assert_eq!(srt.media_type, "application/x-subrip");
        let unnamed = FileFacts::new(Path::new("/"), 4, b"%PDF-").unwrap();
        assert_eq!(unnamed.name, "upload");
        assert!(FileFacts::new(Path::new("notes.txt"), 5, b"hello").is_err());
        let error = unreadable_file(Path::new("/private/dir/a.png"), &"gone");
        assert!(error.to_string().contains("cannot read a.png: gone"));
        assert!(!error.to_string().contains("private"));
    }
}
