//! [`Client`]: sends core operations through a [`Transport`], driving the core's retry decision,
//! paginator and poller.

use core::fmt;
use core::ops::ControlFlow;
use core::time::Duration;
use std::io::{self, Read};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use heygen_core::ops::{GetAvatarGroup, GetLook, GetVideo};
use heygen_core::paginate::{ItemStep, Items};
pub use heygen_core::poll::Waited;
use heygen_core::{
    Call, Config, Error, Operation, Paginate, PollPolicy, Pollable, Poller, Step,
    TransportErrorKind, WaitGoal,
};
use heygen_model::{AvatarGroup, AvatarGroupId, ListPage, Look, LookId, Video, VideoId};
use http::Response;

use crate::handles::{Assets, Avatars, Looks, Users, Videos};
use crate::transport::{RequestBody, SendOptions, Transport, UreqTransport};
use crate::upload::UploadOptions;

pub use heygen_core::config::{API_BASE_ENV, API_KEY_ENV};

struct Shared {
    config: Config,
    transport: Box<dyn Transport>,
}

/// A blocking HeyGen v3 client.
///
/// Cheap to clone (the configuration and the connection pool are shared). Every call is one
/// logical call of the core: the request is built and validated once, mutations get one
/// `Idempotency-Key` reused on every attempt, and retries, backoff and `Retry-After` are
/// decided by `heygen-core`; this crate only sends bytes and sleeps.
///
/// `Debug` never shows the credentials.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    pub(crate) uploads: UploadOptions,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.shared.config)
            .field("uploads", &self.uploads)
            .finish_non_exhaustive()
    }
}

/// A source of a streamed request body that can be read once per attempt.
pub(crate) trait BodySource {
    /// Opens the bytes for one attempt.
    fn open(&mut self) -> io::Result<Box<dyn Read + '_>>;
    /// Whether a second [`BodySource::open`] gives the same bytes again.
    fn replayable(&self) -> bool;
}

/// How the body of one logical call is sent.
pub(crate) enum Body<'a> {
    /// The body the core built.
    Built,
    /// Another in-memory body (the inline base64 request, encoded by this crate).
    Replaced(Bytes),
    /// `prefix`, then the source's `len` bytes, then `suffix`.
    Streamed {
        prefix: Bytes,
        source: &'a mut dyn BodySource,
        len: u64,
        suffix: Bytes,
        /// Called with (bytes of the source sent, total) as the transport reads.
        progress: Option<&'a mut dyn FnMut(u64)>,
    },
}

fn entropy() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    fastrand::fill(&mut bytes);
    bytes
}

/// Counts bytes of the source as the transport reads them.
struct Counting<'a, R> {
    inner: R,
    sent: u64,
    progress: Option<&'a mut dyn FnMut(u64)>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sent += n as u64;
        if n > 0
            && let Some(p) = self.progress.as_mut()
        {
            p(self.sent);
        }
        Ok(n)
    }
}

impl Client {
    /// A client over the default ureq transport.
    ///
    /// # Errors
    /// Never today; kept fallible so a transport that needs setup can report it.
    pub fn new(config: Config) -> Result<Self, Error> {
        Ok(Self::with_transport(config, UreqTransport::new()))
    }

    /// A client over any transport (another HTTP client, or a closure in tests).
    pub fn with_transport(config: Config, transport: impl Transport + 'static) -> Self {
        Self {
            shared: Arc::new(Shared {
                config,
                transport: Box::new(transport),
            }),
            uploads: UploadOptions::default(),
        }
    }

    /// A client from the environment: the key from `HEYGEN_API_KEY`, the base URL from
    /// `HEYGEN_API_BASE` when set (`https://api.heygen.com` otherwise).
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] when `HEYGEN_API_KEY` is missing or empty, or the base URL is
    /// refused.
    pub fn from_env() -> Result<Self, Error> {
        let var = |name| std::env::var(name).ok();
        let config =
            Config::from_env_values(var(API_KEY_ENV).as_deref(), var(API_BASE_ENV).as_deref())?;
        Self::new(config)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// Avatar groups: `/v3/avatars…`.
    pub fn avatars(&self) -> Avatars<'_> {
        Avatars { client: self }
    }

    /// Looks: `/v3/avatars/looks…`.
    pub fn looks(&self) -> Looks<'_> {
        Looks { client: self }
    }

    /// Assets and uploads: `/v3/assets…`.
    pub fn assets(&self) -> Assets<'_> {
        Assets { client: self }
    }

    /// Videos: `/v3/videos…`.
    pub fn videos(&self) -> Videos<'_> {
        Videos { client: self }
    }

    /// The current user: `/v3/users/me`.
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }

    /// Sends any core operation (the escape hatch; see `heygen_core::ops`, including
    /// `RawJson` for endpoints the SDK does not cover yet).
    ///
    /// # Errors
    /// Every [`Error`] the operation can produce, after the core's retries.
    pub fn send<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        self.execute(operation, Body::Built)
    }

    /// Runs one logical call: builds it once, then sends attempts until the core is done.
    pub(crate) fn execute<O: Operation>(
        &self,
        op: O,
        mut body: Body<'_>,
    ) -> Result<O::Output, Error> {
        let mut call = Call::new(op, &self.shared.config, entropy())?;
        if let Body::Streamed { source, .. } = &body {
            call.set_body_replayable(source.replayable());
        }
        let started = Instant::now();
        loop {
            let options = SendOptions::for_call(&call);
            let result = self.attempt(call.request(), &mut body, &options);
            let step = match result {
                Ok(response) => {
                    let (parts, bytes) = response.into_parts();
                    call.on_response(
                        Response::from_parts(parts, bytes.as_ref()),
                        started.elapsed(),
                        fastrand::f64(),
                    )
                }
                Err(Attempt::Transport(kind, source)) => {
                    call.on_transport_error(kind, source, started.elapsed(), fastrand::f64())
                }
            };
            match step {
                Step::Done(result) => return result,
                Step::RetryAfter(delay) => std::thread::sleep(delay),
            }
        }
    }

    fn attempt(
        &self,
        request: &http::Request<Bytes>,
        body: &mut Body<'_>,
        options: &SendOptions,
    ) -> Result<Response<Bytes>, Attempt> {
        let transport = &self.shared.transport;
        let send = |req| {
            transport.send(req, options).map_err(|e| {
                let (kind, source) = e.into_parts();
                Attempt::Transport(kind, source)
            })
        };
        match body {
            Body::Built => send(request.clone().map(RequestBody::Bytes)),
            Body::Replaced(bytes) => {
                let bytes = bytes.clone();
                send(request.clone().map(|_| RequestBody::Bytes(bytes)))
            }
            Body::Streamed {
                prefix,
                source,
                len,
                suffix,
                progress,
            } => {
                let file = source
                    .open()
                    .map_err(|e| Attempt::Transport(TransportErrorKind::Body, Some(Box::new(e))))?;
                let mut forward = |sent: u64| {
                    if let Some(p) = progress.as_mut() {
                        p(sent);
                    }
                };
                let counted = Counting {
                    inner: file.take(*len),
                    sent: 0,
                    progress: Some(&mut forward),
                };
                let mut reader = prefix.as_ref().chain(counted).chain(suffix.as_ref());
                let length = (prefix.len() as u64)
                    .saturating_add(*len)
                    .saturating_add(suffix.len() as u64);
                send(request.clone().map(|_| RequestBody::Stream {
                    reader: &mut reader,
                    length,
                }))
            }
        }
    }

    /// Walks every page of a list operation, yielding items in order.
    pub(crate) fn paginate<O, T>(&self, op: O) -> Pages<O, T>
    where
        O: Paginate<Output = ListPage<T>>,
    {
        Pages {
            client: self.clone(),
            items: Items::new(op),
        }
    }

    fn wait<T, O>(
        &self,
        id: &str,
        policy: &PollPolicy,
        goal: WaitGoal,
        op: &O,
    ) -> Result<Waited<T>, Error>
    where
        T: Pollable,
        O: Operation<Output = T>,
    {
        let started = Instant::now();
        let mut poller = Poller::new(T::RESOURCE, id, policy, Duration::ZERO).goal(goal);
        loop {
            let poll = match self.send(op) {
                Ok(value) => poller.on_status(value, started.elapsed()),
                Err(error) => poller.on_error(error, started.elapsed()),
            };
            match poll.into_flow() {
                ControlFlow::Continue(delay) => std::thread::sleep(delay),
                ControlFlow::Break(outcome) => return outcome,
            }
        }
    }

    /// Polls `GET /v3/avatars/{group_id}` until training completes or fails, with the
    /// configured poll policy (see [`Client::wait_for_avatar_with`]).
    ///
    /// # Errors
    /// [`Error::JobFailed`] when training failed, [`Error::WaitTimedOut`] at the deadline,
    /// or the error of a status check that is not transient (a 404, for example).
    pub fn wait_for_avatar(&self, group_id: &AvatarGroupId) -> Result<Waited<AvatarGroup>, Error> {
        self.wait_for_avatar_with(group_id, self.config().poll_policy())
    }

    /// [`Client::wait_for_avatar`] with a poll policy (intervals and deadline).
    ///
    /// # Errors
    /// As [`Client::wait_for_avatar`].
    pub fn wait_for_avatar_with(
        &self,
        group_id: &AvatarGroupId,
        policy: &PollPolicy,
    ) -> Result<Waited<AvatarGroup>, Error> {
        let op = GetAvatarGroup::new(group_id.clone());
        self.wait(group_id.as_str(), policy, WaitGoal::Completion, &op)
    }

    /// Polls `GET /v3/avatars/{group_id}` until consent is given (or training ends).
    ///
    /// # Errors
    /// As [`Client::wait_for_avatar`].
    pub fn wait_for_consent(&self, group_id: &AvatarGroupId) -> Result<AvatarGroup, Error> {
        self.wait_for_consent_with(group_id, self.config().poll_policy())
    }

    /// [`Client::wait_for_consent`] with a poll policy.
    ///
    /// # Errors
    /// As [`Client::wait_for_avatar`].
    pub fn wait_for_consent_with(
        &self,
        group_id: &AvatarGroupId,
        policy: &PollPolicy,
    ) -> Result<AvatarGroup, Error> {
        let op = GetAvatarGroup::new(group_id.clone());
        self.wait(group_id.as_str(), policy, WaitGoal::Consent, &op)
            .map(Waited::into_inner)
    }

    /// Polls `GET /v3/avatars/looks/{look_id}` until the look completes or fails.
    ///
    /// # Errors
    /// As [`Client::wait_for_avatar`].
    pub fn wait_for_look(&self, look_id: &LookId) -> Result<Waited<Look>, Error> {
        self.wait_for_look_with(look_id, self.config().poll_policy())
    }

    /// [`Client::wait_for_look`] with a poll policy.
    ///
    /// # Errors
    /// As [`Client::wait_for_avatar`].
    pub fn wait_for_look_with(
        &self,
        look_id: &LookId,
        policy: &PollPolicy,
    ) -> Result<Waited<Look>, Error> {
        let op = GetLook::new(look_id.clone());
        self.wait(look_id.as_str(), policy, WaitGoal::Completion, &op)
    }

    /// Polls `GET /v3/videos/{video_id}` until the video completes or fails.
    ///
    /// # Errors
    /// [`Error::JobFailed`] when rendering failed, [`Error::WaitTimedOut`] at the deadline, or
    /// the error of a status check that is not transient (a 404 for a deleted video).
    pub fn wait_for_video(&self, video_id: &VideoId) -> Result<Video, Error> {
        self.wait_for_video_with(video_id, self.config().poll_policy())
    }

    /// [`Client::wait_for_video`] with a poll policy.
    ///
    /// # Errors
    /// As [`Client::wait_for_video`].
    pub fn wait_for_video_with(
        &self,
        video_id: &VideoId,
        policy: &PollPolicy,
    ) -> Result<Video, Error> {
        let op = GetVideo::new(video_id.clone());
        self.wait(video_id.as_str(), policy, WaitGoal::Completion, &op)
            .map(Waited::into_inner)
    }
}

enum Attempt {
    Transport(TransportErrorKind, Option<heygen_core::BoxError>),
}

/// Every item of a list endpoint, page after page (see the `list_all` methods).
///
/// Each page is one logical call with its own retries; a failed page ends the walk with its
/// error. The core's paginator stops on `has_more: false` or a missing token and refuses a
/// repeated token.
pub struct Pages<O, T> {
    client: Client,
    items: Items<O, T>,
}

impl<O, T> fmt::Debug for Pages<O, T>
where
    O: Paginate<Output = ListPage<T>>,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("buffered", &self.items.buffered())
            .field("done", &self.items.is_over())
            .finish_non_exhaustive()
    }
}

impl<O, T> Iterator for Pages<O, T>
where
    O: Paginate<Output = ListPage<T>>,
{
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.items.next_step() {
                ItemStep::Item(item) => return Some(Ok(item)),
                ItemStep::Fetch(op) => {
                    let page = self.client.send(&op);
                    self.items.on_page(page);
                }
                ItemStep::Error(error) => return Some(Err(error)),
                ItemStep::Done => return None,
            }
        }
    }
}
