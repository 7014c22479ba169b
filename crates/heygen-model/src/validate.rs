//! Client-side validation: plain functions, the limits as constants, and one error type.
//!
//! Every request type has a `validate(&self)` method built from these functions, so a request
//! that breaks a documented rule is rejected before anything is sent.

use core::fmt;
use std::borrow::Cow;

use base64::Engine as _;

/// Most characters a prompt avatar's `prompt` may have.
pub const MAX_PROMPT_CHARS: usize = 1000;
/// Most `reference_images` a prompt avatar may have.
pub const MAX_REFERENCE_IMAGES: usize = 3;
/// Smallest `limit` any list endpoint accepts.
pub const MIN_PAGE_LIMIT: u32 = 1;
/// Largest `limit` for `GET /v3/avatars` and `GET /v3/avatars/looks`.
pub const MAX_AVATAR_PAGE_LIMIT: u32 = 50;
/// Server default `limit` for avatar groups and looks.
pub const DEFAULT_AVATAR_PAGE_LIMIT: u32 = 20;
/// Largest `limit` for `GET /v3/videos`.
pub const MAX_VIDEO_PAGE_LIMIT: u32 = 100;
/// Server default `limit` for videos.
pub const DEFAULT_VIDEO_PAGE_LIMIT: u32 = 10;
/// Longest `Idempotency-Key`, in characters.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;
/// Largest file `POST /v3/assets` (multipart) accepts, in bytes: 32 MB read as 32,000,000 bytes.
/// Larger files go through a direct upload (`POST /v3/assets/direct-uploads`), which has no
/// such limit.
///
/// Why decimal megabytes: the reference states the limit only as "32 MB", and MB is the SI unit
/// (10^6 bytes); the binary reading would be written MiB. It is also the safe reading. The
/// constant decides multipart versus direct upload, and the direct upload takes a file of any
/// size, so if HeyGen meant 32 MiB the only cost is that a file between 32,000,000 and
/// 33,554,432 bytes takes the (working) direct path. Reading it as 32 MiB would send such a file
/// as multipart, where a decimal limit refuses it with 413. This one constant is used by the
/// model, the core and the emulator.
pub const MAX_MULTIPART_UPLOAD_BYTES: u64 = 32_000_000;
/// Voice `speed` range: the reference gives 0.5 (half speed) to 1.5.
pub const VOICE_SPEED_RANGE: (f64, f64) = (0.5, 1.5);
/// Voice `pitch` range, in semitones: the reference gives -50 to +50.
pub const VOICE_PITCH_RANGE: (f64, f64) = (-50.0, 50.0);
/// Voice `volume` range: the reference gives 0.0 (silent) to 1.0 (full).
pub const VOICE_VOLUME_RANGE: (f64, f64) = (0.0, 1.0);
/// Watermark `opacity` range: the reference gives 0.0 (transparent) to 1.0 (opaque).
pub const WATERMARK_OPACITY_RANGE: (f64, f64) = (0.0, 1.0);
/// Length of a hex SHA-256 checksum, in characters.
pub const SHA256_HEX_LEN: usize = 64;

/// The rule a value breaks.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// The value is empty (or only whitespace).
    Empty,
    /// The text has more characters than allowed.
    TooLong {
        /// Allowed maximum.
        max: usize,
        /// Actual length.
        actual: usize,
    },
    /// The list has more items than allowed.
    TooMany {
        /// Allowed maximum.
        max: usize,
        /// Actual count.
        actual: usize,
    },
    /// The number is outside the allowed range.
    OutOfRange {
        /// Smallest allowed value.
        min: u64,
        /// Largest allowed value.
        max: u64,
        /// Actual value.
        actual: u64,
    },
    /// A number is NaN or infinite, which JSON cannot carry (it would be sent as `null`).
    NotFinite,
    /// A number is outside its documented range.
    OutOfRangeNumber {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
        /// Actual value (always finite: a non-finite value is [`Rule::NotFinite`]).
        actual: f64,
    },
    /// A number must be above zero (zero itself is refused) and at most `max`.
    OutOfRangePositive {
        /// Largest allowed value.
        max: f64,
        /// Actual value (always finite).
        actual: f64,
    },
    /// The URL does not use `https`.
    NotHttps,
    /// The URL does not use `http` or `https`.
    NotHttp,
    /// The text is not an absolute URL with a host.
    InvalidUrl,
    /// The text is not standard, padded base64.
    InvalidBase64,
    /// Base64 data starts with a `data:` URI prefix.
    DataUriPrefix,
    /// The media type is not a valid `type/subtype` MIME type.
    InvalidMediaType,
    /// The declared media type does not match the file's magic bytes.
    MediaTypeMismatch {
        /// The declared media type.
        declared: String,
        /// The media type detected from the bytes.
        detected: &'static str,
    },
    /// The text contains a character that is not allowed.
    ForbiddenCharacter(char),
    /// The field cannot be combined with another field that is set.
    Conflict {
        /// The other field.
        other: &'static str,
    },
    /// A required choice is missing: one of the named fields must be set.
    Missing {
        /// The fields of which one must be set.
        one_of: &'static str,
    },
    /// The id is `.` or `..`, which would change the request path.
    InvalidId,
    /// The text is not a lower- or upper-case hex SHA-256 digest (64 characters).
    InvalidChecksum,
    /// The field must be set because of another field's value.
    Required {
        /// The condition, such as "`script` is set".
        when: &'static str,
    },
    /// The field cannot be set (or have this value) because of another field's value.
    NotAllowed {
        /// The condition, such as "`output_format` is `webm`".
        when: &'static str,
    },
    /// The text does not have the expected form.
    Format {
        /// What is expected, such as "a `#RRGGBB` hex color".
        expected: &'static str,
    },
}

// Every float a `Rule` holds is finite (range bounds are constants, and a non-finite value is
// reported as `Rule::NotFinite`), so equality is reflexive.
impl Eq for Rule {}

/// A request value that breaks a documented rule; nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidationError {
    /// The field, as a JSON path such as `file.url` or `reference_images[1]`.
    pub field: Cow<'static, str>,
    /// The rule the field breaks.
    pub rule: Rule,
}

impl ValidationError {
    /// An error for `field` breaking `rule`.
    pub fn new(field: impl Into<Cow<'static, str>>, rule: Rule) -> Self {
        Self {
            field: field.into(),
            rule,
        }
    }

    /// The same error with `prefix.` put in front of the field name.
    #[must_use]
    pub fn within(self, prefix: &str) -> Self {
        Self {
            field: Cow::Owned(format!("{prefix}.{}", self.field)),
            rule: self.rule,
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = &self.field;
        match &self.rule {
            Rule::Empty => write!(f, "`{field}` is empty; give it a non-empty value"),
            Rule::TooLong { max, actual } => write!(
                f,
                "`{field}` has {actual} characters; shorten it to at most {max}"
            ),
            Rule::TooMany { max, actual } => {
                write!(f, "`{field}` has {actual} items; pass at most {max}")
            }
            Rule::OutOfRange { min, max, actual } => {
                write!(f, "`{field}` is {actual}; use a value from {min} to {max}")
            }
            Rule::NotFinite => write!(
                f,
                "`{field}` is not a finite number; pass a real number (NaN and infinity cannot be sent)"
            ),
            Rule::OutOfRangeNumber { min, max, actual } => {
                write!(f, "`{field}` is {actual}; use a value from {min} to {max}")
            }
            Rule::OutOfRangePositive { max, actual } => write!(
                f,
                "`{field}` is {actual}; use a value above 0 and at most {max}"
            ),
            Rule::NotHttps => write!(f, "`{field}` must be an https:// URL"),
            Rule::NotHttp => write!(f, "`{field}` must be an http:// or https:// URL"),
            Rule::InvalidUrl => write!(f, "`{field}` is not an absolute URL with a host"),
            Rule::InvalidBase64 => write!(
                f,
                "`{field}` is not standard padded base64; encode the raw bytes with the standard alphabet"
            ),
            Rule::DataUriPrefix => write!(
                f,
                "`{field}` starts with a `data:` prefix; pass only the base64 payload and put the type in `media_type`"
            ),
            Rule::InvalidMediaType => write!(f, "`{field}` is not a MIME type such as `image/png`"),
            Rule::MediaTypeMismatch { declared, detected } => write!(
                f,
                "`{field}` says `{declared}` but the bytes are `{detected}`; declare `{detected}` or pass the right file"
            ),
            Rule::ForbiddenCharacter(c) => {
                write!(
                    f,
                    "`{field}` contains {c:?}, which is not allowed; remove it"
                )
            }
            Rule::Conflict { other } => {
                write!(
                    f,
                    "`{field}` cannot be combined with `{other}`; set only one of them"
                )
            }
            Rule::Missing { one_of } => write!(f, "`{field}` needs one of {one_of} to be set"),
            Rule::InvalidId => write!(
                f,
                "`{field}` cannot be `.` or `..`; pass the id HeyGen returned"
            ),
            Rule::InvalidChecksum => write!(
                f,
                "`{field}` must be a SHA-256 digest written as 64 hex characters"
            ),
            Rule::Required { when } => write!(f, "`{field}` is required when {when}; set it"),
            Rule::NotAllowed { when } => {
                write!(f, "`{field}` is not allowed when {when}; remove it")
            }
            Rule::Format { expected } => write!(f, "`{field}` must be {expected}"),
        }
    }
}

impl std::error::Error for ValidationError {}

/// Checks an id: non-empty and not `.` or `..`.
///
/// # Errors
/// [`Rule::Empty`] or [`Rule::InvalidId`].
pub fn validate_id(field: &'static str, id: &str) -> Result<(), ValidationError> {
    if id.is_empty() {
        return Err(ValidationError::new(field, Rule::Empty));
    }
    if id == "." || id == ".." {
        return Err(ValidationError::new(field, Rule::InvalidId));
    }
    Ok(())
}

/// Checks an idempotency key: 1..=255 characters of `[A-Za-z0-9_:.-]`.
///
/// # Errors
/// [`Rule::Empty`], [`Rule::TooLong`] or [`Rule::ForbiddenCharacter`].
pub fn validate_idempotency_key(key: &str) -> Result<(), ValidationError> {
    const FIELD: &str = "idempotency_key";
    if key.is_empty() {
        return Err(ValidationError::new(FIELD, Rule::Empty));
    }
    if let Some(c) = key
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '.' | '-')))
    {
        return Err(ValidationError::new(FIELD, Rule::ForbiddenCharacter(c)));
    }
    if key.len() > MAX_IDEMPOTENCY_KEY_LEN {
        return Err(ValidationError::new(
            FIELD,
            Rule::TooLong {
                max: MAX_IDEMPOTENCY_KEY_LEN,
                actual: key.len(),
            },
        ));
    }
    Ok(())
}

/// Checks a prompt: at most [`MAX_PROMPT_CHARS`] characters (Unicode scalar values).
///
/// An empty or blank prompt is not refused here: the reference sets no lower bound, so the
/// server decides.
///
/// # Errors
/// [`Rule::TooLong`].
pub fn validate_prompt(prompt: &str) -> Result<(), ValidationError> {
    let actual = prompt.chars().count();
    if actual > MAX_PROMPT_CHARS {
        return Err(ValidationError::new(
            "prompt",
            Rule::TooLong {
                max: MAX_PROMPT_CHARS,
                actual,
            },
        ));
    }
    Ok(())
}

/// Checks the number of reference images: at most [`MAX_REFERENCE_IMAGES`].
///
/// # Errors
/// [`Rule::TooMany`].
pub fn validate_reference_image_count(count: usize) -> Result<(), ValidationError> {
    if count > MAX_REFERENCE_IMAGES {
        return Err(ValidationError::new(
            "reference_images",
            Rule::TooMany {
                max: MAX_REFERENCE_IMAGES,
                actual: count,
            },
        ));
    }
    Ok(())
}

/// Checks a URL HeyGen must fetch as an asset input: absolute, `https`, with a host and no
/// whitespace. The reference describes asset inputs of type `url` as public HTTPS URLs.
///
/// # Errors
/// [`Rule::Empty`], [`Rule::NotHttps`], [`Rule::InvalidUrl`] or [`Rule::ForbiddenCharacter`].
pub fn validate_https_url(
    field: impl Into<Cow<'static, str>>,
    url: &str,
) -> Result<(), ValidationError> {
    check_url(field.into(), url, true)
}

/// Checks a URL of a field the reference sets no scheme for (`callback_url`, `reroute_url`,
/// `audio_url`, `background.url`): absolute, `http` or `https`, with a host and no whitespace.
/// HeyGen reaches each of them over HTTP (a download, a webhook `POST`, a browser redirect), so
/// other schemes cannot work; `https` is not required because the reference does not require it.
///
/// # Errors
/// [`Rule::Empty`], [`Rule::NotHttp`], [`Rule::InvalidUrl`] or [`Rule::ForbiddenCharacter`].
pub fn validate_http_url(
    field: impl Into<Cow<'static, str>>,
    url: &str,
) -> Result<(), ValidationError> {
    check_url(field.into(), url, false)
}

fn check_url(field: Cow<'static, str>, url: &str, https_only: bool) -> Result<(), ValidationError> {
    if url.is_empty() {
        return Err(ValidationError::new(field, Rule::Empty));
    }
    if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(ValidationError::new(field, Rule::ForbiddenCharacter(c)));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(ValidationError::new(field, Rule::InvalidUrl));
    };
    let https = scheme.eq_ignore_ascii_case("https");
    if https_only && !https {
        return Err(ValidationError::new(field, Rule::NotHttps));
    }
    if !https && !scheme.eq_ignore_ascii_case("http") {
        return Err(ValidationError::new(field, Rule::NotHttp));
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return Err(ValidationError::new(field, Rule::InvalidUrl));
    }
    Ok(())
}

/// Checks a number the API takes as a JSON number with no documented range: it must be
/// finite, since NaN and infinity would be sent as `null`.
///
/// # Errors
/// [`Rule::NotFinite`].
pub fn validate_finite(
    field: impl Into<Cow<'static, str>>,
    value: f64,
) -> Result<(), ValidationError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(ValidationError::new(field, Rule::NotFinite))
    }
}

/// Checks a number against its documented range `(min, max)`, both ends included.
///
/// # Errors
/// [`Rule::NotFinite`] or [`Rule::OutOfRangeNumber`].
pub fn validate_range(
    field: impl Into<Cow<'static, str>>,
    value: f64,
    (min, max): (f64, f64),
) -> Result<(), ValidationError> {
    let field = field.into();
    validate_finite(field.clone(), value)?;
    if value < min || value > max {
        return Err(ValidationError::new(
            field,
            Rule::OutOfRangeNumber {
                min,
                max,
                actual: value,
            },
        ));
    }
    Ok(())
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c)
}

/// Checks a MIME type of the form `type/subtype` (no parameters).
///
/// # Errors
/// [`Rule::Empty`] or [`Rule::InvalidMediaType`].
pub fn validate_media_type(
    field: impl Into<Cow<'static, str>>,
    media_type: &str,
) -> Result<(), ValidationError> {
    let field = field.into();
    if media_type.is_empty() {
        return Err(ValidationError::new(field, Rule::Empty));
    }
    match media_type.split_once('/') {
        Some((kind, sub))
            if !kind.is_empty()
                && !sub.is_empty()
                && kind.chars().all(is_token_char)
                && sub.chars().all(is_token_char) =>
        {
            Ok(())
        }
        _ => Err(ValidationError::new(field, Rule::InvalidMediaType)),
    }
}

/// Checks base64 payload text: non-empty, no `data:` prefix, no whitespace, and valid standard
/// base64 with padding.
///
/// # Errors
/// [`Rule::Empty`], [`Rule::DataUriPrefix`], [`Rule::ForbiddenCharacter`] or
/// [`Rule::InvalidBase64`].
pub fn validate_base64(
    field: impl Into<Cow<'static, str>>,
    data: &str,
) -> Result<(), ValidationError> {
    let field = field.into();
    if data.is_empty() {
        return Err(ValidationError::new(field, Rule::Empty));
    }
    if data
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("data:"))
    {
        return Err(ValidationError::new(field, Rule::DataUriPrefix));
    }
    if let Some(c) = data.chars().find(|c| c.is_whitespace()) {
        return Err(ValidationError::new(field, Rule::ForbiddenCharacter(c)));
    }
    if base64::engine::general_purpose::STANDARD
        .decode(data)
        .is_err()
    {
        return Err(ValidationError::new(field, Rule::InvalidBase64));
    }
    Ok(())
}

/// Checks consent text: free of `<` and `>`, which the reference says HeyGen rejects. An empty
/// text is not refused here (the reference sets no lower bound).
///
/// # Errors
/// [`Rule::ForbiddenCharacter`].
pub fn validate_consent_text(text: &str) -> Result<(), ValidationError> {
    if let Some(c) = text.chars().find(|c| matches!(c, '<' | '>')) {
        return Err(ValidationError::new(
            "consent_text",
            Rule::ForbiddenCharacter(c),
        ));
    }
    Ok(())
}

/// Checks a list `limit` against `min..=max`.
///
/// # Errors
/// [`Rule::OutOfRange`].
pub fn validate_limit(limit: u32, min: u32, max: u32) -> Result<(), ValidationError> {
    if limit < min || limit > max {
        return Err(ValidationError::new(
            "limit",
            Rule::OutOfRange {
                min: u64::from(min),
                max: u64::from(max),
                actual: u64::from(limit),
            },
        ));
    }
    Ok(())
}

/// Checks a list query's optional `limit` against [`MIN_PAGE_LIMIT`]`..=max`; unset is fine.
pub(crate) fn validate_page_limit(limit: Option<u32>, max: u32) -> Result<(), ValidationError> {
    match limit {
        Some(limit) => validate_limit(limit, MIN_PAGE_LIMIT, max),
        None => Ok(()),
    }
}

/// Checks a hex SHA-256 digest: exactly 64 hex characters.
///
/// # Errors
/// [`Rule::InvalidChecksum`].
pub fn validate_sha256_hex(field: &'static str, hex: &str) -> Result<(), ValidationError> {
    if hex.len() != SHA256_HEX_LEN || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ValidationError::new(field, Rule::InvalidChecksum));
    }
    Ok(())
}

/// The media type of a file from its first bytes (its magic number): PNG, JPEG, GIF, WebP, WAV,
/// MP4, `QuickTime`, `WebM`, MP3 or PDF; `None` for anything else. The one sniffer of the SDK: the
/// core's uploads and the checks below both use it, so they never name different formats.
pub fn sniff_media_type(head: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if starts(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        Some("image/webp")
    } else if starts(b"RIFF") && head.get(8..12) == Some(b"WAVE") {
        Some("audio/wav")
    } else if head.get(4..8) == Some(b"ftyp") {
        if head.get(8..12) == Some(b"qt  ") {
            Some("video/quicktime")
        } else {
            Some("video/mp4")
        }
    } else if starts(b"\x1a\x45\xdf\xa3") {
        Some("video/webm")
    } else if starts(b"ID3") || (head.len() >= 2 && head[0] == 0xff && head[1] & 0xe0 == 0xe0) {
        Some("audio/mpeg")
    } else if starts(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// The media type of `bytes` for the image, video and audio formats whose labels the SDK
/// checks (PNG, JPEG, MP4 (`QuickTime` folds into it), `WebM`, MP3 and WAV): [`sniff_media_type`]
/// folded by [`canonical_media_type`].
pub fn detect_media_type(bytes: &[u8]) -> Option<&'static str> {
    sniff_media_type(bytes).and_then(canonical_media_type)
}

/// The canonical form of a media type HeyGen accepts, folding common aliases
/// (`image/jpg`, `audio/mp3`, `audio/x-wav`, …). `None` for other types.
pub fn canonical_media_type(media_type: &str) -> Option<&'static str> {
    match media_type.to_ascii_lowercase().as_str() {
        "image/png" => Some("image/png"),
        "image/jpeg" | "image/jpg" | "image/pjpeg" => Some("image/jpeg"),
        "video/mp4" | "audio/mp4" | "video/quicktime" => Some("video/mp4"),
        "video/webm" | "audio/webm" => Some("video/webm"),
        "audio/mpeg" | "audio/mp3" | "audio/mpeg3" => Some("audio/mpeg"),
        "audio/wav" | "audio/x-wav" | "audio/wave" | "audio/vnd.wave" => Some("audio/wav"),
        _ => None,
    }
}

/// Checks that `declared` agrees with the magic bytes of `bytes`: when the bytes are one of the
/// formats [`detect_media_type`] knows, the declared type must name that format (a PNG declared
/// as `image/jpeg` is refused). Bytes of no known format pass with any well-formed type: the SDK
/// cannot tell what they are, so the server decides.
///
/// # Errors
/// [`Rule::InvalidMediaType`] or [`Rule::MediaTypeMismatch`] on the field `media_type`.
pub fn validate_media_type_matches(declared: &str, bytes: &[u8]) -> Result<(), ValidationError> {
    validate_media_type("media_type", declared)?;
    match (canonical_media_type(declared), detect_media_type(bytes)) {
        (Some(c), Some(d)) if c == d => Ok(()),
        (_, None) => Ok(()),
        (_, Some(d)) => Err(ValidationError::new(
            "media_type",
            Rule::MediaTypeMismatch {
                declared: declared.to_owned(),
                detected: d,
            },
        )),
    }
}
