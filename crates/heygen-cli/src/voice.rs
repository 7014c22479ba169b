//! `heygen voice …`: list, get, delete, design, clone (from a URL, an asset or a local file,
//! optionally waiting for the clone) and speech.
//!
//! Doc comments on the clap types are the `--help` text, so they are written for the terminal.
#![allow(
    clippy::doc_markdown,
    reason = "doc comments are the --help text shown in a terminal"
)]

use clap::{Args, Subcommand, ValueEnum};
use heygen_core::ops::{CloneVoice, CreateSpeech, DeleteVoice, DesignVoice, GetVoice, ListVoices};
use heygen_model::{
    AssetId, CloneVoiceRequest, DesignVoiceRequest, ListVoicesQuery, SpeechInputType,
    SpeechRequest, VoiceEngineType, VoiceGender, VoiceId, VoiceType,
};

use crate::cli::{PageArgs, parse_seconds};
use crate::commands::{Context, call, list, waited};
use crate::failure::Failure;
use crate::source;
use crate::wait;

/// `heygen voice …`.
#[derive(Debug, Subcommand)]
pub(crate) enum VoiceCommand {
    /// List voices (`GET /v3/voices`): HeyGen's public library by default.
    List {
        /// Public (HeyGen's library) or private (your clones).
        #[arg(long = "type", value_enum, value_name = "T")]
        voice_type: Option<VoiceTypeArg>,
        /// Only voices that work with this engine (starfish for `voice speech`).
        #[arg(long, value_name = "E")]
        engine: Option<String>,
        /// Only voices of this language (e.g. English).
        #[arg(long, value_name = "L")]
        language: Option<String>,
        /// Only voices of this gender.
        #[arg(long, value_enum, value_name = "G")]
        gender: Option<GenderArg>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Show a voice and, for a clone, its status (`GET /v3/voices/{voice_id}`).
    Get {
        /// Voice id.
        voice_id: String,
    },
    /// Delete one of your cloned voices (`DELETE /v3/voices/{voice_id}`).
    Delete {
        /// Voice id.
        voice_id: String,
    },
    /// Find up to 3 voices matching a description (`POST /v3/voices`).
    Design {
        /// The voice wanted, in plain words (e.g. "warm, confident narrator").
        #[arg(long)]
        prompt: String,
        /// Only voices of this gender.
        #[arg(long, value_enum, value_name = "G")]
        gender: Option<GenderArg>,
        /// Only voices of this BCP-47 locale (e.g. en-US).
        #[arg(long, value_name = "L")]
        locale: Option<String>,
        /// Which batch of matches: 0 for the best ones, 1 for the next, …
        #[arg(long, value_name = "N")]
        seed: Option<u32>,
    },
    /// Clone a voice from a recording (`POST /v3/voices/clone`); prints the new voice id, or
    /// with --wait the finished voice.
    Clone(CloneArgs),
    /// Synthesize speech (`POST /v3/voices/speech`); prints the audio URL and its duration.
    Speech(SpeechArgs),
    /// Wait until a voice clone completes (polls `GET /v3/voices/{voice_id}`).
    Wait {
        /// Voice id.
        voice_id: String,
        /// Give up after this many seconds (default 1800).
        #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
        timeout: Option<f64>,
    },
}

/// Arguments of `voice clone`.
#[derive(Debug, Args)]
pub(crate) struct CloneArgs {
    /// Display name of the new voice.
    #[arg(long)]
    name: String,
    /// The recording: an https:// URL, asset:ID, a data: URI, or a local file (sent like an
    /// avatar's file: inline when small, uploaded first when larger).
    #[arg(long, value_name = "SRC")]
    file: String,
    /// Language hint (e.g. en); detected from the audio when not given.
    #[arg(long, value_name = "L")]
    language: Option<String>,
    /// Whether to clean background noise first (HeyGen's default: true).
    #[arg(long, value_name = "BOOL")]
    remove_background_noise: Option<bool>,
    /// Wait until the clone completes.
    #[arg(long)]
    wait: bool,
    /// With --wait: give up after this many seconds (default 1800).
    #[arg(long, value_name = "SECS", requires = "wait", value_parser = parse_seconds)]
    timeout: Option<f64>,
}

/// Arguments of `voice speech`.
#[derive(Debug, Args)]
pub(crate) struct SpeechArgs {
    /// The voice (it must support the starfish engine).
    #[arg(long, value_name = "V")]
    voice_id: String,
    /// What to say: 1 to 5000 characters of plain text, or SSML with --ssml.
    #[arg(long)]
    text: String,
    /// The text is SSML markup.
    #[arg(long)]
    ssml: bool,
    /// Speed multiplier, 0.5 to 2.0 (default 1.0).
    #[arg(long, value_name = "X")]
    speed: Option<f64>,
    /// Base language code (e.g. en); detected when not given.
    #[arg(long, value_name = "L")]
    language: Option<String>,
    /// BCP-47 locale (e.g. en-US).
    #[arg(long, value_name = "L")]
    locale: Option<String>,
}

/// Voice type filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum VoiceTypeArg {
    /// HeyGen's shared library.
    Public,
    /// Your cloned voices.
    Private,
}

/// Gender filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum GenderArg {
    /// Male voices.
    Male,
    /// Female voices.
    Female,
}

impl GenderArg {
    fn model(self) -> VoiceGender {
        match self {
            Self::Male => VoiceGender::Male,
            Self::Female => VoiceGender::Female,
        }
    }
}

fn voice_id(param: &'static str, text: &str) -> Result<VoiceId, Failure> {
    VoiceId::new(text).map_err(|e| Failure::validation(Some(param), e.to_string()))
}

/// Runs one `voice` command.
///
/// # Errors
/// The failure to report.
pub(crate) fn run(ctx: &Context<'_>, command: VoiceCommand) -> Result<(), Failure> {
    match command {
        VoiceCommand::List {
            voice_type,
            engine,
            language,
            gender,
            page,
        } => {
            let mut query = ListVoicesQuery::new();
            if let Some(t) = voice_type {
                query = query.voice_type(match t {
                    VoiceTypeArg::Public => VoiceType::Public,
                    VoiceTypeArg::Private => VoiceType::Private,
                });
            }
            if let Some(engine) = engine {
                query = query.engine(VoiceEngineType::from_wire(&engine));
            }
            if let Some(language) = language {
                query = query.language(language);
            }
            if let Some(gender) = gender {
                query = query.gender(gender.model());
            }
            query = page.apply(query, ListVoicesQuery::limit, ListVoicesQuery::token);
            query.validate()?;
            list(ctx, &page, ListVoices::new(query))
        }
        VoiceCommand::Get { voice_id: id } => ctx
            .out
            .data(&call(ctx, GetVoice::new(voice_id("voice_id", &id)?))?),
        VoiceCommand::Delete { voice_id: id } => ctx
            .out
            .data(&call(ctx, DeleteVoice::new(voice_id("voice_id", &id)?))?),
        VoiceCommand::Design {
            prompt,
            gender,
            locale,
            seed,
        } => {
            let mut request = DesignVoiceRequest::new(prompt);
            if let Some(gender) = gender {
                request = request.gender(gender.model());
            }
            if let Some(locale) = locale {
                request = request.locale(locale);
            }
            if let Some(seed) = seed {
                request = request.seed(seed);
            }
            request.validate()?;
            ctx.out.data(&call(ctx, DesignVoice::new(request))?)
        }
        VoiceCommand::Clone(args) => clone(ctx, args),
        VoiceCommand::Speech(args) => speech(ctx, args),
        VoiceCommand::Wait {
            voice_id: id,
            timeout,
        } => {
            let id = voice_id("voice_id", &id)?;
            wait_for(ctx, &id, timeout)
        }
    }
}

fn wait_for(ctx: &Context<'_>, id: &VoiceId, timeout: Option<f64>) -> Result<(), Failure> {
    let policy = wait::policy(timeout, ctx.poll_interval);
    let outcome = wait::wait_for(
        ctx.backend,
        GetVoice::new(id.clone()),
        id.as_str(),
        policy,
        "cloning voice",
    );
    let done = waited(ctx.out, "voice_id", id.as_str(), outcome)?;
    ctx.out.data(&done)
}

fn clone(ctx: &Context<'_>, args: CloneArgs) -> Result<(), Failure> {
    let CloneArgs {
        name,
        file,
        language,
        remove_background_noise,
        wait,
        timeout,
    } = args;
    let (audio, uploaded) = source::resolve(ctx.backend, "audio", &file)?;
    let with_asset = |failure: Failure, uploaded: &Option<AssetId>| match uploaded {
        Some(id) => failure.with_id("asset_id", id.as_str()),
        None => failure,
    };
    let mut request = CloneVoiceRequest::new(name, audio);
    if let Some(language) = language {
        request = request.language(language);
    }
    if let Some(remove) = remove_background_noise {
        request = request.remove_background_noise(remove);
    }
    request
        .validate()
        .map_err(|e| with_asset(Failure::from(e), &uploaded))?;
    let cloned =
        call(ctx, CloneVoice::new(request)).map_err(|e| with_asset(Failure::from(e), &uploaded))?;
    if !wait {
        return ctx.out.data(&cloned);
    }
    wait_for(ctx, &cloned.voice_clone_id, timeout)
}

fn speech(ctx: &Context<'_>, args: SpeechArgs) -> Result<(), Failure> {
    let SpeechArgs {
        voice_id: id,
        text,
        ssml,
        speed,
        language,
        locale,
    } = args;
    let mut request = SpeechRequest::new(voice_id("voice_id", &id)?, text);
    if ssml {
        request = request.input_type(SpeechInputType::Ssml);
    }
    if let Some(speed) = speed {
        request = request.speed(speed);
    }
    if let Some(language) = language {
        request = request.language(language);
    }
    if let Some(locale) = locale {
        request = request.locale(locale);
    }
    request.validate()?;
    ctx.out.data(&call(ctx, CreateSpeech::new(request))?)
}
