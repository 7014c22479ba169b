//! The chosen SDK client. Commands build the core's workflows themselves (calls, waits, walks,
//! uploads) and hand them here; each method is one match over the two clients, so every
//! command runs the same code whichever transport is chosen and prints byte-identical stdout
//! for the same server responses. The async client runs on a single-threaded tokio runtime
//! owned by the backend, one `block_on` per workflow, so commands stay sequential.

use std::convert::Infallible;
use std::sync::Arc;

use futures_util::TryStreamExt as _;
use heygen_core::{Config, Error, Workflow};
use tokio::runtime::Runtime;

use crate::cli::Transport;

/// Upload progress: called with (bytes sent, total bytes).
pub(crate) type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// One of the two SDK clients.
#[derive(Debug, Clone)]
pub(crate) enum Backend {
    /// `heygen-blocking` (ureq).
    Blocking(heygen_blocking::Client),
    /// `heygen-async` (hyper) and the runtime it runs on.
    Async(Arc<Runtime>, heygen_async::Client),
}

impl Backend {
    /// Builds the client for `transport` from a finished configuration.
    ///
    /// # Errors
    /// When the client cannot be built (the async runtime fails to start, for example).
    pub(crate) fn connect(transport: Transport, config: Config) -> Result<Self, Error> {
        match transport {
            Transport::Blocking => Ok(Self::Blocking(heygen_blocking::Client::new(config)?)),
            Transport::Async => {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| {
                        Error::invalid_config(format!("could not start the async runtime: {e}"))
                    })?;
                let client = {
                    let _guard = runtime.enter();
                    heygen_async::Client::new(config)?
                };
                Ok(Self::Async(Arc::new(runtime), client))
            }
        }
    }

    /// The same client, reporting the bytes of streamed uploads to `progress` when given.
    pub(crate) fn with_progress(&self, progress: Option<Progress>) -> Self {
        let Some(progress) = progress else {
            return self.clone();
        };
        let report = move |sent, total| progress(sent, total);
        match self {
            Self::Blocking(client) => Self::Blocking(client.clone().with_progress(report)),
            Self::Async(runtime, client) => {
                Self::Async(Arc::clone(runtime), client.clone().with_progress(report))
            }
        }
    }

    /// Runs a workflow (a call, a wait, an upload) to its end.
    pub(crate) fn run<W>(&self, workflow: W) -> Result<W::Output, Error>
    where
        W: Workflow<Item = Infallible> + Send,
    {
        match self {
            Self::Blocking(client) => client.run(workflow),
            Self::Async(runtime, client) => runtime.block_on(client.run(workflow)),
        }
    }

    /// Every item of a list walk.
    pub(crate) fn items<W>(&self, walk: W) -> Result<Vec<W::Item>, Error>
    where
        W: Workflow<Output = ()> + Send + 'static,
        W::Item: Send + 'static,
    {
        match self {
            Self::Blocking(client) => client.items(walk).collect(),
            Self::Async(runtime, client) => runtime.block_on(client.items(walk).try_collect()),
        }
    }

    /// Runs a workflow whose body streams from `bytes` (the demo's bundled samples).
    pub(crate) fn run_with_reader<W>(
        &self,
        workflow: W,
        bytes: &'static [u8],
    ) -> Result<W::Output, Error>
    where
        W: Workflow<Item = Infallible> + Send,
    {
        match self {
            Self::Blocking(client) => client.run_with_reader(workflow, &mut { bytes }),
            Self::Async(runtime, client) => {
                runtime.block_on(client.run_with_reader(workflow, bytes))
            }
        }
    }
}
