//! [`Client`]: configuration plus a shared transport, and the one loop that runs any core
//! workflow.

use core::convert::Infallible;
use core::pin::Pin;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::StreamExt as _;
use heygen_core::body::{check_opened_len, missing_reader, source_error, unsupported};
use heygen_core::upload::SNIFF_BYTES;
use heygen_core::{
    Body, BodyTap, Call, Config, Cx, Error, Event, FileHead, InlineFile, Next, Operation, Outgoing,
    Sent, Source, StreamBody, TransportErrorKind, Workflow,
};
use http::{Request, Response};
use tokio::io::{AsyncRead, AsyncReadExt as _};
use tokio::time::Instant;

use crate::hyper_transport::HyperTransport;
use crate::transport::{BodyStream, RequestBody, Transport, TransportError};

/// Bytes read from a file per chunk (64 KiB).
const CHUNK_BYTES: u64 = 64 * 1024;

/// A reader the caller hands the client for a [`Source::Reader`] body.
pub type BoxReader = Box<dyn AsyncRead + Send + Unpin + 'static>;

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
        driver: &mut Driver,
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
        driver: &mut Driver,
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
                let shared = Arc::new(Mutex::new(TapState {
                    tap: Some(
                        stream
                            .tap()
                            .with_progress(self.config.uploads().progress.clone()),
                    ),
                    error: None,
                    sent: None,
                }));
                let source = open(&stream.source, stream.len, driver).await?;
                tap = Some(shared.clone());
                stream_body(&stream, source, shared)
            }
            _ => {
                return Err(Event::Error(unsupported("body")));
            }
        };
        let request = Request::from_parts(parts, body);
        let sent =
            tokio::time::timeout(options.timeout, self.transport.send(request, &options)).await;
        let tapped = tap.map(|shared| {
            let mut state = shared.lock().unwrap_or_else(PoisonError::into_inner);
            (state.error.take(), state.sent.take())
        });
        if let Some((Some(error), _)) = tapped {
            return Err(Event::Error(error));
        }
        match sent {
            Ok(Ok(response)) => Ok((response, tapped.and_then(|(_, sent)| sent))),
            Ok(Err(error)) => Err(Event::Failed(error)),
            Err(_elapsed) => Err(Event::Failed(TransportError::new(
                TransportErrorKind::Timeout,
                None,
            ))),
        }
    }
}

/// The state of one run: the start of its clock and the caller's reader, until an attempt
/// takes it.
struct Driver {
    started: Instant,
    reader: Option<BoxReader>,
    had_reader: bool,
}

impl Driver {
    fn new(reader: Option<BoxReader>) -> Self {
        Self {
            started: Instant::now(),
            had_reader: reader.is_some(),
            reader,
        }
    }

    fn cx<'c>(&self, config: &'c Config) -> Cx<'c> {
        Cx::new(config, self.started.elapsed(), entropy())
    }
}

/// What a streamed body's tap saw, shared between the stream hyper polls and the loop.
struct TapState {
    tap: Option<BodyTap>,
    error: Option<Error>,
    sent: Option<Sent>,
}

impl TapState {
    /// Records a tap error; the stream fails with its text.
    fn fail(&mut self, error: Error) -> std::io::Error {
        let io = std::io::Error::other(error.to_string());
        self.error = Some(error);
        io
    }
}

/// Opens `len` bytes of a body's source for one attempt: a file re-opened from its start (and
/// checked to still have `len` bytes), or the caller's reader if no attempt took it yet.
#[allow(
    clippy::result_large_err,
    reason = "the error is the event reported to the workflow"
)]
async fn open(source: &Source, len: u64, driver: &mut Driver) -> Result<BoxReader, Event<'static>> {
    match source {
        Source::File(path) => {
            let file = tokio::fs::File::open(path)
                .await
                .map_err(|e| Event::Error(source_error(source, &e)))?;
            let actual = file
                .metadata()
                .await
                .map_err(|e| Event::Error(source_error(source, &e)))?
                .len();
            check_opened_len(len, actual).map_err(Event::Error)?;
            Ok(Box::new(file.take(len)))
        }
        Source::Reader => match driver.reader.take() {
            Some(reader) => Ok(Box::new(reader.take(len))),
            None if driver.had_reader => Err(Event::ReaderConsumed),
            None => Err(Event::Error(missing_reader())),
        },
        _ => Err(Event::Error(unsupported("source"))),
    }
}

/// The streamed body: prefix, the source's bytes through the core's [`BodyTap`], suffix.
fn stream_body(plan: &StreamBody, source: BoxReader, shared: Arc<Mutex<TapState>>) -> RequestBody {
    let chunks = futures_util::stream::unfold(
        (source, shared, false),
        |(mut source, shared, over)| async move {
            if over {
                return None;
            }
            let mut chunk = BytesMut::with_capacity(64 * 1024);
            let read = (&mut source).take(CHUNK_BYTES).read_buf(&mut chunk).await;
            let mut state = shared.lock().unwrap_or_else(PoisonError::into_inner);
            let item = match read {
                Ok(0) => match state.tap.take().map(BodyTap::finish) {
                    Some(Err(error)) => Err(state.fail(error)),
                    Some(Ok(sent)) => {
                        state.sent = Some(sent);
                        return None;
                    }
                    None => return None,
                },
                Ok(_) => match state.tap.as_mut().map(|tap| tap.chunk(&chunk)) {
                    Some(Err(error)) => Err(state.fail(error)),
                    // The last planned byte: report what was sent now, because the HTTP client
                    // stops polling once it has the announced length.
                    _ if state.tap.as_ref().is_some_and(|tap| tap.remaining() == 0) => {
                        match state.tap.take().map(BodyTap::finish) {
                            Some(Err(error)) => Err(state.fail(error)),
                            Some(Ok(sent)) => {
                                state.sent = Some(sent);
                                drop(state);
                                return Some((Ok(chunk.freeze()), (source, shared, true)));
                            }
                            None => Ok(chunk.freeze()),
                        }
                    }
                    _ => Ok(chunk.freeze()),
                },
                Err(error) => Err(error),
            };
            drop(state);
            let over = item.is_err();
            Some((item, (source, shared, over)))
        },
    );
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
async fn encode_inline(inline: &InlineFile, driver: &mut Driver) -> Result<Bytes, Error> {
    let mut encoder = inline.encoder()?;
    let mut reader = open(&inline.source, inline.len, driver)
        .await
        .map_err(InlineFile::open_failed)?;
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
