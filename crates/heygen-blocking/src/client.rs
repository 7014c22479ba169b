//! [`Client`]: a configuration, a [`Transport`], and the one loop that runs any core workflow.

use core::convert::Infallible;
use core::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::time::Instant;

use bytes::Bytes;
use heygen_core::body::{check_opened_len, missing_reader, source_error, unsupported};
use heygen_core::download::{Receive, missing_sink};
use heygen_core::upload::SNIFF_BYTES;
use heygen_core::{
    BodyTap, Call, Config, Cx, Error, Event, FileHead, InlineFile, Next, Operation, Outgoing, Sent,
    Source, StreamBody, Workflow,
};
use http::{Request, Response};

use crate::transport::{RequestBody, Transport, TransportError, UreqTransport};

/// Bytes of a downloaded body read and written per chunk (64 KiB): the memory a download holds,
/// whatever the file's size.
const RECEIVE_CHUNK_BYTES: usize = 64 * 1024;

heygen_core::__client! {
    /// A blocking HeyGen v3 client.
    ///
    /// Cheap to clone (the configuration and the connection pool are shared). It runs the core's
    /// workflows: every request is built, validated and parsed, and every retry, wait, page walk
    /// and upload step decided, by `heygen-core`; this client sends bytes, reads files, sleeps and
    /// loops.
    ///
    /// `Debug` never shows the credentials.
}

impl Client {
    /// A client over the default ureq transport.
    ///
    /// # Errors
    /// Never today; kept fallible so a transport that needs setup can report it.
    pub fn new(config: Config) -> Result<Self, Error> {
        Ok(Self::with_transport(config, UreqTransport::new()))
    }

    /// Sends any core operation: the escape hatch for endpoints without a method here (see
    /// `heygen_core::ops`, including `RawJson`). One idempotency key for every attempt; retries
    /// as the core decides.
    ///
    /// # Errors
    /// Every [`Error`] the operation can produce, after the core's retries.
    pub fn send<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        self.run(Call::lazy(operation))
    }

    /// Runs any core workflow to its end (a call, a wait, an upload flow; see
    /// [`heygen_core::workflow`]). A streamed body from [`Source::Reader`] fails: use
    /// [`Client::run_with_reader`].
    ///
    /// # Errors
    /// The workflow's error.
    pub fn run<W: Workflow<Item = Infallible>>(&self, workflow: W) -> Result<W::Output, Error> {
        self.run_inner(workflow, None)
    }

    /// Runs a workflow whose body streams from `reader` ([`Source::Reader`]). The reader is read
    /// once; a failure after a byte of it was sent is not retried.
    ///
    /// # Errors
    /// The workflow's error.
    pub fn run_with_reader<W: Workflow<Item = Infallible>>(
        &self,
        workflow: W,
        reader: &mut dyn Read,
    ) -> Result<W::Output, Error> {
        self.run_inner(workflow, Some(reader))
    }

    /// Runs a workflow that downloads into `writer` ([`Next::Receive`], for example
    /// [`heygen_core::Download`]): each 2xx body it asks for is streamed into the writer in
    /// 64 KiB chunks, through the core's tap.
    ///
    /// # Errors
    /// The workflow's error.
    pub fn run_with_writer<W: Workflow<Item = Infallible>>(
        &self,
        mut workflow: W,
        writer: &mut dyn Write,
    ) -> Result<W::Output, Error> {
        let mut driver = Driver::new(None);
        driver.sink = Some(writer);
        match self.drive(&mut workflow, &mut driver) {
            Next::Done(result) => result,
            Next::Yield(never) => match never {},
            _ => Err(Error::invalid_request(None, "the workflow stopped early")),
        }
    }

    fn run_inner<W: Workflow<Item = Infallible>>(
        &self,
        mut workflow: W,
        reader: Option<&mut dyn Read>,
    ) -> Result<W::Output, Error> {
        let mut driver = Driver::new(reader);
        match self.drive(&mut workflow, &mut driver) {
            Next::Done(result) => result,
            Next::Yield(never) => match never {},
            _ => Err(Error::invalid_request(None, "the workflow stopped early")),
        }
    }

    /// Every item a workflow hands out (a list walk, [`heygen_core::Walk`]), as an iterator.
    pub fn items<W: Workflow<Output = ()>>(&self, workflow: W) -> Pages<W> {
        Pages {
            client: self.clone(),
            workflow,
            driver: Driver::new(None),
            over: false,
        }
    }

    /// The loop: asks the workflow what to do, does it, reports back; returns on an item or the
    /// end.
    fn drive<W: Workflow>(
        &self,
        workflow: &mut W,
        driver: &mut Driver<'_>,
    ) -> Next<W::Output, W::Item> {
        loop {
            let next = workflow.next(&driver.cx(&self.config));
            match next {
                Next::Send(outgoing) => {
                    let outcome = self.exchange(outgoing, driver);
                    workflow.handle_exchange(outcome, &driver.cx(&self.config));
                }
                Next::Sleep(delay) => std::thread::sleep(delay),
                Next::Inspect(path) => {
                    workflow.handle(Event::Inspected(inspect(&path)), &driver.cx(&self.config));
                }
                Next::Receive(receive) => {
                    let outcome = self.receive(&receive, driver);
                    workflow.handle_exchange(outcome, &driver.cx(&self.config));
                }
                end @ (Next::Yield(_) | Next::Done(_)) => return end,
            }
        }
    }

    /// One attempt: turns the body plan into bytes and sends it.
    #[allow(
        clippy::result_large_err,
        reason = "the error is the event reported to the workflow"
    )]
    fn exchange(
        &self,
        outgoing: Outgoing,
        driver: &mut Driver<'_>,
    ) -> Result<(Response<Bytes>, Option<Sent>), Event<'static>> {
        let options = outgoing.options;
        let (parts, body) = outgoing.request.into_parts();
        let send = |body| {
            self.transport
                .send(Request::from_parts(parts, body), &options)
                .map_err(Event::Failed)
        };
        match body {
            heygen_core::Body::Bytes(bytes) => send(RequestBody::Bytes(bytes)).map(|r| (r, None)),
            heygen_core::Body::Inline(inline) => {
                let bytes = encode_inline(&inline, driver).map_err(Event::Error)?;
                send(RequestBody::Bytes(bytes)).map(|r| (r, None))
            }
            heygen_core::Body::Stream(stream) => {
                let progress = self.config.uploads().progress.clone();
                let mut tapped = Tapped {
                    inner: open(&stream.source, stream.len, driver)?,
                    tap: Some(stream.tap().with_progress(progress)),
                    error: None,
                };
                let StreamBody { prefix, suffix, .. } = &stream;
                let mut reader = prefix.as_ref().chain(&mut tapped).chain(suffix.as_ref());
                let length = stream.content_length();
                let result = send(RequestBody::Stream {
                    reader: &mut reader,
                    length,
                });
                if let Some(error) = tapped.error.take() {
                    return Err(Event::Error(error));
                }
                let response = result?;
                let report = tapped.tap.take().map(BodyTap::finish).transpose();
                Ok((response, report.map_err(Event::Error)?))
            }
            _ => Err(Event::Error(unsupported("body"))),
        }
    }
}

impl Client {
    /// One download attempt ([`Next::Receive`]): sends the request; a head the core gives a
    /// tap (a 2xx) has its body streamed chunk by chunk into the run's writer and is reported as
    /// [`Event::Received`]; any other is read within the read limit and reported as a response.
    #[allow(
        clippy::result_large_err,
        reason = "the error is the event reported to the workflow"
    )]
    fn receive(
        &self,
        receive: &Receive,
        driver: &mut Driver<'_>,
    ) -> Result<(Response<Bytes>, Option<Sent>), Event<'static>> {
        let options = receive.outgoing.options;
        let (parts, body) = receive.outgoing.request.clone().into_parts();
        let body = RequestBody::Bytes(Bytes::copy_from_slice(body.bytes()));
        let response = self
            .transport
            .open(Request::from_parts(parts, body), &options)
            .map_err(Event::Failed)?;
        let (parts, mut reader) = response.into_parts();
        let head = Response::from_parts(parts, ());
        let Some(mut tap) = receive.tap(&head) else {
            // An error page: read it like any response, within the limit.
            let mut buf = Vec::new();
            (&mut reader)
                .take(options.read_limit)
                .read_to_end(&mut buf)
                .map_err(|e| Event::Failed(body_failure(&e)))?;
            let (parts, ()) = head.into_parts();
            return Ok((Response::from_parts(parts, Bytes::from(buf)), None));
        };
        let outcome = match driver.sink.as_deref_mut() {
            None => Err(missing_sink()),
            Some(sink) => {
                let mut chunk = vec![0u8; RECEIVE_CHUNK_BYTES];
                loop {
                    let n = match reader.read(&mut chunk) {
                        Ok(0) => break tap.finish(),
                        Ok(n) => n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => break Err(tap.interrupted(&body_failure(&e))),
                    };
                    if let Err(error) = tap.chunk(&chunk[..n]) {
                        break Err(error);
                    }
                    if let Err(e) = sink.write_all(&chunk[..n]) {
                        break Err(tap.write_failed(&e));
                    }
                }
            }
        };
        Err(Event::Received { head, outcome })
    }
}

/// A response body that failed while it was read.
fn body_failure(error: &io::Error) -> TransportError {
    let kind = match error.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
            heygen_core::TransportErrorKind::Timeout
        }
        _ => heygen_core::TransportErrorKind::Io,
    };
    TransportError::msg(kind, format!("reading the response body failed: {error}"))
}

/// The state of one run: the start of its clock, the caller's reader and writer, if any.
struct Driver<'r> {
    started: Instant,
    reader: Option<Consumable<'r>>,
    sink: Option<&'r mut dyn Write>,
}

/// The caller's reader, and whether a byte of it was read.
struct Consumable<'r> {
    reader: &'r mut dyn Read,
    used: bool,
}

impl<'r> Driver<'r> {
    fn new(reader: Option<&'r mut dyn Read>) -> Self {
        Self {
            started: Instant::now(),
            reader: reader.map(|reader| Consumable {
                reader,
                used: false,
            }),
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

/// Opens a body's source for one attempt: a file re-opened from its start (and checked to still
/// have `len` bytes), or the caller's reader if no byte of it was read yet. Neither is cut at
/// `len`: the core's [`BodyTap`] (or inline encoder) decides how much to read and refuses a
/// source that gives more than planned, instead of it being silently truncated.
#[allow(
    clippy::result_large_err,
    reason = "the error is the event reported to the workflow"
)]
fn open<'a>(
    source: &Source,
    len: u64,
    driver: &'a mut Driver<'_>,
) -> Result<Box<dyn Read + 'a>, Event<'static>> {
    match source {
        Source::File(path) => {
            let file = File::open(path).map_err(|e| Event::Error(source_error(source, &e)))?;
            let actual = file
                .metadata()
                .map_err(|e| Event::Error(source_error(source, &e)))?
                .len();
            check_opened_len(len, actual).map_err(Event::Error)?;
            Ok(Box::new(file))
        }
        Source::Reader => match &mut driver.reader {
            Some(consumable) if !consumable.used => Ok(Box::new(Tracked { consumable })),
            Some(_) => Err(Event::ReaderConsumed),
            None => Err(Event::Error(missing_reader())),
        },
        _ => Err(Event::Error(unsupported("source"))),
    }
}

/// The caller's reader, marked used once a byte was read.
struct Tracked<'a, 'r> {
    consumable: &'a mut Consumable<'r>,
}

impl Read for Tracked<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.consumable.reader.read(buf)?;
        if n > 0 {
            self.consumable.used = true;
        }
        Ok(n)
    }
}

/// A source read through the core's [`BodyTap`]: counted, hashed when asked, reported, and cut
/// short with an error when it gives more or fewer bytes than planned.
struct Tapped<R> {
    inner: R,
    tap: Option<BodyTap>,
    error: Option<Error>,
}

impl<R: Read> Read for Tapped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(tap) = &mut self.tap else {
            return Ok(0);
        };
        if !tap.needs_end() && tap.remaining() == 0 {
            return Ok(0);
        }
        let want = tap.read_len(buf.len());
        let n = self.inner.read(&mut buf[..want])?;
        let mut checked = if n == 0 {
            // The end of the source: too early, or (after the planned bytes) as planned.
            tap.end()
        } else {
            tap.chunk(&buf[..n])
        };
        if checked.is_ok() && n > 0 && tap.needs_end() {
            // The last planned byte: look for one more now, because the transport stops asking
            // once it has the announced length, and a longer source must not be cut silently.
            let mut probe = [0u8; 1];
            checked = loop {
                match self.inner.read(&mut probe) {
                    Ok(0) => break tap.end(),
                    Ok(m) => break tap.chunk(&probe[..m]),
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                    Err(error) => return Err(error),
                }
            };
        }
        match checked {
            Ok(()) => Ok(n),
            Err(error) => {
                let message = error.to_string();
                self.error = Some(error);
                Err(io::Error::other(message))
            }
        }
    }
}

/// The inline body: the file's bytes read chunk by chunk straight into the core's encoder.
fn encode_inline(inline: &InlineFile, driver: &mut Driver<'_>) -> Result<Bytes, Error> {
    let mut encoder = inline.encoder()?;
    let mut reader = open(&inline.source, inline.len, driver).map_err(InlineFile::open_failed)?;
    let mut chunk = vec![0u8; 48 * 1024];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => encoder.feed(&chunk[..n])?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(source_error(&inline.source, &e)),
        }
    }
    encoder.finish()
}

/// The size and first bytes of a local file.
fn inspect(path: &Path) -> io::Result<FileHead> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    file.take(SNIFF_BYTES as u64).read_to_end(&mut head)?;
    Ok(FileHead::new(size, head))
}

/// Every item of a list endpoint, page after page (see the `list_all` methods), as an
/// iterator: each page is one logical call with its own retries; the walk ends after the last
/// page or after yielding one error.
pub struct Pages<W> {
    client: Client,
    workflow: W,
    driver: Driver<'static>,
    over: bool,
}

impl<W: fmt::Debug> fmt::Debug for Pages<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("workflow", &self.workflow)
            .field("over", &self.over)
            .finish_non_exhaustive()
    }
}

impl<W: Workflow<Output = ()>> Iterator for Pages<W> {
    type Item = Result<W::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.over {
            return None;
        }
        match self.client.drive(&mut self.workflow, &mut self.driver) {
            Next::Yield(item) => Some(Ok(item)),
            Next::Done(result) => {
                self.over = true;
                result.err().map(Err)
            }
            _ => None,
        }
    }
}
