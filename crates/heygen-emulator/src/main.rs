//! `heygen-emulator`: run the local `HeyGen` v3 emulator from the command line.

use clap::Parser;
use heygen_emulator::{DEFAULT_ACCESS_TOKEN, DEFAULT_API_KEY, Emulator, EmulatorOptions};

/// Command-line options.
#[derive(Debug, Parser)]
#[command(
    name = "heygen-emulator",
    version,
    about = "A stateful local HeyGen v3 API server for tests and demos (loopback only)"
)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// API key the emulator accepts in `X-Api-Key`.
    #[arg(long, env = "HEYGEN_EMULATOR_API_KEY", default_value = DEFAULT_API_KEY)]
    api_key: String,
    /// OAuth access token the emulator accepts in `Authorization: Bearer`.
    #[arg(long, default_value = DEFAULT_ACCESS_TOKEN)]
    access_token: String,
    /// Lifetime of the access tokens the OAuth server issues, in emulated seconds (default ten
    /// days; a few seconds makes refreshes happen while you watch).
    #[arg(long, default_value_t = heygen_emulator::DEFAULT_OAUTH_TOKEN_SECS)]
    oauth_token_secs: u64,
    /// Emulated seconds per real second (60 makes a 2-minute training take 2 seconds).
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
    /// Seed for ids and tokens.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Add checks beyond HeyGen's reference (https for every URL, no blank names, only the
    /// multipart upload types for base64 inputs and direct uploads, direct uploads up to 5 GiB).
    #[arg(long)]
    strict: bool,
    /// Check every API reply against its schema before sending it; a reply that breaks it
    /// becomes a 500 and is printed to stderr (default: on in debug builds).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    check_responses: Option<bool>,
}

#[allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line binary reports to the terminal"
)]
fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let mut opts = EmulatorOptions::default()
        .port(args.port)
        .api_key(args.api_key)
        .access_token(args.access_token)
        .oauth_token_secs(args.oauth_token_secs)
        .speed(args.speed)
        .seed(args.seed)
        .strict(args.strict);
    if let Some(check) = args.check_responses {
        opts = opts.check_responses(check);
    }
    let emu = match Emulator::start(opts) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("heygen-emulator listening on {}", emu.base_url());
    println!("API key: {}", emu.api_key());
    println!(
        "OAuth: authorize page {0}/oauth/authorize, token endpoint {0}/v1/oauth/token",
        emu.base_url()
    );
    if args.strict {
        println!("strict mode: checks beyond HeyGen's reference are on");
    }
    println!(
        "admin API: {}/_emulator/health (loopback only, no key)",
        emu.base_url()
    );
    println!("press Ctrl-C to stop");
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let _ = rt.block_on(tokio::signal::ctrl_c());
    drop(emu);
    std::process::ExitCode::SUCCESS
}
