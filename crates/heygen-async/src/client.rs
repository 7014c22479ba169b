//! [`Client`]: configuration plus a shared transport, and the one loop that runs any core
//! workflow.

use core::convert::Infallible;
use core::pin::Pin;
use std::io::Read as _;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::StreamExt as _;
use heygen_core::body::{check_opened_len, missing_reader, source_error, unsupported};
use heygen_core::download::{Receive, missing_sink};
use heygen_core::upload::SNIFF_BYTES;
use heygen_core::{
    Body, BodyTap, Call, Config, Cx, Error, Event, FileHead, InlineFile, Next, Operation, Outgoing,
    Sent, Source, StreamBody, TransportErrorKind, Workflow,
};
use http::{Request, Response};
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::hyper_transport::HyperTransport;
use crate::transport::{BodyStream, RequestBody, Transport, TransportError};

/// Bytes of a streamed body's source read per chunk (512 KiB): few hand-offs to the blocking
/// pool per upload, and at most three chunks alive at once (one being read and hashed, one
/// being written, one queued in the HTTP client), so memory stays bounded whatever the size.
const CHUNK_BYTES: usize = 512 * 1024;

/// A reader the caller hands the client for a [`Source::Reader`] body.
pub type BoxReader = Box<dyn AsyncRead + Send + Unpin + 'static>;

/// The writer a download streams into ([`Client::run_with_writer`]).
type Sink<'w> = &'w mut (dyn AsyncWrite + Send + Unpin);

/// A stream of every item of a list endpoint, page after page. It ends after the last page,
/// or after yielding one error (a failed page request or a stalled cursor).
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'static>>;

heygen_core::__client! {
    /// An async `HeyGen` client.
    ///
    /// Cheap to clone (two `Arc`s inside) and `Send + Sync`: share it across tasks; clones share
    /// the connection pool. It runs the core's workflows: every request is built, validated and
    /// parsed, and every retry, wait, page walk and upload step decided, by `heygen-core`; this
    /// client sends bytes, reads files, sleeps and loops. Dropping any future mid-request leaves
    /// the client usable (a connection in the middle of an exchange is closed, not reused).
    ///
    /// `Debug` never shows credentials.
}

impl Client {
    /// A client over the default hyper transport.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] when the TLS setup fails (see [`HyperTransport::new`]).
    pub fn new(config: Config) -> Result<Self, Error> {
        let transport = HyperTransport::new(&config)?;
        Ok(Self::with_transport(config, transport))
    }

    /// Sends any core operation: the escape hatch for endpoints without a method here (see
    /// [`heygen_core::ops`], for example [`heygen_core::ops::RawJson`]). Retries follow the
    /// configured policy; one idempotency key is used for every attempt.
    ///
    /// # Errors
    /// Any [`Error`]: validation (nothing sent), transport, API, decoding.
    pub async fn send<O>(&self, operation: &O) -> Result<O::Output, Error>
    where
        O: Operation + Sync,
        O::Output: Send,
    {
        self.run(Call::lazy(operation)).await
    }

    /// Runs any core workflow to its end (a call, a wait, an upload flow; see
    /// [`heygen_core::workflow`]). A streamed body from [`Source::Reader`] fails: use
    /// [`Client::run_with_reader`].
    ///
    /// # Errors
    /// The workflow's error.
    pub async fn run<W>(&self, workflow: W) -> Result<W::Output, Error>
    where
        W: Workflow<Item = Infallible> + Send,
    {
        self.run_inner(workflow, None).await
    }

    /// Runs a workflow whose body streams from `reader` ([`Source::Reader`]). The reader is read
    /// once; a failure after it was handed to an attempt is not retried.
    ///
    /// # Errors
    /// The workflow's error.
    pub async fn run_with_reader<W, R>(&self, workflow: W, reader: R) -> Result<W::Output, Error>
    where
        W: Workflow<Item = Infallible> + Send,
        R: AsyncRead + Send + Unpin + 'static,
    {
        self.run_inner(workflow, Some(Box::new(reader))).await
    }

    /// Runs a workflow that downloads into `writer` ([`Next::Receive`], for example
    /// [`heygen_core::Download`]): each 2xx body it asks for is streamed into the writer chunk
    /// by chunk as it arrives, through the core's tap.
    ///
    /// # Errors
    /// The workflow's error.
    pub async fn run_with_writer<W, S>(
        &self,
        mut workflow: W,
        writer: &mut S,
    ) -> Result<W::Output, Error>
    where
        W: Workflow<Item = Infallible> + Send,
        S: AsyncWrite + Send + Unpin,
    {
        let mut driver = Driver::new(None);
        driver.sink = Some(writer);
        match self.drive(&mut workflow, &mut driver).await {
            Next::Done(result) => result,
            Next::Yield(never) => match never {},
            _ => Err(Error::invalid_request(None, "the workflow stopped early")),
        }
    }

    async fn run_inner<W>(
        &self,
        mut workflow: W,
        reader: Option<BoxReader>,
    ) -> Result<W::Output, Error>
    where
        W: Workflow<Item = Infallible> + Send,
    {
        let mut driver = Driver::new(reader);
        match self.drive(&mut workflow, &mut driver).await {
            Next::Done(result) => result,
            Next::Yield(never) => match never {},
            _ => Err(Error::invalid_request(None, "the workflow stopped early")),
        }
    }

    /// Every item a workflow hands out (a list walk, [`heygen_core::Walk`]), as a stream.
    pub fn items<W>(&self, workflow: W) -> ItemStream<W::Item>
    where
        W: Workflow<Output = ()> + Send + 'static,
        W::Item: Send + 'static,
    {
        let state = (self.clone(), workflow, Driver::new(None), false);
        Box::pin(futures_util::stream::unfold(
            state,
            |(client, mut workflow, mut driver, over)| async move {
                if over {
                    return None;
                }
                match client.drive(&mut workflow, &mut driver).await {
                    Next::Yield(item) => Some((Ok(item), (client, workflow, driver, false))),
                    Next::Done(Err(error)) => Some((Err(error), (client, workflow, driver, true))),
                    _ => None,
                }
            },
        ))
    }

    /// The loop: asks the workflow what to do, does it, reports back; returns on an item or the
    /// end.
    async fn drive<W: Workflow + Send>(
        &self,
        workflow: &mut W,
        driver: &mut Driver<'_>,
    ) -> Next<W::Output, W::Item> {
        loop {
            let next = workflow.next(&driver.cx(&self.config));
            match next {
                Next::Send(outgoing) => {
                    let outcome = self.exchange(outgoing, driver).await;
                    workflow.handle_exchange(outcome, &driver.cx(&self.config));
                }
                Next::Sleep(delay) => tokio::time::sleep(delay).await,
                Next::Inspect(path) => {
                    let inspected = inspect(&path).await;
                    workflow.handle(Event::Inspected(inspected), &driver.cx(&self.config));
                }
                Next::Receive(receive) => {
                    // The timeouts are inside: the head's, then the idle limit per chunk.
                    let outcome = self.receive(&receive, &mut driver.sink).await;
                    workflow.handle_exchange(outcome, &driver.cx(&self.config));
                }
                end @ (Next::Yield(_) | Next::Done(_)) => return end,
            }
        }
    }

    /// One attempt: turns the body plan into bytes or a stream and sends it within the
    /// attempt's timeout.
    #[allow(
        clippy::result_large_err,
        reason = "the error is the event reported to the workflow"
    )]
    async fn exchange(
        &self,
        outgoing: Outgoing,
        driver: &mut Driver<'_>,
    ) -> Result<(Response<Bytes>, Option<Sent>), Event<'static>> {
        let options = outgoing.options;
        let (parts, body) = outgoing.request.into_parts();
        let mut tap = None;
        let body = match body {
            Body::Bytes(bytes) => RequestBody::Bytes(bytes),
            Body::Inline(inline) => {
                RequestBody::Bytes(encode_inline(&inline, driver).await.map_err(Event::Error)?)
            }
            Body::Stream(stream) => {
                let tap_of_attempt = stream
                    .tap()
                    .with_progress(self.config.uploads().progress.clone());
                let source = open(&stream.source, stream.len, driver).await?;
                let slot = TapSlot::default();
                tap = Some(slot.clone());
                stream_body(&stream, source, tap_of_attempt, slot)
            }
            _ => {
                return Err(Event::Error(unsupported("body")));
            }
        };
        let request = Request::from_parts(parts, body);
        let sent =
            tokio::time::timeout(options.timeout, self.transport.send(request, &options)).await;
        let tapped = match tap.and_then(|slot| slot.take()) {
            Some(Err(error)) => return Err(Event::Error(error)),
            Some(Ok(sent)) => Some(sent),
            None => None,
        };
        match sent {
            Ok(Ok(response)) => Ok((response, tapped)),
            Ok(Err(error)) => Err(Event::Failed(error)),
            Err(_elapsed) => Err(Event::Failed(TransportError::new(
                TransportErrorKind::Timeout,
                None,
            ))),
        }
    }
}

impl Client {
    /// One download attempt ([`Next::Receive`]): sends the request; a head the core gives a
    /// tap (a 2xx) has its body streamed chunk by chunk into `sink` as it arrives and is
    /// reported as [`Event::Received`]; any other is read within the read limit and reported as
    /// a response.
    #[allow(
        clippy::result_large_err,
        reason = "the error is the event reported to the workflow"
    )]
    async fn receive(
        &self,
        receive: &Receive,
        sink: &mut Option<Sink<'_>>,
    ) -> Result<(Response<Bytes>, Option<Sent>), Event<'static>> {
        let options = receive.outgoing.options;
        let (parts, body) = receive.outgoing.request.clone().into_parts();
        let body = RequestBody::Bytes(Bytes::copy_from_slice(body.bytes()));
        let opened = tokio::time::timeout(
            options.timeout,
            self.transport
                .open(Request::from_parts(parts, body), &options),
        )
        .await;
        let response = match opened {
            Ok(response) => response.map_err(Event::Failed)?,
            Err(_elapsed) => {
                return Err(Event::Failed(TransportError::new(
                    TransportErrorKind::Timeout,
                    None,
                )));
            }
        };
        let (parts, mut chunks) = response.into_parts();
        // The longest wait for the next chunk (without an idle limit, the head's timeout).
        let idle = options.idle.unwrap_or(options.timeout);
        let head = Response::from_parts(parts, ());
        let Some(mut tap) = receive.tap(&head) else {
            // An error page: read it like any response, within the limit.
            let mut buf = BytesMut::new();
            let limit = options.read_limit_usize();
            while buf.len() < limit {
                let next = tokio::time::timeout(idle, chunks.next()).await;
                let next = next.map_err(|_| {
                    Event::Failed(TransportError::new(TransportErrorKind::Timeout, None))
                })?;
                match next {
                    Some(Ok(chunk)) => {
                        buf.extend_from_slice(&chunk[..chunk.len().min(limit - buf.len())]);
                    }
                    Some(Err(e)) => return Err(Event::Failed(body_failure(&e))),
                    None => break,
                }
            }
            let (parts, ()) = head.into_parts();
            return Ok((Response::from_parts(parts, buf.freeze()), None));
        };
        let outcome = match sink {
            None => Err(missing_sink()),
            Some(sink) => loop {
                let Ok(next) = tokio::time::timeout(idle, chunks.next()).await else {
                    // No byte for the idle limit: the core's timeout, with the bytes so far.
                    break Err(tap.stalled());
                };
                let chunk = match next {
                    None => break tap.finish(),
                    Some(Ok(chunk)) => chunk,
                    Some(Err(e)) => break Err(tap.interrupted(&body_failure(&e))),
                };
                if let Err(error) = tap.chunk(&chunk) {
                    break Err(error);
                }
                if let Err(e) = sink.write_all(&chunk).await {
                    break Err(tap.write_failed(&e));
                }
            },
        };
        Err(Event::Received { head, outcome })
    }
}

/// A response body that failed while it was read.
fn body_failure(error: &std::io::Error) -> TransportError {
    let kind = match error.kind() {
        std::io::ErrorKind::TimedOut => TransportErrorKind::Timeout,
        _ => TransportErrorKind::Io,
    };
    TransportError::msg(kind, format!("reading the response body failed: {error}"))
}

/// The state of one run: the start of its clock, the caller's reader (until an attempt reads
/// a byte of it) and writer.
struct Driver<'w> {
    started: Instant,
    reader: ReaderSlot,
    had_reader: bool,
    sink: Option<Sink<'w>>,
}

/// Where the caller's reader waits between attempts.
type ReaderSlot = Arc<Mutex<Option<BoxReader>>>;

impl Driver<'_> {
    fn new(reader: Option<BoxReader>) -> Self {
        Self {
            started: Instant::now(),
            had_reader: reader.is_some(),
            reader: Arc::new(Mutex::new(reader)),
            sink: None,
        }
    }

    fn cx<'c>(&self, config: &'c Config) -> Cx<'c> {
        Cx::new(config, self.started.elapsed(), entropy()).with_wall_clock(unix_time)
    }
}

/// The wall-clock time as a Unix time, for the core's OAuth expiry decisions.
fn unix_time() -> core::time::Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

/// Where a streamed body's tap leaves its outcome for the loop: written once, by the last
/// planned byte (what was sent, with its digest) or at the first failure, and read once after
/// the exchange. The tap itself travels with the stream, so no chunk takes a lock.
#[derive(Clone, Default)]
struct TapSlot(Arc<Mutex<Option<Result<Sent, Error>>>>);

impl TapSlot {
    fn put(&self, outcome: Result<Sent, Error>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(outcome);
    }

    /// Records a tap error; the stream fails with its text.
    fn fail(&self, error: Error) -> std::io::Error {
        let io = std::io::Error::other(error.to_string());
        self.put(Err(error));
        io
    }

    fn take(&self) -> Option<Result<Sent, Error>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// Reports one read of the source to the tap: a chunk, or (empty) the end of the source.
/// `Ok(true)` once the end is in.
fn feed(tap: &mut BodyTap, chunk: &[u8]) -> Result<bool, Error> {
    if chunk.is_empty() {
        tap.end().map(|()| true)
    } else {
        tap.chunk(chunk).map(|()| false)
    }
}

/// After the reads of one chunk ([`feed`]): the tap while more is expected. Once the end of the
/// source is in, finishes the tap and leaves what was sent in `slot`, before the chunk is handed
/// on (the HTTP client stops polling the body once it has the announced length). A refusal is
/// left in `slot` too, and fails the stream with its text.
fn settle(
    tap: BodyTap,
    fed: Result<bool, Error>,
    slot: &TapSlot,
) -> std::io::Result<Option<BodyTap>> {
    match fed {
        Ok(false) => Ok(Some(tap)),
        Ok(true) => match tap.finish() {
            Ok(sent) => {
                slot.put(Ok(sent));
                Ok(None)
            }
            Err(error) => Err(slot.fail(error)),
        },
        Err(error) => Err(slot.fail(error)),
    }
}

/// A body's source, opened for one attempt.
enum Opened {
    /// A file checked to have the planned length, read on the blocking pool.
    File(std::fs::File),
    /// The caller's reader.
    Reader(BoxReader),
}

impl Opened {
    /// The source as an async reader.
    fn into_reader(self) -> BoxReader {
        match self {
            Self::File(file) => Box::new(tokio::fs::File::from_std(file)),
            Self::Reader(reader) => reader,
        }
    }
}

/// Opens a body's source for one attempt: a file re-opened from its start (and checked to still
/// have `len` bytes), or the caller's reader if no attempt took it yet. Neither is cut at `len`:
/// the tap (or the inline encoder) refuses a source that gives more than planned, instead of it
/// being silently truncated.
#[allow(
    clippy::result_large_err,
    reason = "the error is the event reported to the workflow"
)]
async fn open(
    source: &Source,
    len: u64,
    driver: &mut Driver<'_>,
) -> Result<Opened, Event<'static>> {
    match source {
        Source::File(path) => {
            // Open and measure in one trip to the blocking pool.
            let path = path.clone();
            let opened = tokio::task::spawn_blocking(move || {
                let file = std::fs::File::open(path)?;
                let actual = file.metadata()?.len();
                Ok::<_, std::io::Error>((file, actual))
            })
            .await
            .unwrap_or_else(|join| Err(std::io::Error::other(join)));
            let (file, actual) = opened.map_err(|e| Event::Error(source_error(source, &e)))?;
            check_opened_len(len, actual).map_err(Event::Error)?;
            Ok(Opened::File(file))
        }
        Source::Reader => match driver
            .reader
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            Some(reader) => Ok(Opened::Reader(Box::new(Lease {
                reader: Some(reader),
                home: Arc::clone(&driver.reader),
                read: false,
            }))),
            None if driver.had_reader => Err(Event::ReaderConsumed),
            None => Err(Event::Error(missing_reader())),
        },
        _ => Err(Event::Error(unsupported("source"))),
    }
}

/// The caller's reader lent to one attempt. An attempt that ends before a byte of it was read
/// (a refused connection, say) puts it back, so a retry can still send it, as the blocking
/// client does; once a byte was read it is spent, and a retry reports it consumed.
struct Lease {
    reader: Option<BoxReader>,
    home: ReaderSlot,
    read: bool,
}

impl AsyncRead for Lease {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        let Some(reader) = this.reader.as_mut() else {
            return std::task::Poll::Ready(Ok(()));
        };
        let polled = Pin::new(reader).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.read = true;
        }
        polled
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if !self.read
            && let Some(reader) = self.reader.take()
        {
            *self.home.lock().unwrap_or_else(PoisonError::into_inner) = Some(reader);
        }
    }
}

/// One chunk of a file, read and reported to the tap on the blocking pool, with the file and
/// the tap when more is expected.
struct FileChunk {
    chunk: std::io::Result<Bytes>,
    rest: Option<(std::fs::File, BodyTap)>,
}

/// Reads the next chunk of a file into `chunk` (as many bytes as the tap asks for; fewer only
/// at the end of the file) and reports it to the tap, with the probe for the end of the file
/// after the last planned byte.
fn read_file_chunk(
    mut file: std::fs::File,
    mut tap: BodyTap,
    mut chunk: Vec<u8>,
    slot: &TapSlot,
) -> FileChunk {
    let failed = |e| FileChunk {
        chunk: Err(e),
        rest: None,
    };
    // `read_to_end` fills the spare capacity without zeroing it first.
    let want = tap.read_len(CHUNK_BYTES) as u64;
    if let Err(e) = (&mut file).take(want).read_to_end(&mut chunk) {
        return failed(e);
    }
    let mut fed = feed(&mut tap, &chunk);
    if matches!(fed, Ok(false)) && tap.needs_end() {
        // The last planned byte: read once more, so a file that grew is refused, not cut.
        let mut probe = Vec::new();
        if let Err(e) = (&mut file).take(1).read_to_end(&mut probe) {
            return failed(e);
        }
        fed = feed(&mut tap, &probe);
    }
    match settle(tap, fed, slot) {
        Ok(rest) => FileChunk {
            chunk: Ok(Bytes::from(chunk)),
            rest: rest.map(|tap| (file, tap)),
        },
        Err(e) => failed(e),
    }
}

/// Starts reading the next chunk of a file and reporting it to the tap on the blocking pool.
fn read_ahead(file: std::fs::File, tap: BodyTap, slot: &TapSlot) -> JoinHandle<FileChunk> {
    let slot = slot.clone();
    // Allocated here, on the thread that also frees the chunks once they are written: they come
    // from and go back to one allocator arena, so freed chunks are reused and memory stays flat
    // (each thread of the blocking pool would grow an arena of its own).
    let chunk = Vec::with_capacity(tap.read_len(CHUNK_BYTES));
    tokio::task::spawn_blocking(move || read_file_chunk(file, tap, chunk, &slot))
}

/// The next chunk of the caller's reader, reported to the tap (with the probe for its end after
/// the last planned byte); the tap while more is expected.
async fn read_reader_chunk(
    reader: &mut BoxReader,
    mut tap: BodyTap,
    slot: &TapSlot,
) -> (std::io::Result<Bytes>, Option<BodyTap>) {
    let want = tap.read_len(CHUNK_BYTES);
    let mut chunk = BytesMut::with_capacity(want);
    if let Err(e) = (&mut *reader).take(want as u64).read_buf(&mut chunk).await {
        return (Err(e), None);
    }
    let mut fed = feed(&mut tap, &chunk);
    if matches!(fed, Ok(false)) && tap.needs_end() {
        // The last planned byte: read once more, so a longer reader is refused, not cut.
        let mut probe = [0u8; 1];
        let n = loop {
            match reader.read(&mut probe).await {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return (Err(e), None),
            }
        };
        fed = feed(&mut tap, &probe[..n]);
    }
    match settle(tap, fed, slot) {
        Ok(rest) => (Ok(chunk.freeze()), rest),
        Err(e) => (Err(e), None),
    }
}

/// The streamed body: prefix, the source's bytes through the core's [`BodyTap`], suffix.
///
/// A file is read and hashed on the blocking pool one chunk ahead of the sender: while the HTTP
/// client writes chunk k, chunk k + 1 is read and reported to the tap. A caller's reader is read
/// and reported in the stream itself. Chunks are at most [`CHUNK_BYTES`].
fn stream_body(plan: &StreamBody, source: Opened, tap: BodyTap, slot: TapSlot) -> RequestBody {
    let chunks: BodyStream = match source {
        Opened::File(file) => {
            let first = read_ahead(file, tap, &slot);
            Box::pin(futures_util::stream::unfold(
                (Some(first), slot),
                |(ahead, slot)| async move {
                    let step = match ahead?.await {
                        Ok(step) => step,
                        Err(join) => {
                            return Some((Err(std::io::Error::other(join)), (None, slot)));
                        }
                    };
                    let next = step.rest.map(|(file, tap)| read_ahead(file, tap, &slot));
                    match step.chunk {
                        // The end of the source, as planned: nothing more to send.
                        Ok(chunk) if chunk.is_empty() && next.is_none() => None,
                        item => Some((item, (next, slot))),
                    }
                },
            ))
        }
        Opened::Reader(reader) => Box::pin(futures_util::stream::unfold(
            (reader, Some(tap), slot),
            |(mut reader, tap, slot)| async move {
                let (item, rest) = read_reader_chunk(&mut reader, tap?, &slot).await;
                match item {
                    Ok(chunk) if chunk.is_empty() && rest.is_none() => None,
                    item => Some((item, (reader, rest, slot))),
                }
            },
        )),
    };
    let framed = [plan.prefix.clone(), plan.suffix.clone()];
    let [prefix, suffix] =
        framed.map(|bytes| futures_util::stream::iter((!bytes.is_empty()).then_some(Ok(bytes))));
    let stream: BodyStream = Box::pin(prefix.chain(chunks).chain(suffix));
    RequestBody::Stream {
        stream,
        length: plan.content_length(),
    }
}

/// The inline body: the file's bytes read chunk by chunk straight into the core's encoder.
async fn encode_inline(inline: &InlineFile, driver: &mut Driver<'_>) -> Result<Bytes, Error> {
    let mut encoder = inline.encoder()?;
    let mut reader = open(&inline.source, inline.len, driver)
        .await
        .map_err(InlineFile::open_failed)?
        .into_reader();
    let mut chunk = vec![0u8; 48 * 1024];
    loop {
        let n = reader
            .read(&mut chunk)
            .await
            .map_err(|e| source_error(&inline.source, &e))?;
        if n == 0 {
            break;
        }
        encoder.feed(&chunk[..n])?;
    }
    encoder.finish()
}

/// The size and first bytes of a local file.
async fn inspect(path: &Path) -> std::io::Result<FileHead> {
    let file = tokio::fs::File::open(path).await?;
    let size = file.metadata().await?.len();
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    file.take(SNIFF_BYTES as u64).read_to_end(&mut head).await?;
    Ok(FileHead::new(size, head))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, reason = "tests")]
mod tests {
    use std::path::PathBuf;

    use futures_util::StreamExt as _;
    use heygen_core::upload::Sha256;

    use super::*;

    fn plan(source: Source, len: u64) -> StreamBody {
        StreamBody {
            prefix: Bytes::from_static(b"--head--"),
            source,
            len,
            suffix: Bytes::from_static(b"--tail--"),
            sha256: true,
            name: Some("clip.mp4".to_owned()),
        }
    }

    fn pattern(len: usize) -> Vec<u8> {
        #[allow(clippy::cast_possible_truncation, reason = "a byte pattern")]
        (0..len).map(|i| (i * 31 % 251) as u8).collect()
    }

    fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("heygen-async-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// What a streamed body gave: every item, and whether the tap had reported before the item
    /// that carried the last planned byte was handed out.
    struct Streamed {
        bytes: Vec<u8>,
        error: Option<std::io::Error>,
        reported_by_last_byte: bool,
    }

    async fn stream(plan: &StreamBody, driver: &mut Driver<'_>) -> (Streamed, TapSlot) {
        let source = open(&plan.source, plan.len, driver).await.ok().unwrap();
        let slot = TapSlot::default();
        let RequestBody::Stream { mut stream, length } =
            stream_body(plan, source, plan.tap(), slot.clone())
        else {
            panic!("a stream plan gives a streamed body");
        };
        assert_eq!(length, plan.content_length());
        let mut out = Streamed {
            bytes: Vec::new(),
            error: None,
            reported_by_last_byte: false,
        };
        let last = usize::try_from(plan.prefix.len() as u64 + plan.len).unwrap();
        while let Some(item) = stream.next().await {
            match item {
                Ok(chunk) => {
                    let before = out.bytes.len();
                    out.bytes.extend_from_slice(&chunk);
                    if before < last && out.bytes.len() >= last {
                        out.reported_by_last_byte = slot.0.lock().unwrap().is_some();
                    }
                }
                Err(error) => {
                    out.error = Some(error);
                    break;
                }
            }
        }
        (out, slot)
    }

    fn framed(plan: &StreamBody, source: &[u8]) -> Vec<u8> {
        [&plan.prefix[..], source, &plan.suffix[..]].concat()
    }

    #[tokio::test]
    async fn a_file_of_several_chunks_streams_whole_and_reports_its_digest_by_its_last_byte() {
        let len = 2 * CHUNK_BYTES + 12_345;
        let bytes = pattern(len);
        let plan = plan(Source::File(temp_file("several.bin", &bytes)), len as u64);
        let (streamed, slot) = stream(&plan, &mut Driver::new(None)).await;
        assert!(streamed.error.is_none(), "{:?}", streamed.error);
        assert!(streamed.bytes == framed(&plan, &bytes), "bytes differ");
        assert!(streamed.reported_by_last_byte);
        let sent = slot.take().unwrap().unwrap();
        assert_eq!(sent.bytes, len as u64);
        assert_eq!(sent.sha256, Some(Sha256::hex_digest(&bytes)));
    }

    #[tokio::test]
    async fn a_file_that_shrinks_while_it_streams_fails_the_body_and_says_so() {
        let bytes = pattern(CHUNK_BYTES + 1000);
        let path = temp_file("shrinks.bin", &bytes);
        let plan = plan(Source::File(path.clone()), bytes.len() as u64);
        let mut driver = Driver::new(None);
        let source = open(&plan.source, plan.len, &mut driver)
            .await
            .ok()
            .unwrap();
        // Opened with the planned length; cut before a byte is read.
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(600)
            .unwrap();
        let slot = TapSlot::default();
        let RequestBody::Stream { mut stream, .. } =
            stream_body(&plan, source, plan.tap(), slot.clone())
        else {
            panic!("a stream plan gives a streamed body");
        };
        let mut sent = Vec::new();
        let error = loop {
            match stream.next().await {
                Some(Ok(chunk)) => sent.extend_from_slice(&chunk),
                Some(Err(error)) => break error,
                None => panic!("the stream ended without an error"),
            }
        };
        assert!(error.to_string().contains("changed size"), "{error}");
        assert_eq!(sent, framed(&plan, &bytes[..600])[..8 + 600]);
        let Some(Err(reported)) = slot.take() else {
            panic!("the tap's error is left for the loop");
        };
        assert!(reported.to_string().contains("changed size"), "{reported}");
    }

    #[tokio::test]
    async fn a_reader_streams_whole_and_reports_its_digest_by_its_last_byte() {
        let bytes = pattern(CHUNK_BYTES + 7);
        let plan = plan(Source::Reader, bytes.len() as u64);
        let mut driver = Driver::new(Some(Box::new(std::io::Cursor::new(bytes.clone()))));
        let (streamed, slot) = stream(&plan, &mut driver).await;
        assert!(streamed.error.is_none(), "{:?}", streamed.error);
        assert!(streamed.bytes == framed(&plan, &bytes), "bytes differ");
        assert!(streamed.reported_by_last_byte);
        let sent = slot.take().unwrap().unwrap();
        assert_eq!(sent.sha256, Some(Sha256::hex_digest(&bytes)));
    }

    #[tokio::test]
    async fn a_reader_shorter_than_planned_fails_the_body() {
        let plan = plan(Source::Reader, 100);
        let mut driver = Driver::new(Some(Box::new(std::io::Cursor::new(vec![1u8; 60]))));
        let (streamed, slot) = stream(&plan, &mut driver).await;
        let error = streamed.error.unwrap();
        assert!(
            error
                .to_string()
                .contains("ended after 60 of the declared 100"),
            "{error}"
        );
        assert!(matches!(slot.take(), Some(Err(_))));
    }

    /// The byte past the planned length is found before the last planned chunk goes out: the
    /// body fails instead of a truncated upload completing.
    #[tokio::test]
    async fn a_reader_longer_than_planned_fails_before_its_last_chunk_goes_out() {
        for extra in [1, CHUNK_BYTES] {
            let bytes = pattern(CHUNK_BYTES + 7 + extra);
            let plan = plan(Source::Reader, CHUNK_BYTES as u64 + 7);
            let mut driver = Driver::new(Some(Box::new(std::io::Cursor::new(bytes))));
            let (streamed, slot) = stream(&plan, &mut driver).await;
            let error = streamed.error.unwrap();
            assert!(
                error.to_string().contains("more bytes than the declared"),
                "{error}"
            );
            assert_eq!(
                streamed.bytes.len(),
                8 + CHUNK_BYTES,
                "the last chunk stays"
            );
            assert!(matches!(slot.take(), Some(Err(_))));
        }
    }

    #[tokio::test]
    async fn a_file_that_grows_after_it_was_opened_fails_the_body() {
        let bytes = pattern(1000);
        let path = temp_file("grows.bin", &bytes);
        let plan = plan(Source::File(path.clone()), 1000);
        let mut driver = Driver::new(None);
        let source = open(&plan.source, plan.len, &mut driver)
            .await
            .ok()
            .unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .set_len(1001)
            .unwrap();
        let slot = TapSlot::default();
        let RequestBody::Stream { mut stream, .. } =
            stream_body(&plan, source, plan.tap(), slot.clone())
        else {
            panic!("a stream plan gives a streamed body");
        };
        let mut error = None;
        while let Some(item) = stream.next().await {
            if let Err(e) = item {
                error = Some(e);
                break;
            }
        }
        let error = error.unwrap();
        assert!(error.to_string().contains("changed size"), "{error}");
        assert!(matches!(slot.take(), Some(Err(_))));
    }

    #[tokio::test]
    async fn an_empty_source_sends_the_framing_and_the_digest_of_nothing() {
        for (source, mut driver) in [
            (Source::File(temp_file("empty.bin", b"")), Driver::new(None)),
            (
                Source::Reader,
                Driver::new(Some(Box::new(std::io::Cursor::new(Vec::new())))),
            ),
        ] {
            let plan = plan(source, 0);
            let (streamed, slot) = stream(&plan, &mut driver).await;
            assert!(streamed.error.is_none(), "{:?}", streamed.error);
            assert_eq!(streamed.bytes, framed(&plan, b""));
            let sent = slot.take().unwrap().unwrap();
            assert_eq!(sent.bytes, 0);
            assert_eq!(sent.sha256, Some(Sha256::hex_digest(b"")));
        }
    }
}
