//! The command tree and global flags (clap derive).
//!
//! Doc comments here are the `--help` text, so they are written for the terminal, not rustdoc.
#![allow(
    clippy::doc_markdown,
    rustdoc::bare_urls,
    rustdoc::invalid_html_tags,
    reason = "doc comments are the --help text shown in a terminal"
)]

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

/// The HeyGen v3 API from the shell: JSON on stdout, one JSON error line on stderr.
///
/// Exit codes: 0 ok, 1 API or network error, 2 usage or client-side validation (nothing sent),
/// 3 authentication (401/403, or no API key), 4 timeout.
#[derive(Debug, Parser)]
#[command(
    name = "heygen",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub(crate) struct Cli {
    /// Global options.
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options accepted by every command.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// API key sent as `X-Api-Key` [env: HEYGEN_API_KEY].
    #[arg(
        long,
        global = true,
        env = "HEYGEN_API_KEY",
        hide_env = true,
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub(crate) api_key: Option<String>,
    /// API base URL (default https://api.heygen.com; http:// only for loopback hosts)
    /// [env: HEYGEN_API_BASE].
    #[arg(
        long,
        global = true,
        env = "HEYGEN_API_BASE",
        hide_env = true,
        value_name = "URL"
    )]
    pub(crate) base_url: Option<String>,
    /// Which SDK client sends the requests [env: HEYGEN_TRANSPORT].
    #[arg(long, global = true, env = "HEYGEN_TRANSPORT", hide_env = true, value_enum, default_value_t = Transport::Blocking)]
    pub(crate) transport: Transport,
    /// Timeout of each attempt, in seconds (default: 30 for reads, 120 for writes, 600 for
    /// uploads).
    #[arg(long, global = true, value_name = "SECS", value_parser = parse_seconds)]
    pub(crate) request_timeout: Option<f64>,
    /// Retries after the first attempt, 0 to 10 (default 2) [env: HEYGEN_MAX_RETRIES].
    #[arg(
        long,
        global = true,
        env = "HEYGEN_MAX_RETRIES",
        hide_env = true,
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(0..=10)
    )]
    pub(crate) max_retries: Option<u32>,
    /// Print tables and aligned fields instead of JSON.
    #[arg(long, global = true)]
    pub(crate) human: bool,
    /// First interval between status checks of a wait, in seconds (default 2).
    #[arg(long, global = true, hide = true, value_name = "SECS", value_parser = parse_seconds)]
    pub(crate) poll_interval: Option<f64>,
}

/// The SDK client used to send requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Transport {
    /// `heygen-blocking` (ureq).
    Blocking,
    /// `heygen-async` (hyper on a tokio runtime).
    Async,
}

/// Parses a positive, finite number of seconds.
pub(crate) fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(value) if value.is_finite() && value > 0.0 && value <= 86_400.0 * 365.0 => Ok(value),
        Ok(_) => Err("expected a number of seconds above zero".to_owned()),
        Err(_) => Err("expected a number of seconds".to_owned()),
    }
}

/// Parses an emulator speed factor.
fn parse_speed(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(value) if value.is_finite() && value > 0.0 && value <= 1_000_000.0 => Ok(value),
        _ => Err("expected a number above zero".to_owned()),
    }
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Avatars: photo avatars, digital twins, prompt avatars, consent, groups and looks.
    #[command(subcommand)]
    Avatar(AvatarCommand),
    /// Assets: upload local files (one, or many in one batch), list, show, delete, statuses.
    #[command(subcommand)]
    Asset(crate::asset::AssetCommand),
    /// Videos: create (every kind), get, list, delete, download, batches, statuses.
    #[command(subcommand)]
    Video(VideoCommand),
    /// Voices: the library, design, clones, speech.
    #[command(subcommand)]
    Voice(crate::voice::VoiceCommand),
    /// The account behind the API key.
    #[command(subcommand)]
    User(UserCommand),
    /// Webhooks: endpoints, event types, delivered events; receive and verify deliveries.
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// OAuth login: log in (browser or device code), show the credential in use, log out.
    #[command(subcommand)]
    Auth(crate::auth::AuthCommand),
    /// Run the whole avatar lifecycle against an embedded emulator (no network, no key).
    Demo,
    /// Run the local HeyGen emulator in the foreground.
    Emulator(EmulatorArgs),
}

/// `heygen avatar …`.
#[derive(Debug, Subcommand)]
pub(crate) enum AvatarCommand {
    /// Create an avatar (`POST /v3/avatars`).
    #[command(subcommand)]
    Create(CreateAvatar),
    /// Consent for a digital twin.
    #[command(subcommand)]
    Consent(ConsentCommand),
    /// Show an avatar group (`GET /v3/avatars/{group_id}`).
    Get {
        /// Avatar group id.
        group_id: String,
    },
    /// List avatar groups (`GET /v3/avatars`).
    List {
        /// Public or private groups.
        #[arg(long, value_enum)]
        ownership: Option<OwnershipArg>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Delete an avatar group and all its looks (`DELETE /v3/avatars/{group_id}`).
    Delete {
        /// Avatar group id.
        group_id: String,
    },
    /// Wait until the group's training completes (polls `GET /v3/avatars/{group_id}`).
    Wait {
        /// Avatar group id.
        group_id: String,
        /// Give up after this many seconds (default 1800).
        #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
        timeout: Option<f64>,
    },
    /// Looks: the appearances of avatars.
    #[command(subcommand)]
    Looks(LooksCommand),
}

/// `heygen avatar create …`.
#[derive(Debug, Subcommand)]
pub(crate) enum CreateAvatar {
    /// A photo avatar from one image.
    Photo(FileAvatarArgs),
    /// A digital twin from training footage of a person (needs their consent).
    DigitalTwin(FileAvatarArgs),
    /// An avatar generated from a text prompt.
    Prompt(PromptAvatarArgs),
}

/// Arguments of photo avatars and digital twins.
#[derive(Debug, Args)]
pub(crate) struct FileAvatarArgs {
    /// Display name.
    #[arg(long)]
    pub(crate) name: String,
    /// The file: an https:// URL (http:// is refused for every host, loopback included: HeyGen
    /// downloads it from its servers), asset:<id>, a data: URI, or a local path.
    #[arg(long, value_name = "SRC")]
    pub(crate) file: String,
    /// Add the look to this existing avatar group.
    #[arg(long, value_name = "ID")]
    pub(crate) group_id: Option<String>,
}

/// Arguments of prompt avatars.
#[derive(Debug, Args)]
pub(crate) struct PromptAvatarArgs {
    /// Display name.
    #[arg(long)]
    pub(crate) name: String,
    /// What the avatar looks like (at most 1000 characters).
    #[arg(long)]
    pub(crate) prompt: String,
    /// A reference image (https:// URL, never http://; asset:<id>, data: URI or local path);
    /// repeat up to 3 times.
    #[arg(long = "reference-image", value_name = "SRC")]
    pub(crate) reference_images: Vec<String>,
    /// Add the look to this existing avatar group.
    #[arg(long, value_name = "ID")]
    pub(crate) group_id: Option<String>,
    /// Start from this look.
    #[arg(long, value_name = "LOOK")]
    pub(crate) avatar_id: Option<String>,
}

/// `heygen avatar consent …`.
#[derive(Debug, Subcommand)]
pub(crate) enum ConsentCommand {
    /// Start consent for a digital twin (`POST /v3/avatars/{group_id}/consent`); prints the
    /// URL the filmed person must visit.
    Create {
        /// Avatar group id.
        group_id: String,
        /// Where to send the person after they decide (an http:// or https:// URL).
        #[arg(long, value_name = "URL")]
        reroute_url: Option<String>,
    },
}

/// `heygen avatar looks …`.
#[derive(Debug, Subcommand)]
pub(crate) enum LooksCommand {
    /// List looks (`GET /v3/avatars/looks`).
    List {
        /// Only looks of this group.
        #[arg(long, value_name = "ID")]
        group_id: Option<String>,
        /// Only looks of this kind (photo_avatar, digital_twin, studio_avatar, …).
        #[arg(long, value_name = "T")]
        avatar_type: Option<String>,
        /// Public or private looks.
        #[arg(long, value_enum, value_name = "O")]
        ownership: Option<OwnershipArg>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Show a look (`GET /v3/avatars/looks/{look_id}`).
    Get {
        /// Look id.
        look_id: String,
    },
    /// Rename a look (`PATCH /v3/avatars/looks/{look_id}`).
    Update {
        /// Look id.
        look_id: String,
        /// New display name.
        #[arg(long)]
        name: String,
    },
    /// Delete a look (`DELETE /v3/avatars/looks/{look_id}`).
    Delete {
        /// Look id.
        look_id: String,
    },
}

/// Ownership filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OwnershipArg {
    /// HeyGen's public avatars.
    Public,
    /// Your own avatars.
    Private,
}

/// Paging flags shared by list commands.
#[derive(Debug, Clone, Args)]
pub(crate) struct PageArgs {
    /// Page size.
    #[arg(long, value_name = "N")]
    pub(crate) limit: Option<u32>,
    /// Page token from a previous `next_token`.
    #[arg(long, value_name = "T")]
    pub(crate) token: Option<String>,
    /// Follow every page and print all items.
    #[arg(long)]
    pub(crate) all: bool,
}

impl PageArgs {
    /// `query` with `--limit` and `--token` applied through the query type's own setters.
    pub(crate) fn apply<Q>(
        &self,
        mut query: Q,
        limit: impl FnOnce(Q, u32) -> Q,
        token: impl FnOnce(Q, String) -> Q,
    ) -> Q {
        if let Some(n) = self.limit {
            query = limit(query, n);
        }
        if let Some(t) = &self.token {
            query = token(query, t.clone());
        }
        query
    }
}

/// `heygen video …`.
#[derive(Debug, Subcommand)]
pub(crate) enum VideoCommand {
    /// Create a video (`POST /v3/videos`): an avatar video from flags, or any kind (avatar,
    /// image, cinematic_avatar, studio) from a JSON file with --file.
    Create(CreateVideoArgs),
    /// Show a video (`GET /v3/videos/{video_id}`).
    Get {
        /// Video id.
        video_id: String,
    },
    /// List videos (`GET /v3/videos`).
    List {
        /// Only videos in this folder.
        #[arg(long, value_name = "ID")]
        folder_id: Option<String>,
        /// Only videos whose title contains this text.
        #[arg(long, value_name = "TEXT")]
        title: Option<String>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Video batches: submit many videos at once, read a batch, wait for it.
    #[command(subcommand)]
    Batch(crate::video_batch::BatchCommand),
    /// Statuses of up to 100 videos at once, by id or by batch (`GET /v3/videos/statuses`).
    Statuses(crate::video_batch::StatusesArgs),
    /// Delete a video (`DELETE /v3/videos/{video_id}`).
    Delete {
        /// Video id.
        video_id: String,
    },
    /// Download a rendered video to a file (reads `GET /v3/videos/{video_id}`, then streams
    /// its `video_url`); prints the path and byte count.
    Download(crate::download::DownloadArgs),
}

/// Arguments of `video create`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("speech").required(true).args(["script", "audio_url", "file"])))]
pub(crate) struct CreateVideoArgs {
    /// The whole request as JSON (any kind: avatar, image, cinematic_avatar, studio), instead
    /// of the flags below.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["avatar_id", "title"])]
    pub(crate) file: Option<PathBuf>,
    /// The look to render (a look id, not a group id).
    #[arg(long, value_name = "LOOK", required_unless_present = "file")]
    pub(crate) avatar_id: Option<String>,
    /// Text the avatar speaks.
    #[arg(long, conflicts_with = "audio_url")]
    pub(crate) script: Option<String>,
    /// Voice for the script (default: the look's voice).
    #[arg(long, value_name = "V", requires = "script")]
    pub(crate) voice_id: Option<String>,
    /// Audio the avatar lip-syncs to (an http:// or https:// URL HeyGen downloads).
    #[arg(long, value_name = "URL")]
    pub(crate) audio_url: Option<String>,
    /// Video title.
    #[arg(long, value_name = "T")]
    pub(crate) title: Option<String>,
    /// Wait until the video is rendered.
    #[arg(long)]
    pub(crate) wait: bool,
    /// With --wait: give up after this many seconds (default 1800).
    #[arg(long, value_name = "SECS", requires = "wait", value_parser = parse_seconds)]
    pub(crate) timeout: Option<f64>,
}

/// `heygen user …`.
#[derive(Debug, Subcommand)]
pub(crate) enum UserCommand {
    /// Show the current user (`GET /v3/users/me`).
    Me,
}

/// `heygen webhook …`.
#[derive(Debug, Subcommand)]
pub(crate) enum WebhookCommand {
    /// Registered endpoints: where HeyGen posts events.
    #[command(subcommand)]
    Endpoints(EndpointsCommand),
    /// The event types an endpoint can subscribe to.
    #[command(subcommand)]
    EventTypes(EventTypesCommand),
    /// Events HeyGen has sent.
    #[command(subcommand)]
    Events(EventsCommand),
    /// Receive deliveries on a local port; print each verified event as one JSON line.
    ///
    /// The signing secret is read from HEYGEN_WEBHOOK_SECRET only, never from an argument
    /// (several separated by commas, e.g. the old and the new one during a rotation). A bad
    /// signature or a stale timestamp is answered 401 and reported on stderr; a redelivered
    /// event is answered 200 and not printed again; a body over 1 MiB is answered 413.
    Listen(ListenArgs),
    /// Check one saved delivery (raw body on stdin) against HEYGEN_WEBHOOK_SECRET.
    ///
    /// Prints the event and exits 0 when it verifies; exits 1 with the reason when not.
    Verify(VerifyArgs),
}

/// `heygen webhook endpoints …`.
#[derive(Debug, Subcommand)]
pub(crate) enum EndpointsCommand {
    /// Register an endpoint (`POST /v3/webhooks/endpoints`). The response carries the signing
    /// secret: it is shown this once, so store it.
    Create {
        /// Where HeyGen posts deliveries (an http:// or https:// URL).
        #[arg(long)]
        url: String,
        /// Event types to subscribe to, comma-separated (default: every event).
        #[arg(long, value_name = "A,B", value_delimiter = ',')]
        events: Option<Vec<String>>,
        /// Only events about this entity.
        #[arg(long, value_name = "ID")]
        entity_id: Option<String>,
    },
    /// List endpoints (`GET /v3/webhooks/endpoints`); secrets are not listed.
    List {
        #[command(flatten)]
        page: PageArgs,
    },
    /// Change an endpoint's URL and/or replace its event list
    /// (`PATCH /v3/webhooks/endpoints/{endpoint_id}`).
    #[command(group(ArgGroup::new("change").required(true).multiple(true).args(["url", "events"])))]
    Update {
        /// Endpoint id.
        endpoint_id: String,
        /// The new URL.
        #[arg(long)]
        url: Option<String>,
        /// The new event types, comma-separated (replaces the whole list).
        #[arg(long, value_name = "A,B", value_delimiter = ',')]
        events: Option<Vec<String>>,
    },
    /// Delete an endpoint (`DELETE /v3/webhooks/endpoints/{endpoint_id}`).
    Delete {
        /// Endpoint id.
        endpoint_id: String,
    },
    /// Replace an endpoint's signing secret
    /// (`POST /v3/webhooks/endpoints/{endpoint_id}/rotate-secret`). The old secret stops working
    /// at once; the new one is shown this once.
    RotateSecret {
        /// Endpoint id.
        endpoint_id: String,
    },
}

/// `heygen webhook event-types …`.
#[derive(Debug, Subcommand)]
pub(crate) enum EventTypesCommand {
    /// List the event types (`GET /v3/webhooks/event-types`).
    List,
}

/// `heygen webhook events …`.
#[derive(Debug, Subcommand)]
pub(crate) enum EventsCommand {
    /// List sent events, newest first (`GET /v3/webhooks/events`).
    List {
        /// Only events of this type.
        #[arg(long, value_name = "T")]
        event_type: Option<String>,
        /// Only events about this entity.
        #[arg(long, value_name = "ID")]
        entity_id: Option<String>,
        #[command(flatten)]
        page: PageArgs,
    },
}

/// Arguments of `webhook listen`.
#[derive(Debug, Clone, Args)]
pub(crate) struct ListenArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) host: String,
    /// Port (0 picks a free one; the address is printed on stderr).
    #[arg(long, default_value_t = 8787)]
    pub(crate) port: u16,
    /// Exit 0 after this many verified events.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) max_events: Option<u64>,
    /// The path deliveries are posted to.
    #[arg(long, default_value = "/webhook", value_parser = parse_path)]
    pub(crate) path: String,
}

/// Parses a URL path for `--path`.
fn parse_path(text: &str) -> Result<String, String> {
    let path = text.trim();
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    if path.contains(['?', '#']) || path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("expected a path such as /webhook (no query, fragment or spaces)".to_owned());
    }
    Ok(path)
}

/// Arguments of `webhook verify`.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The delivery's Heygen-Signature (or Signature) header: 64 hex digits.
    #[arg(long, value_name = "HEX")]
    pub(crate) signature: String,
    /// The delivery's Heygen-Timestamp header, Unix seconds (checked to be within 5 minutes).
    #[arg(long, value_name = "T")]
    pub(crate) timestamp: Option<String>,
    /// The delivery's Heygen-Event-Id header.
    #[arg(long, value_name = "ID")]
    pub(crate) event_id: Option<String>,
}

/// `heygen emulator`.
#[derive(Debug, Args)]
pub(crate) struct EmulatorArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub(crate) port: u16,
    /// Emulated seconds per real second (60 turns a 2-minute training into 2 seconds).
    #[arg(long, default_value_t = 1.0, value_parser = parse_speed)]
    pub(crate) speed: f64,
    /// Lifetime of the OAuth access tokens it issues, in emulated seconds (default ten days).
    #[arg(long, default_value_t = heygen_emulator::DEFAULT_OAUTH_TOKEN_SECS, value_name = "SECS")]
    pub(crate) oauth_token_secs: u64,
}
