//! `heygen`: the `HeyGen` v3 API from the command line, built on the heygen-rs SDK.
//!
//! `heygen <noun> <verb>` prints one JSON document on stdout; a failure prints one JSON line
//! `{"error": {…}}` on stderr and exits with a stable code (see [`failure`]). `heygen demo`
//! runs the whole avatar lifecycle against an emulator embedded in the binary.

#![allow(
    clippy::result_large_err,
    reason = "a failure is built at most once per process, on the way out"
)]

mod asset;
mod auth;
mod backend;
mod browser;
mod cli;
mod commands;
mod demo;
mod download;
mod failure;
mod human;
mod listen;
mod output;
mod progress;
mod source;
mod video_batch;
mod voice;
mod wait;
mod webhook;

use std::ffi::OsString;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser as _;
use clap::error::ErrorKind;
use heygen_core::{Config, RetryPolicy, Timeouts};

use crate::cli::{Cli, Command, EmulatorArgs, GlobalArgs, WebhookCommand};
use crate::failure::{EXIT_OK, Failure};
use crate::output::Output;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    ExitCode::from(run(&args))
}

/// Runs the program with `args` (the first is the program name) and returns the exit status.
fn run(args: &[OsString]) -> u8 {
    let mut out = Output::new(false);
    for secret in secrets_in(args) {
        out.add_secret(&secret);
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => return usage_error(&out, &error),
    };
    let mut out = Output::new(cli.global.human);
    for secret in secrets_in(args).into_iter().chain(auth::stored_secrets()) {
        out.add_secret(&secret);
    }
    match execute(&out, cli) {
        Ok(()) => EXIT_OK,
        Err(failure) => {
            out.failure(&failure);
            failure.exit
        }
    }
}

/// Values that must never be printed: the API key from the flag or the environment, the
/// webhook signing secrets of `HEYGEN_WEBHOOK_SECRET`, and the signature given to
/// `webhook verify`.
fn secrets_in(args: &[OsString]) -> Vec<String> {
    let mut secrets = Vec::new();
    if let Ok(key) = std::env::var("HEYGEN_API_KEY") {
        secrets.push(key);
    }
    if let Ok(token) = std::env::var(auth::ACCESS_TOKEN_ENV) {
        secrets.push(token);
    }
    if let Some(value) = std::env::var_os(webhook::SECRET_ENV) {
        secrets.extend(webhook::secrets_in(&value.to_string_lossy()));
    }
    let mut iter = args.iter().map(|a| a.to_string_lossy().into_owned());
    while let Some(arg) = iter.next() {
        if arg == "--api-key" || arg == "--signature" {
            if let Some(value) = iter.next() {
                secrets.push(value);
            }
        } else if let Some(value) = arg
            .strip_prefix("--api-key=")
            .or_else(|| arg.strip_prefix("--signature="))
        {
            secrets.push(value.to_owned());
        }
    }
    secrets
}

/// Help and version go to stdout with exit 0; every other parse error is a JSON usage error.
fn usage_error(out: &Output, error: &clap::Error) -> u8 {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let text = out.scrub(&error.render().to_string());
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
            EXIT_OK
        }
        kind => {
            let message = match kind {
                ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
                | ErrorKind::MissingSubcommand => {
                    "a command is required; run `heygen --help` to list them".to_owned()
                }
                _ => clap_message(error),
            };
            let failure = Failure::usage(hide_tokens(&message));
            out.failure(&failure);
            failure.exit
        }
    }
}

/// clap's message without the `error:` prefix, the usage block and the help hint.
fn clap_message(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    let mut lines = Vec::new();
    for line in rendered.lines() {
        let line = line.trim();
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if !line.is_empty() {
            lines.push(line.strip_prefix("error: ").unwrap_or(line).to_owned());
        }
    }
    let mut message = String::new();
    for line in lines {
        if !message.is_empty() {
            message.push_str(if message.ends_with(':') { " " } else { "; " });
        }
        message.push_str(&line);
    }
    if message.is_empty() {
        "invalid arguments".to_owned()
    } else {
        message
    }
}

/// Replaces quoted values that look like credentials (20 or more characters without spaces,
/// not an option name) with `<redacted>`: clap quotes the offending argument, and a key pasted
/// in the wrong place must not reach the terminal or a log.
fn hide_tokens(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut parts = message.split('\'');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let mut quoted = true;
    for part in parts {
        out.push('\'');
        let token_like = part.chars().count() >= 20
            && !part.starts_with('-')
            && !part.chars().any(char::is_whitespace);
        if quoted && token_like {
            out.push_str("<redacted>");
        } else {
            out.push_str(part);
        }
        quoted = !quoted;
    }
    out
}

fn execute(out: &Output, cli: Cli) -> Result<(), Failure> {
    let Cli { global, command } = cli;
    match command {
        Command::Demo => demo::run(out, global.transport),
        Command::Emulator(args) => emulator(out, &global, &args),
        Command::Webhook(WebhookCommand::Listen(args)) => listen::run(out, &args),
        Command::Webhook(WebhookCommand::Verify(args)) => webhook::verify(out, &args),
        Command::Auth(command) => auth::run(out, &global, command),
        command => {
            let backend = backend::Backend::connect(global.transport, config(&global)?)?;
            let ctx = commands::Context {
                backend: &backend,
                out,
                poll_interval: global.poll_interval,
            };
            commands::run(&ctx, command)
        }
    }
}

/// The SDK configuration from the global flags and the environment. A wait needs no
/// configuration of its own: the core cuts each status check at the wait's deadline.
fn config(global: &GlobalArgs) -> Result<Config, Failure> {
    // The API key, HEYGEN_ACCESS_TOKEN or the stored login, in that order (see `auth`).
    let credential = auth::api_credential(global)?;
    let mut builder = credential
        .apply(Config::builder())
        .user_agent(concat!("heygen-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(url) = global.base_url.as_deref().filter(|u| !u.trim().is_empty()) {
        builder = builder.base_url(url);
    }
    let mut timeouts = Timeouts::new();
    if let Some(secs) = global.request_timeout {
        let each = Duration::from_secs_f64(secs);
        timeouts = timeouts.read(each).write(each).upload(each);
        timeouts = timeouts.connect(timeouts.connect.min(each));
    }
    let mut retry = RetryPolicy::new();
    if let Some(retries) = global.max_retries {
        retry = retry.max_retries(retries);
    }
    Ok(builder.timeouts(timeouts).retry_policy(retry).build()?)
}

/// `heygen emulator`: serves until the process is interrupted.
fn emulator(out: &Output, global: &GlobalArgs, args: &EmulatorArgs) -> Result<(), Failure> {
    let mut options = heygen_emulator::EmulatorOptions::default()
        .port(args.port)
        .speed(args.speed)
        .oauth_token_secs(args.oauth_token_secs);
    if let Some(key) = global.api_key.as_deref().filter(|k| !k.trim().is_empty()) {
        options = options.api_key(key);
    }
    let emulator = heygen_emulator::Emulator::start(options)
        .map_err(|e| Failure::new(failure::EXIT_API, "cli_emulator_failed", e.to_string()))?;
    out.log(&format!(
        "heygen emulator listening on {} ({}x speed); press Ctrl-C to stop",
        emulator.base_url(),
        args.speed
    ));
    out.log(&format!(
        "try: heygen --base-url {} --api-key {} user me",
        emulator.base_url(),
        emulator.api_key()
    ));
    out.data(&serde_json::json!({
        "base_url": emulator.base_url(),
        "speed": args.speed,
    }))?;
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::hide_tokens;

    #[test]
    fn long_quoted_values_are_hidden() {
        assert_eq!(
            hide_tokens("unexpected argument 'hg_live_0123456789abcdefXYZ' found"),
            "unexpected argument '<redacted>' found"
        );
        assert_eq!(
            hide_tokens("unrecognized subcommand 'lst'; tip: 'list'"),
            "unrecognized subcommand 'lst'; tip: 'list'"
        );
        assert_eq!(
            hide_tokens("the argument '--script <SCRIPT>' cannot be used with '--audio-url <URL>'"),
            "the argument '--script <SCRIPT>' cannot be used with '--audio-url <URL>'"
        );
    }
}
