//! The scenario table that both HeyGen transports (`heygen-blocking`, `heygen-async`) run
//! against the emulator. Identical expected outcomes on both sides are the parity test.
//!
//! A [`Scenario`] is: emulator setup ([`Setup`]: files to write, calls to make first, faults to
//! inject, clock moves), one [`Action`] (a client call), the expected [`Expect`] outcome, and
//! [`Observe`] checks on what the emulator saw (request counts, idempotency keys, headers that
//! reached the storage host or the second origin).
//!
//! Each [`Action`] becomes its core workflow here, once ([`Action::run`]: a [`heygen_core::Call`],
//! [`heygen_core::Wait`], [`heygen_core::Walk`] or an upload flow). A transport only implements
//! [`ScenarioClient`], a generic dispatcher (run a workflow, collect a walk; the async side wraps
//! its runtime with `block_on`), and calls [`run_all`] with a factory that builds its client from
//! a [`heygen_core::Config`]. Outcomes are normalized values ([`Outcome`]): the serialized model
//! value for successes and an [`ErrorSummary`] for failures, so both sides produce the same
//! shapes.

mod action;
mod dispatch;
mod outcome;
mod run;
mod table;

pub use action::{
    Action, AvatarKind, AvatarSpec, FileInput, ListSpec, PollSpec, UploadMode, asset_id,
    endpoint_id, group_id, look_id, video_id,
};
pub use dispatch::ScenarioClient;
pub use outcome::{ANY, ErrorExpect, ErrorSummary, Expect, Outcome};
pub use run::{FILTER_ENV, Report, ScenarioResult, run_all, run_one, scenario_config};
pub use table::{Count, FileKind, Observe, Scenario, Setup, Tweaks, scenarios};
