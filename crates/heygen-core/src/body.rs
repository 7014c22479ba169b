//! Request bodies: the bytes the core built, or a plan the client follows to produce them from a
//! file or a reader ([`Body`]), and the checks a client runs while it streams ([`BodyTap`]).
//!
//! A body plan never owns bytes it cannot replay: it says "`len` bytes of this file, from its
//! start" (re-opened for each attempt) or "`len` bytes of the reader the caller handed the client"
//! (read once). The client reads, the core counts, hashes and decides.

use core::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;

use crate::error::Error;
use crate::upload::{InlineBody, Sha256};
use crate::workflow::Event;

/// Where the bytes of a streamed body come from.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// A local file, opened from its start for each attempt (so a failed attempt can be sent
    /// again). The client checks that it still has the planned length each time it opens it.
    File(PathBuf),
    /// The reader the caller handed the client with the workflow: read once, never replayed.
    Reader,
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Only the file name: the directory may be private.
            Self::File(path) => f
                .debug_tuple("File")
                .field(&path.file_name().unwrap_or_default())
                .finish(),
            Self::Reader => f.write_str("Reader"),
        }
    }
}

impl Source {
    /// Whether the bytes can be read again for another attempt.
    pub fn is_replayable(&self) -> bool {
        matches!(self, Self::File(_))
    }

    /// The file's path, for a [`Source::File`].
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::File(path) => Some(path),
            Self::Reader => None,
        }
    }
}

/// A body streamed by the client: `prefix`, then `len` bytes of `source`, then `suffix`.
#[derive(Clone, PartialEq, Eq)]
pub struct StreamBody {
    /// The bytes sent before the source's (a multipart part header; empty for a `PUT`).
    pub prefix: Bytes,
    /// Where the bytes come from.
    pub source: Source,
    /// How many bytes of the source are sent, exactly.
    pub len: u64,
    /// The bytes sent after the source's (the closing multipart boundary; empty for a `PUT`).
    pub suffix: Bytes,
    /// Whether the client computes the SHA-256 of the source's bytes as they stream (reported
    /// back in [`Sent::sha256`]).
    pub sha256: bool,
    /// The file's name for errors (a multipart part's file name); `None` when there is none
    /// (a direct-upload `PUT` of a reader). A [`Source::File`] is named by its path's file name.
    pub name: Option<String>,
}

impl fmt::Debug for StreamBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamBody")
            .field("prefix_len", &self.prefix.len())
            .field("source", &self.source)
            .field("len", &self.len)
            .field("suffix_len", &self.suffix.len())
            .field("sha256", &self.sha256)
            .field("name", &self.name)
            .finish()
    }
}

impl StreamBody {
    /// The whole body's length (`Content-Length`), in bytes.
    pub fn content_length(&self) -> u64 {
        (self.prefix.len() as u64)
            .saturating_add(self.len)
            .saturating_add(self.suffix.len() as u64)
    }

    /// A fresh tap for one attempt: counts (and hashes, when asked) the source's bytes.
    pub fn tap(&self) -> BodyTap {
        let name = match &self.source {
            Source::File(path) => path.file_name().map(|n| n.to_string_lossy().into_owned()),
            Source::Reader => None,
        }
        .or_else(|| self.name.clone());
        BodyTap {
            len: self.len,
            seen: 0,
            ended: false,
            file: self.source.is_replayable(),
            name,
            hasher: self.sha256.then(Sha256::new),
            progress: None,
        }
    }
}

/// A request body whose JSON carries a file inline as base64: `template` (the serialized request
/// with a placeholder) with the base64 of `len` bytes of `source` spliced in by [`InlineBody`].
#[derive(Clone, PartialEq, Eq)]
pub struct InlineFile {
    /// The serialized request holding [`crate::upload::INLINE_PLACEHOLDER`].
    pub template: Bytes,
    /// Where the file's bytes come from.
    pub source: Source,
    /// How many bytes of the source are encoded, exactly.
    pub len: u64,
}

impl fmt::Debug for InlineFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InlineFile")
            .field("template_len", &self.template.len())
            .field("source", &self.source)
            .field("len", &self.len)
            .finish()
    }
}

impl InlineFile {
    /// The encoder the client feeds the file's bytes to; its [`InlineBody::finish`] is the body.
    ///
    /// # Errors
    /// As [`InlineBody::new`].
    pub fn encoder(&self) -> Result<InlineBody, Error> {
        InlineBody::new(&self.template, self.len)
    }

    /// The error to give when the client could not open the source for the inline body:
    /// the error it reported, or, for a reader an earlier attempt already read
    /// ([`Event::ReaderConsumed`]), an [`Error::InvalidRequest`] (field `file`) saying so.
    pub fn open_failed(event: Event<'_>) -> Error {
        match event {
            Event::Error(error) => error,
            _ => Error::invalid_request(Some("file"), "the inline file could not be read again"),
        }
    }
}

/// The body of a built request.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Body {
    /// These bytes, as they are (a JSON document, or empty).
    Bytes(Bytes),
    /// Streamed from a file or reader by the client (multipart upload, direct-upload `PUT`).
    Stream(StreamBody),
    /// A JSON document with a file spliced in as base64 by the client (inline upload).
    Inline(InlineFile),
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bytes(bytes) => write!(f, "Bytes(<{} bytes>)", bytes.len()),
            Self::Stream(stream) => stream.fmt(f),
            Self::Inline(inline) => inline.fmt(f),
        }
    }
}

impl Default for Body {
    fn default() -> Self {
        Self::Bytes(Bytes::new())
    }
}

impl Body {
    /// The in-memory bytes: the whole body for [`Body::Bytes`], the template for
    /// [`Body::Inline`], nothing for a stream.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Self::Bytes(bytes) => bytes,
            Self::Inline(inline) => &inline.template,
            Self::Stream(_) => &[],
        }
    }

    /// Whether the body can be produced again for another attempt.
    pub fn is_replayable(&self) -> bool {
        match self {
            Self::Bytes(_) => true,
            Self::Stream(stream) => stream.source.is_replayable(),
            Self::Inline(inline) => inline.source.is_replayable(),
        }
    }

    /// The source the client reads, if the body has one.
    pub fn source(&self) -> Option<&Source> {
        match self {
            Self::Bytes(_) => None,
            Self::Stream(stream) => Some(&stream.source),
            Self::Inline(inline) => Some(&inline.source),
        }
    }
}

/// A progress callback: (bytes of the source sent so far, total bytes of the source).
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync + 'static>;

/// What a client reports about a streamed body it sent, with the response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sent {
    /// Bytes of the source sent.
    pub bytes: u64,
    /// Their SHA-256 as 64 lower-case hex digits, when the plan asked for it.
    pub sha256: Option<String>,
}

/// Counts, hashes and reports the source's bytes of one attempt as the client streams them, and
/// refuses a source that gives more or fewer bytes than planned (a file that changed size, a
/// reader longer or shorter than the declared `size_bytes`).
///
/// The client's part of the contract:
/// 1. read at most [`BodyTap::read_len`] bytes at a time, and report each chunk with
///    [`BodyTap::chunk`];
/// 2. as soon as the planned bytes are all in ([`BodyTap::needs_end`]), read the source once
///    more before handing the last chunk on (the HTTP client stops asking once it has the
///    announced length): report any byte it gives with [`BodyTap::chunk`] (refused: the source is
///    longer than planned), or its end with [`BodyTap::end`];
/// 3. report a source that ends early with [`BodyTap::end`] (refused: shorter than planned).
///
/// [`BodyTap::finish`] refuses a tap whose end of source was never reported, so a client that
/// cut the source at the planned length (and would upload a truncated file without noticing) fails
/// instead.
pub struct BodyTap {
    len: u64,
    seen: u64,
    ended: bool,
    file: bool,
    name: Option<String>,
    hasher: Option<Sha256>,
    progress: Option<Progress>,
}

impl fmt::Debug for BodyTap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyTap")
            .field("len", &self.len)
            .field("seen", &self.seen)
            .field("ended", &self.ended)
            .field("sha256", &self.hasher.is_some())
            .finish_non_exhaustive()
    }
}

impl BodyTap {
    /// Reports progress to `progress` as bytes go through.
    #[must_use]
    pub fn with_progress(mut self, progress: Option<Progress>) -> Self {
        self.progress = progress;
        self
    }

    /// Bytes of the source still expected.
    pub fn remaining(&self) -> u64 {
        self.len.saturating_sub(self.seen)
    }

    /// How many bytes to ask the source for next, with a buffer of `buf` bytes: at most the
    /// planned bytes left, and once they are all in, 1 (the read that finds the end of the
    /// source).
    pub fn read_len(&self, buf: usize) -> usize {
        match self.remaining() {
            0 => buf.min(1),
            left => usize::try_from(left).map_or(buf, |left| left.min(buf)),
        }
    }

    /// Whether every planned byte came and the end of the source is not reported yet: the
    /// client must read the source once more now (step 2 of the contract).
    pub fn needs_end(&self) -> bool {
        self.remaining() == 0 && !self.ended
    }

    /// Records the next chunk read from the source.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] (field `file`, naming the file) when the chunks add up to more
    /// than planned.
    pub fn chunk(&mut self, chunk: &[u8]) -> Result<(), Error> {
        let n = chunk.len() as u64;
        if n > self.remaining() || (n > 0 && self.ended) {
            return Err(self.wrong_size(true));
        }
        self.seen += n;
        if let Some(hasher) = &mut self.hasher {
            hasher.update(chunk);
        }
        if n > 0
            && let Some(progress) = &self.progress
        {
            progress(self.seen, self.len);
        }
        Ok(())
    }

    /// Records the end of the source (a read that gave no bytes).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] (field `file`, naming the file) when fewer bytes than planned
    /// came.
    pub fn end(&mut self) -> Result<(), Error> {
        if self.seen != self.len {
            return Err(self.wrong_size(false));
        }
        self.ended = true;
        Ok(())
    }

    /// Ends the source's bytes: what was sent.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] (field `file`, naming the file) when fewer bytes than planned
    /// came, or when the end of the source was never reported ([`BodyTap::end`]): a client that
    /// stopped reading at the planned length cannot tell a longer source from an exact one.
    pub fn finish(mut self) -> Result<Sent, Error> {
        if !self.ended {
            if self.seen != self.len {
                return Err(self.wrong_size(false));
            }
            return Err(Error::invalid_request(
                Some("file"),
                format!(
                    "{} was not read to its end, so a source longer than the declared {} bytes would go unnoticed (a client bug: see BodyTap)",
                    self.label(),
                    self.len
                ),
            ));
        }
        self.end()?;
        Ok(Sent {
            bytes: self.seen,
            sha256: self.hasher.map(Sha256::finalize_hex),
        })
    }
}

impl BodyTap {
    /// The source as errors name it.
    fn label(&self) -> String {
        match (&self.name, self.file) {
            (Some(name), true) => name.clone(),
            (Some(name), false) => format!("the reader for {name}"),
            (None, true) => "the file".to_owned(),
            (None, false) => "the reader".to_owned(),
        }
    }

    /// The error for a source that gave more (`longer`) or fewer bytes than planned.
    fn wrong_size(&self, longer: bool) -> Error {
        let label = self.label();
        let message = match (self.file, longer) {
            (true, _) => format!("{label} changed size while it was read"),
            (false, true) => format!(
                "{label} gives more bytes than the declared {} (size_bytes); nothing past them is sent",
                self.len
            ),
            (false, false) => format!(
                "{label} ended after {} of the declared {} bytes (size_bytes)",
                self.seen, self.len
            ),
        };
        Error::invalid_request(Some("file"), message)
    }
}

/// The source gave more or fewer bytes than planned.
pub(crate) fn changed_size() -> Error {
    Error::invalid_request(Some("file"), "the file changed size while it was read")
}

/// Checks the length of a file a client just opened against the plan, before sending a byte.
///
/// # Errors
/// [`Error::InvalidRequest`] (field `file`) when the file no longer has `planned` bytes.
pub fn check_opened_len(planned: u64, actual: u64) -> Result<(), Error> {
    if planned == actual {
        Ok(())
    } else {
        Err(Error::invalid_request(
            Some("file"),
            "the file changed size while it was being uploaded",
        ))
    }
}

/// What a client read of a local file for [`crate::Next::Inspect`]: its size and first bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileHead {
    /// The size, in bytes.
    pub size: u64,
    /// The first [`crate::upload::SNIFF_BYTES`] bytes (fewer for a shorter file).
    pub head: Vec<u8>,
}

impl FileHead {
    /// A file of `size` bytes starting with `head`.
    pub fn new(size: u64, head: Vec<u8>) -> Self {
        Self { size, head }
    }
}

/// The error for a [`Source::Reader`] body in a run that was given no reader.
pub fn missing_reader() -> Error {
    Error::invalid_request(
        Some("file"),
        "this workflow streams a reader: run it with run_with_reader",
    )
}

/// The error for a body plan (`what`: "body" or "source") a client does not know: [`Body`] and
/// [`Source`] are non-exhaustive, and a client older than the core refuses what it cannot send.
pub fn unsupported(what: &'static str) -> Error {
    Error::invalid_request(
        (what == "source").then_some("file"),
        format!("this client cannot send that kind of {what}"),
    )
}

/// Turns an I/O error reading a source into the error a client reports for the attempt.
pub fn source_error(source: &Source, error: &io::Error) -> Error {
    match source {
        Source::File(path) => crate::upload::unreadable_file(path, error),
        Source::Reader => Error::invalid_request(
            Some("file"),
            format!("cannot read the upload's reader: {error}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tap_counts_hashes_and_refuses_a_changed_size() {
        let plan = StreamBody {
            prefix: Bytes::from_static(b"ab"),
            source: Source::Reader,
            len: 3,
            suffix: Bytes::from_static(b"c"),
            sha256: true,
            name: Some("clip.mp4".to_owned()),
        };
        assert_eq!(plan.content_length(), 6);
        let mut tap = plan.tap();
        assert_eq!(tap.read_len(64), 3);
        tap.chunk(b"ab").unwrap();
        assert_eq!(tap.read_len(64), 1);
        tap.chunk(b"c").unwrap();
        assert!(tap.needs_end());
        assert_eq!(tap.read_len(64), 1, "the probe for the end of the source");
        tap.end().unwrap();
        assert!(!tap.needs_end());
        let sent = tap.finish().unwrap();
        assert_eq!(sent.bytes, 3);
        assert_eq!(
            sent.sha256.as_deref(),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        let mut long = plan.tap();
        assert!(long.chunk(b"abcd").is_err());
        // A reader with one byte past the declared size, found by the probe after the last
        // planned byte: refused, and the error names the file.
        let mut longer = plan.tap();
        longer.chunk(b"abc").unwrap();
        let error = longer.chunk(b"d").unwrap_err().to_string();
        assert!(
            error.contains("clip.mp4") && error.contains("more bytes than the declared 3"),
            "{error}"
        );
        let mut short = plan.tap();
        short.chunk(b"a").unwrap();
        assert!(
            short
                .end()
                .unwrap_err()
                .to_string()
                .contains("ended after 1 of the declared 3")
        );
        let mut short = plan.tap();
        short.chunk(b"a").unwrap();
        assert!(short.finish().is_err());
        // A client that never reports the end of the source cannot finish: it would not notice
        // a longer source.
        let mut unchecked = plan.tap();
        unchecked.chunk(b"abc").unwrap();
        let error = unchecked.finish().unwrap_err().to_string();
        assert!(error.contains("not read to its end"), "{error}");
        assert!(check_opened_len(3, 4).is_err());
        assert!(check_opened_len(3, 3).is_ok());
    }

    #[test]
    fn replayable_only_from_files_and_debug_hides_directories() {
        let file = Source::File(PathBuf::from("/secret/dir/a.png"));
        assert!(file.is_replayable());
        assert!(!Source::Reader.is_replayable());
        assert!(!format!("{file:?}").contains("secret"));
        assert!(Body::Bytes(Bytes::new()).is_replayable());
    }
}
