//! `heygen-bench`: the SDK's cost per call, measured against raw clients in the same run.
//!
//! Run it through `cargo xtask bench [--quick]`, which builds it in release mode, builds the
//! footprint probes with the `release-small` profile and passes their directory. Modes:
//!
//! - `heygen-bench [--quick] [--out PATH] [--footprint-dir DIR] [--skip-requests]
//!   [--skip-instructions] [--skip-upload] [--upload-mib N]`: run the benchmarks, print the
//!   Markdown report and write it to `--out` (default `target/bench/report.md`; the upload test
//!   files go beside it). Instruction counts need `valgrind` on `PATH`.
//! - `heygen-bench serve-fixed` / `serve-emulator`: the servers, run as child processes.
//! - `heygen-bench upload-child …`: one upload in a fresh process, for its peak RSS.
//! - `heygen-bench profile VARIANT WORKLOAD CALLS`: one client alone, for a profiler.
//!
//! See `docs/performance.md` for the method.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark program reports to the terminal"
)]

mod alloc;
mod child;
mod decode;
mod fixtures;
mod footprint;
mod instructions;
mod plain;
mod profile;
mod raw;
mod report;
mod rss;
mod runner;
mod sdk;
mod sdk_upload;
mod server;
mod upload;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use raw::{RawHyper, RawUreq, ReqwestAsync, ReqwestBlocking, Workload};
use report::{Report, ratio_lines, throughput_ratio, workload_table};
use runner::{Plan, Variant};
use sdk::{SdkAsync, SdkBlocking};

/// Parsed command line of a benchmark run.
#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools, reason = "one switch per option")]
struct Options {
    quick: bool,
    out: PathBuf,
    footprint_dir: Option<PathBuf>,
    requests: bool,
    instructions: bool,
    upload: bool,
    upload_mib: Option<u64>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        quick: false,
        out: PathBuf::from("target/bench/report.md"),
        footprint_dir: None,
        requests: true,
        instructions: true,
        upload: true,
        upload_mib: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => options.quick = true,
            "--skip-requests" => options.requests = false,
            "--skip-instructions" => options.instructions = false,
            "--skip-upload" => options.upload = false,
            "--out" => options.out = PathBuf::from(args.next().ok_or("--out needs a path")?),
            "--footprint-dir" => {
                options.footprint_dir = Some(PathBuf::from(
                    args.next().ok_or("--footprint-dir needs a path")?,
                ));
            }
            "--upload-mib" => {
                let value = args.next().ok_or("--upload-mib needs a number")?;
                options.upload_mib = Some(
                    value
                        .parse()
                        .map_err(|_| format!("bad --upload-mib {value}"))?,
                );
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve-fixed") => serve_fixed(),
        Some("serve-emulator") => serve_emulator(),
        Some("upload-child") => upload::child_main(&args[1..]),
        Some("profile") => profile::main(&args[1..]),
        _ => parse_options(&args).and_then(|o| bench(&o)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("heygen-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve_fixed() -> Result<(), String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("bind: {e}"))?;
    let addr = listener.local_addr().map_err(|e| format!("addr: {e}"))?;
    std::thread::spawn(move || server::serve(&listener));
    child::announce_and_wait(&format!("http://{addr}"));
    Ok(())
}

fn serve_emulator() -> Result<(), String> {
    let emulator = heygen_emulator::Emulator::start(
        heygen_emulator::EmulatorOptions::default().api_key(fixtures::API_KEY),
    )
    .map_err(|e| e.to_string())?;
    child::announce_and_wait(&emulator.base_url());
    drop(emulator);
    Ok(())
}

fn plan(quick: bool) -> Plan {
    if quick {
        Plan {
            repetitions: 5,
            block: Duration::from_millis(40),
            warmup: Duration::from_millis(40),
        }
    } else {
        // Many short blocks rather than a few long ones: on a shared virtual machine the noise
        // comes in bursts, and more blocks let the median step over them.
        Plan {
            repetitions: 21,
            block: Duration::from_millis(100),
            warmup: Duration::from_millis(300),
        }
    }
}

fn bench(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let mut report = Report::default();
    let fixed = child::Server::start("serve-fixed")?;
    eprintln!(
        "fixed-response server: {} (pid {})",
        fixed.base_url,
        fixed.pid()
    );

    if options.requests {
        requests(&fixed.base_url, &plan(options.quick), &mut report)?;
        eprintln!("requests done in {:.0?}", started.elapsed());
    }
    let out_dir = options
        .out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| std::path::Path::new("."));
    if options.instructions {
        std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
        instructions::run(options.quick, out_dir, &mut report);
        eprintln!("instruction counts done in {:.0?}", started.elapsed());
    }
    decode_only(&plan(options.quick), &mut report);
    eprintln!("decode done in {:.0?}", started.elapsed());
    if let Some(dir) = &options.footprint_dir {
        footprint::run(dir, &fixed.base_url, &mut report);
        eprintln!("footprint done in {:.0?}", started.elapsed());
    }
    drop(fixed);
    if options.upload {
        let emulator = child::Server::start("serve-emulator")?;
        eprintln!("emulator: {} (pid {})", emulator.base_url, emulator.pid());
        let mib = options
            .upload_mib
            .unwrap_or(if options.quick { 64 } else { 512 });
        std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
        upload::run(&emulator.base_url, out_dir, mib, options.quick, &mut report)?;
        eprintln!("uploads done in {:.0?}", started.elapsed());
    }

    let header = format!(
        "# heygen-rs benchmarks\n\nMachine: {}. Mode: {}. Total run time: {:.0} s.\n\
         Loopback, HTTP/1.1 kept alive, servers in separate processes. \
         Ratios are SDK throughput over baseline throughput (medians of the same run): above 1 means the SDK is faster.\n",
        report::machine(),
        if options.quick { "--quick" } else { "full" },
        started.elapsed().as_secs_f64(),
    );
    let text = report.render(&header);
    println!("{text}");
    if let Some(parent) = options.out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(&options.out, &text).map_err(|e| format!("{}: {e}", options.out.display()))?;
    eprintln!("report written to {}", options.out.display());
    Ok(())
}

const RAW_UREQ: &str = "raw ureq";
const RAW_UREQ_TIMEOUT: &str = "(diag) raw ureq + per-request timeout_global";
const REQWEST_BLOCKING: &str = "reqwest blocking";
const SDK_BLOCKING: &str = "heygen-blocking";
const RAW_HYPER: &str = "raw hyper-util";
const RAW_HYPER_TIMEOUT: &str = "(diag) raw hyper-util + per-request tokio timeout";
const REQWEST_ASYNC: &str = "reqwest async";
const SDK_ASYNC: &str = "heygen-async";

/// Tasks kept in flight by the concurrent workload.
const IN_FLIGHT: u64 = 32;

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))
}

#[allow(clippy::too_many_lines, reason = "one table of variants per workload")]
fn requests(base: &str, plan: &Plan, report: &mut Report) -> Result<(), String> {
    let rt = runtime()?;
    let ureq = RawUreq::new(base);
    let ureq_timeout = RawUreq::with_global_timeout(base, Duration::from_mins(1));
    let reqwest_blocking = ReqwestBlocking::new(base)?;
    let sdk_blocking = SdkBlocking::new(base);
    let (hyper, reqwest_async, sdk_async) = rt.block_on(async {
        (
            RawHyper::new(base),
            ReqwestAsync::new(base),
            SdkAsync::new(base),
        )
    });
    let reqwest_async = reqwest_async?;
    report.push(
        "## Request workloads (one kept-alive connection per client, after a warm-up)\n\n\
         Each variant decodes into owned values: plain structs for the baselines, the SDK's model \
         types for the SDK. Allocations are counted by a global counting allocator (every thread).\n\n",
    );
    for workload in Workload::ALL {
        let mut variants = vec![
            Variant::new(RAW_UREQ, |n| (0..n).try_for_each(|_| ureq.call(workload))),
            Variant::new(REQWEST_BLOCKING, |n| {
                (0..n).try_for_each(|_| reqwest_blocking.call(workload))
            }),
            Variant::new(RAW_UREQ_TIMEOUT, |n| {
                (0..n).try_for_each(|_| ureq_timeout.call(workload))
            }),
            Variant::new(SDK_BLOCKING, |n| match &sdk_blocking {
                Ok(c) => (0..n).try_for_each(|_| c.call(workload)),
                Err(e) => Err(e.clone()),
            }),
            Variant::new(RAW_HYPER, |n| {
                rt.block_on(async {
                    for _ in 0..n {
                        hyper.call(workload).await?;
                    }
                    Ok(())
                })
            }),
            Variant::new(RAW_HYPER_TIMEOUT, |n| {
                rt.block_on(async {
                    for _ in 0..n {
                        hyper
                            .call_with_timeout(workload, Duration::from_mins(1))
                            .await?;
                    }
                    Ok(())
                })
            }),
            Variant::new(REQWEST_ASYNC, |n| {
                rt.block_on(async {
                    for _ in 0..n {
                        reqwest_async.call(workload).await?;
                    }
                    Ok(())
                })
            }),
            Variant::new(SDK_ASYNC, |n| {
                let client = sdk_async.as_ref().map_err(Clone::clone)?;
                rt.block_on(async {
                    for _ in 0..n {
                        client.call(workload).await?;
                    }
                    Ok(())
                })
            }),
        ];
        eprintln!("workload {}", workload.label());
        let stats = runner::run(&mut variants, plan);
        drop(variants);
        report.push(&workload_table(
            workload.label(),
            &stats,
            "Per call, sequential.",
        ));
        report.push(&ratio_lines(
            &stats,
            &[
                (SDK_BLOCKING, RAW_UREQ),
                (SDK_BLOCKING, REQWEST_BLOCKING),
                (RAW_UREQ_TIMEOUT, RAW_UREQ),
                (SDK_ASYNC, RAW_HYPER),
                (RAW_HYPER_TIMEOUT, RAW_HYPER),
                (SDK_ASYNC, REQWEST_ASYNC),
            ],
        ));
        if workload != Workload::GetVideo {
            for (sdk, raw) in [(SDK_BLOCKING, RAW_UREQ), (SDK_ASYNC, RAW_HYPER)] {
                report.ratio_target(
                    format!("{} {sdk} / {raw} (raw typed)", workload.label()),
                    throughput_ratio(&stats, sdk, raw),
                    0.95,
                );
            }
        }
        for (sdk, rq) in [(SDK_BLOCKING, REQWEST_BLOCKING), (SDK_ASYNC, REQWEST_ASYNC)] {
            report.ratio_target(
                format!("{} {sdk} / {rq}", workload.label()),
                throughput_ratio(&stats, sdk, rq),
                1.0,
            );
        }
    }

    // 32 requests in flight on one task each, `GET /v3/videos/{id}`.
    let workload = Workload::GetVideo;
    let mut variants = vec![
        Variant::new(RAW_HYPER, |n| {
            rt.block_on(in_flight(n, hyper.clone(), move |c| async move {
                c.call(workload).await
            }))
        }),
        Variant::new(REQWEST_ASYNC, |n| {
            rt.block_on(in_flight(n, reqwest_async.clone(), move |c| async move {
                c.call(workload).await
            }))
        }),
        Variant::new(SDK_ASYNC, |n| {
            let client = sdk_async.as_ref().map_err(Clone::clone)?.clone();
            rt.block_on(in_flight(n, client, move |c| async move {
                c.call(workload).await
            }))
        }),
    ];
    eprintln!("workload 32 in flight");
    let stats = runner::run(&mut variants, plan);
    drop(variants);
    report.push(&workload_table(
        &format!(
            "Async, {IN_FLIGHT} requests in flight: {}",
            workload.label()
        ),
        &stats,
        "Time per call = block time / calls (a pool of up to 32 connections).",
    ));
    report.push(&ratio_lines(
        &stats,
        &[(SDK_ASYNC, RAW_HYPER), (SDK_ASYNC, REQWEST_ASYNC)],
    ));
    report.ratio_target(
        format!("async {IN_FLIGHT} in flight {SDK_ASYNC} / {RAW_HYPER}"),
        throughput_ratio(&stats, SDK_ASYNC, RAW_HYPER),
        0.9,
    );
    report.ratio_target(
        format!("async {IN_FLIGHT} in flight {SDK_ASYNC} / {REQWEST_ASYNC}"),
        throughput_ratio(&stats, SDK_ASYNC, REQWEST_ASYNC),
        1.0,
    );
    Ok(())
}

/// Runs `n` calls on [`IN_FLIGHT`] tasks, each with its own clone of `client`.
async fn in_flight<C, F, Fut>(n: u64, client: C, call: F) -> Result<(), String>
where
    C: Clone + Send + 'static,
    F: Fn(C) -> Fut + Copy + Send + 'static,
    Fut: Future<Output = Result<(), String>> + Send,
{
    let mut set = tokio::task::JoinSet::new();
    for task in 0..IN_FLIGHT {
        let calls = n / IN_FLIGHT + u64::from(task < n % IN_FLIGHT);
        let client = client.clone();
        set.spawn(async move {
            for _ in 0..calls {
                call(client.clone()).await?;
            }
            Ok::<(), String>(())
        });
    }
    while let Some(joined) = set.join_next().await {
        joined.map_err(|e| format!("task: {e}"))??;
    }
    Ok(())
}

fn decode_only(plan: &Plan, report: &mut Report) {
    let page = fixtures::looks_page();
    let mut variants = decode::variants(&page);
    eprintln!("workload decode only");
    let stats = runner::run(&mut variants, plan);
    drop(variants);
    report.push("## Decode only (no network)\n\n");
    report.push(&workload_table(
        &format!(
            "Looks page: {} looks, {} bytes",
            fixtures::LOOKS_PER_PAGE,
            page.len()
        ),
        &stats,
        "Per decode of the whole page. `(diag)` rows split the SDK's cost; they are not targets.",
    ));
    report.push(&ratio_lines(
        &stats,
        &[
            (decode::SDK, decode::PLAIN),
            (decode::MODEL, decode::PLAIN),
            (decode::MODEL_PATH, decode::PLAIN),
            (decode::SCAN_THEN_MODEL, decode::PLAIN),
        ],
    ));
    report.ratio_target(
        "looks-page decode: SDK / plain serde into owned structs".to_owned(),
        throughput_ratio(&stats, decode::SDK, decode::PLAIN),
        1.0,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options() {
        let o = parse_options(&[
            "--quick".to_owned(),
            "--upload-mib".to_owned(),
            "8".to_owned(),
        ])
        .unwrap();
        assert!(o.quick && o.upload && o.requests && o.instructions);
        assert!(
            !parse_options(&["--skip-instructions".to_owned()])
                .unwrap()
                .instructions
        );
        assert_eq!(o.upload_mib, Some(8));
        assert!(parse_options(&["--nope".to_owned()]).is_err());
        assert!(parse_options(&["--out".to_owned()]).is_err());
    }
}
