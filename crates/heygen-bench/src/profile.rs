//! `heygen-bench profile VARIANT WORKLOAD CALLS`: one variant making one workload's call `CALLS`
//! times against the fixed-response server, and nothing else, so that a profiler sees only that
//! client. Made for instruction counts, which do not depend on the machine's load:
//!
//! ```text
//! valgrind --tool=callgrind --trace-children=no target/release/heygen-bench profile heygen-async create 2000
//! ```
//!
//! Run it twice with different `CALLS` and subtract to get the cost of one call without the
//! start-up.

use crate::child;
use crate::raw::{RawHyper, RawUreq, ReqwestAsync, ReqwestBlocking, Workload};
use crate::sdk::{SdkAsync, SdkBlocking};

/// The variants, by the name given on the command line.
const VARIANTS: [&str; 6] = [
    "raw-ureq",
    "reqwest-blocking",
    "heygen-blocking",
    "raw-hyper",
    "reqwest-async",
    "heygen-async",
];

fn workload(name: &str) -> Result<Workload, String> {
    match name {
        "create" => Ok(Workload::CreateAvatar),
        "looks" => Ok(Workload::ListLooks),
        "video" => Ok(Workload::GetVideo),
        other => Err(format!(
            "unknown workload {other:?}: use create, looks or video"
        )),
    }
}

/// Parses `VARIANT WORKLOAD CALLS` and runs them.
///
/// # Errors
/// A usage error, or the first failed call.
pub(crate) fn main(args: &[String]) -> Result<(), String> {
    let [variant, work, calls] = args else {
        return Err(format!(
            "usage: heygen-bench profile <{}> <create|looks|video> <calls>",
            VARIANTS.join("|")
        ));
    };
    if !VARIANTS.contains(&variant.as_str()) {
        return Err(format!(
            "unknown variant {variant:?}: use one of {VARIANTS:?}"
        ));
    }
    let work = workload(work)?;
    let calls: u64 = calls
        .parse()
        .map_err(|_| format!("bad number of calls {calls:?}"))?;
    let server = child::Server::start("serve-fixed")?;
    let base = server.base_url.as_str();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    match variant.as_str() {
        "raw-ureq" => {
            let client = RawUreq::new(base);
            (0..calls).try_for_each(|_| client.call(work))
        }
        "reqwest-blocking" => {
            let client = ReqwestBlocking::new(base)?;
            (0..calls).try_for_each(|_| client.call(work))
        }
        "heygen-blocking" => {
            let client = SdkBlocking::new(base)?;
            (0..calls).try_for_each(|_| client.call(work))
        }
        "raw-hyper" => runtime.block_on(async {
            let client = RawHyper::new(base);
            for _ in 0..calls {
                client.call(work).await?;
            }
            Ok(())
        }),
        "reqwest-async" => runtime.block_on(async {
            let client = ReqwestAsync::new(base)?;
            for _ in 0..calls {
                client.call(work).await?;
            }
            Ok(())
        }),
        _ => runtime.block_on(async {
            let client = SdkAsync::new(base)?;
            for _ in 0..calls {
                client.call(work).await?;
            }
            Ok(())
        }),
    }
}
