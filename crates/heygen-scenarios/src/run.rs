//! Running the table against a client on the emulator.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use heygen_core::{Config, Error, PollPolicy, RetryPolicy, Timeouts};
use heygen_emulator::{Emulator, EmulatorHandle, EmulatorOptions, LoggedRequest};
use serde_json::Value;

use crate::dispatch::ScenarioClient;
use crate::outcome::{Expect, Outcome};
use crate::table::{FileKind, Observe, Scenario, Setup, Tweaks, scenarios};

/// The environment variable the transports' table tests read: run only the scenarios whose
/// name contains its value.
pub const FILTER_ENV: &str = "HEYGEN_SCENARIO";

/// The result of one scenario.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ScenarioResult {
    /// The scenario's name.
    pub name: &'static str,
    /// What it shows.
    pub about: &'static str,
    /// What the action returned (`None` when setup failed).
    pub outcome: Option<Outcome>,
    /// Every mismatch; empty when the scenario passed.
    pub problems: Vec<String>,
    /// Requests the emulator saw during the action.
    pub requests: usize,
    /// How long the action took.
    pub elapsed: Duration,
}

impl ScenarioResult {
    /// Whether the scenario passed.
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The results of a whole run.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Report {
    /// One result per scenario, in table order.
    pub results: Vec<ScenarioResult>,
}

impl Report {
    /// Whether every scenario passed.
    pub fn all_passed(&self) -> bool {
        self.results.iter().all(ScenarioResult::passed)
    }

    /// The names of the failed scenarios.
    pub fn failures(&self) -> Vec<&'static str> {
        self.results
            .iter()
            .filter(|r| !r.passed())
            .map(|r| r.name)
            .collect()
    }

    /// The outcome of each scenario by name, for comparing two clients.
    pub fn outcomes(&self) -> Vec<(&'static str, Option<Outcome>)> {
        self.results
            .iter()
            .map(|r| (r.name, r.outcome.clone()))
            .collect()
    }
}

/// The fields of two error summaries that must agree between clients.
fn error_key(e: &crate::outcome::ErrorSummary) -> impl PartialEq + fmt::Debug + '_ {
    (
        e.kind.as_str(),
        e.class.as_str(),
        e.status,
        e.api_code.as_deref(),
        e.retryable,
        e.timeout,
        e.retry_after_secs,
        e.transport_kind.as_deref(),
        e.asset_id.is_some(),
        e.has_request_id,
    )
}

/// The shape of a success value: the same key sets and types at every level, and the same
/// `status`, `state` and `count` values.
fn same_shape(path: &str, left: &Value, right: &Value, problems: &mut Vec<String>) {
    match (left, right) {
        (Value::Object(x), Value::Object(y)) => {
            let kx: Vec<_> = x.keys().collect();
            let ky: Vec<_> = y.keys().collect();
            if kx != ky {
                problems.push(format!("{path}: keys {kx:?} vs {ky:?}"));
                return;
            }
            for (k, v) in x {
                let p = format!("{path}/{k}");
                if matches!(k.as_str(), "status" | "state" | "count") && Some(v) != y.get(k) {
                    problems.push(format!("{p}: {v} vs {}", y.get(k).unwrap_or(&Value::Null)));
                } else if let Some(w) = y.get(k) {
                    same_shape(&p, v, w, problems);
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                problems.push(format!("{path}: {} items vs {}", x.len(), y.len()));
                return;
            }
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                same_shape(&format!("{path}/{i}"), v, w, problems);
            }
        }
        (x, y) if std::mem::discriminant(x) != std::mem::discriminant(y) => {
            problems.push(format!("{path}: {x} vs {y}"));
        }
        _ => {}
    }
}

impl Report {
    /// Where two clients' runs of the table disagree: a scenario missing from one side,
    /// success on one side and failure on the other, errors that differ in anything but their
    /// text, or success values of another shape. Empty means parity.
    pub fn parity_problems(&self, other: &Report) -> Vec<String> {
        let mut problems = Vec::new();
        for a in &self.results {
            let Some(b) = other.results.iter().find(|b| b.name == a.name) else {
                problems.push(format!("{}: missing on the other side", a.name));
                continue;
            };
            match (&a.outcome, &b.outcome) {
                (Some(Outcome::Err(x)), Some(Outcome::Err(y))) => {
                    if error_key(x) != error_key(y) {
                        problems.push(format!(
                            "{}: {:?} vs {:?}",
                            a.name,
                            error_key(x),
                            error_key(y)
                        ));
                    }
                }
                (Some(Outcome::Ok(x)), Some(Outcome::Ok(y))) => {
                    let mut shape = Vec::new();
                    same_shape("", x, y, &mut shape);
                    problems.extend(shape.into_iter().map(|p| format!("{}: {p}", a.name)));
                }
                (x, y) => problems.push(format!(
                    "{}: {} vs {}",
                    a.name,
                    x.as_ref()
                        .map_or_else(|| "none".to_owned(), ToString::to_string),
                    y.as_ref()
                        .map_or_else(|| "none".to_owned(), ToString::to_string)
                )),
            }
        }
        problems
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in &self.results {
            let mark = if r.passed() { "pass" } else { "FAIL" };
            writeln!(
                f,
                "{mark} {:<40} {:>5} ms {:>2} req  {}",
                r.name,
                r.elapsed.as_millis(),
                r.requests,
                r.outcome
                    .as_ref()
                    .map_or_else(|| "(no outcome)".to_owned(), ToString::to_string)
            )?;
            for p in &r.problems {
                writeln!(f, "       - {p}")?;
            }
        }
        let passed = self.results.iter().filter(|r| r.passed()).count();
        writeln!(f, "{passed}/{} scenarios passed", self.results.len())
    }
}

/// The configuration every scenario starts from: short backoffs (50 ms base, 3 s cap, 2 retries),
/// 2 s timeouts (20 s for uploads), a 1 MiB body limit and fast polling, then `tweaks`.
///
/// # Errors
/// When the configuration is refused.
pub fn scenario_config(base_url: &str, api_key: &str, tweaks: &Tweaks) -> Result<Config, Error> {
    let mut retry = RetryPolicy::new()
        .base_delay(Duration::from_millis(tweaks.base_delay_ms.unwrap_or(50)))
        .max_delay(Duration::from_secs(3));
    retry = retry.max_retries(tweaks.max_retries.unwrap_or(2));
    let timeouts = Timeouts::new()
        .connect(Duration::from_secs(2))
        .read(Duration::from_millis(
            tweaks.read_timeout_ms.unwrap_or(2_000),
        ))
        .write(Duration::from_millis(
            tweaks.write_timeout_ms.unwrap_or(2_000),
        ))
        .upload(Duration::from_secs(20));
    Config::builder()
        .base_url(base_url)
        .api_key(api_key)
        .timeouts(timeouts)
        .max_response_bytes(1024 * 1024)
        .retry_policy(retry)
        .poll_policy(
            PollPolicy::new()
                .initial_interval(Duration::from_millis(50))
                .max_interval(Duration::from_millis(200))
                .deadline(Duration::from_secs(5)),
        )
        .build()
}

fn substitute(text: &mut String, vars: &HashMap<String, String>) {
    if !text.contains("${") {
        return;
    }
    for (k, v) in vars {
        let pattern = format!("${{{k}}}");
        if text.contains(&pattern) {
            *text = text.replace(&pattern, v);
        }
    }
}

fn substitute_value(value: &mut Value, vars: &HashMap<String, String>) {
    match value {
        Value::String(s) => substitute(s, vars),
        Value::Array(items) => items.iter_mut().for_each(|v| substitute_value(v, vars)),
        Value::Object(map) => map.values_mut().for_each(|v| substitute_value(v, vars)),
        _ => {}
    }
}

fn write_file(path: &Path, kind: FileKind, size: u64) -> std::io::Result<()> {
    use std::io::Write as _;
    let head: &[u8] = match kind {
        FileKind::Png => b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
        FileKind::Mp4 => b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom",
    };
    let file = std::fs::File::create(path)?;
    let mut out = std::io::BufWriter::new(file);
    let mut written: u64 = 0;
    let take = head.len().min(usize::try_from(size).unwrap_or(usize::MAX));
    out.write_all(&head[..take])?;
    written += take as u64;
    let mut block = vec![0u8; 64 * 1024];
    for (i, b) in block.iter_mut().enumerate() {
        // A repeating, non-constant filler so a byte-level mix-up changes the checksum.
        *b = u8::try_from(i % 251).unwrap_or(0);
    }
    while written < size {
        let n = usize::try_from((size - written).min(block.len() as u64)).unwrap_or(block.len());
        out.write_all(&block[..n])?;
        written += n as u64;
    }
    out.flush()
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') if p.get(1) == Some(&b'*') => (0..=s.len()).any(|i| glob(&p[2..], &s[i..])),
        Some(b'*') => {
            let mut i = 0;
            loop {
                if glob(&p[1..], &s[i..]) {
                    return true;
                }
                if i >= s.len() || s[i] == b'/' {
                    return false;
                }
                i += 1;
            }
        }
        Some(c) => s.first() == Some(c) && glob(&p[1..], &s[1..]),
    }
}

fn matching<'a>(log: &'a [LoggedRequest], method: &str, path: &str) -> Vec<&'a LoggedRequest> {
    log.iter()
        .filter(|r| {
            r.method.eq_ignore_ascii_case(method) && glob(path.as_bytes(), r.path.as_bytes())
        })
        .collect()
}

fn observe(
    spec: &Observe,
    log: &[LoggedRequest],
    other: &[LoggedRequest],
    elapsed: Duration,
    problems: &mut Vec<String>,
) {
    for c in &spec.counts {
        let n = matching(log, c.method, c.path).len();
        if n < c.min || n > c.max {
            let want = if c.min == c.max {
                c.min.to_string()
            } else if c.max == usize::MAX {
                format!("at least {}", c.min)
            } else {
                format!("{}..={}", c.min, c.max)
            };
            problems.push(format!(
                "{} {}: expected {want} requests, saw {n}",
                c.method, c.path
            ));
        }
    }
    if let Some((method, path)) = spec.same_idempotency_key {
        let hits = matching(log, method, path);
        let keys: Vec<Option<&String>> = hits
            .iter()
            .map(|r| r.headers.get("idempotency-key"))
            .collect();
        if hits.is_empty() || keys.iter().any(Option::is_none) {
            problems.push(format!(
                "{method} {path}: every request must carry an Idempotency-Key"
            ));
        } else if keys.windows(2).any(|w| w[0] != w[1]) {
            problems.push(format!(
                "{method} {path}: idempotency keys differ across attempts"
            ));
        }
    }
    if let Some(path) = spec.no_credentials {
        for r in log
            .iter()
            .filter(|r| glob(path.as_bytes(), r.path.as_bytes()))
        {
            if r.headers.contains_key("x-api-key") || r.headers.contains_key("authorization") {
                problems.push(format!("{} {} carried credentials", r.method, r.path));
            }
        }
    }
    if let Some(n) = spec.other_origin_requests
        && other.len() != n
    {
        problems.push(format!(
            "the second origin saw {} requests, expected {n}",
            other.len()
        ));
    }
    if let Some(bytes) = spec.put_bytes {
        for r in log.iter().filter(|r| r.method == "PUT") {
            if r.body_bytes != bytes {
                problems.push(format!(
                    "PUT {} carried {} bytes, expected {bytes}",
                    r.path, r.body_bytes
                ));
            }
        }
    }
    if let Some((method, path, status)) = spec.saw_status
        && !matching(log, method, path)
            .iter()
            .any(|r| r.status == status)
    {
        problems.push(format!("no {method} {path} got status {status}"));
    }
    if let Some(ms) = spec.min_elapsed_ms
        && elapsed < Duration::from_millis(ms)
    {
        problems.push(format!(
            "took {} ms, expected at least {ms} ms",
            elapsed.as_millis()
        ));
    }
    if let Some(ms) = spec.max_elapsed_ms
        && elapsed > Duration::from_millis(ms)
    {
        problems.push(format!(
            "took {} ms, expected at most {ms} ms",
            elapsed.as_millis()
        ));
    }
    // Every API request must carry the key, and no request may reach the second origin with it.
    for r in other {
        if r.credentials_rejected
            || r.headers.contains_key("x-api-key")
            || r.headers.contains_key("authorization")
        {
            problems.push(format!(
                "the second origin received credentials on {} {}",
                r.method, r.path
            ));
        }
    }
}

fn value_at(value: &Value, pointer: &str) -> Option<String> {
    match value.pointer(pointer)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// A clock move or consent decision made while the action runs.
type LaterJob = Box<dyn FnOnce(&EmulatorHandle) + Send>;

#[allow(
    clippy::too_many_lines,
    reason = "setup, action and checks read best in order in one place"
)]
/// Runs one scenario on a (reset) emulator with a client from `make`.
pub fn run_one<C, F>(
    emu: &EmulatorHandle,
    dir: &Path,
    scenario: &Scenario,
    make: &mut F,
) -> ScenarioResult
where
    C: ScenarioClient,
    F: FnMut(Config) -> C,
{
    emu.reset();
    let mut result = ScenarioResult {
        name: scenario.name,
        about: scenario.about,
        outcome: None,
        problems: Vec::new(),
        requests: 0,
        elapsed: Duration::ZERO,
    };
    let config = match scenario_config(&emu.base_url(), emu.api_key(), &scenario.tweaks) {
        Ok(c) => c,
        Err(e) => {
            result.problems.push(format!("config: {e}"));
            return result;
        }
    };
    let mut client = make(config);
    let mut vars = HashMap::new();
    vars.insert("dir".to_owned(), dir.display().to_string());
    let mut later: Vec<(u64, LaterJob)> = Vec::new();
    for step in &scenario.setup {
        match step {
            Setup::File { name, kind, size } => {
                if let Err(e) = write_file(&dir.join(name), *kind, *size) {
                    result.problems.push(format!("setup: writing {name}: {e}"));
                    return result;
                }
            }
            Setup::Call { action, save } => {
                let mut action = action.clone();
                action.map_strings(&mut |s| substitute(s, &vars));
                match action.run(&mut client) {
                    Outcome::Ok(value) => {
                        for (var, pointer) in save {
                            let Some(v) = value_at(&value, pointer) else {
                                result
                                    .problems
                                    .push(format!("setup: no {pointer} in {value}"));
                                return result;
                            };
                            vars.insert((*var).to_owned(), v);
                        }
                    }
                    other @ Outcome::Err(_) => {
                        result.problems.push(format!("setup call failed: {other}"));
                        return result;
                    }
                }
            }
            Setup::Fault(rule) => emu.inject(rule.clone()),
            Setup::Advance { secs } => emu.advance(Duration::from_secs(*secs)),
            Setup::AdvanceLater { after_ms, secs } => {
                let secs = *secs;
                later.push((
                    *after_ms,
                    Box::new(move |e: &EmulatorHandle| e.advance(Duration::from_secs(secs))),
                ));
            }
            Setup::FileLater {
                after_ms,
                name,
                kind,
                size,
            } => {
                let (path, kind, size) = (dir.join(name), *kind, *size);
                later.push((
                    *after_ms,
                    Box::new(move |_: &EmulatorHandle| {
                        // A failed write shows as an unexpected outcome.
                        let _ = write_file(&path, kind, size);
                    }),
                ));
            }
            Setup::ApproveLater { after_ms, group_id } => {
                let mut id = (*group_id).to_owned();
                substitute(&mut id, &vars);
                later.push((
                    *after_ms,
                    Box::new(move |e: &EmulatorHandle| {
                        let _ = e.approve_consent(&id);
                    }),
                ));
            }
        }
    }
    let mut action = scenario.action.clone();
    action.map_strings(&mut |s| substitute(s, &vars));
    let mut expect = scenario.expect.clone();
    match &mut expect {
        Expect::Ok(v) => substitute_value(v, &vars),
        Expect::Err(e) => e
            .message_contains
            .iter_mut()
            .chain(&mut e.message_lacks)
            .for_each(|text| substitute(text, &vars)),
    }
    let log_start = emu.requests().len();
    let other_start = emu.other_origin_requests().len();
    let started = Instant::now();
    let outcome = std::thread::scope(|scope| {
        for (after_ms, job) in later {
            scope.spawn(move || {
                std::thread::sleep(Duration::from_millis(after_ms));
                job(emu);
            });
        }
        action.run(&mut client)
    });
    result.elapsed = started.elapsed();
    let log = emu.requests();
    let log = log.get(log_start..).unwrap_or_default();
    let other = emu.other_origin_requests();
    let other = other.get(other_start..).unwrap_or_default();
    result.requests = log.len();
    result.problems.extend(expect.problems(&outcome));
    observe(
        &scenario.observe,
        log,
        other,
        result.elapsed,
        &mut result.problems,
    );
    result.outcome = Some(outcome);
    result
}

/// Starts an emulator and runs every scenario (optionally only names containing `filter`)
/// with a fresh client from `make` each, on a reset emulator.
///
/// # Errors
/// When the emulator cannot start or the scratch directory cannot be made.
pub fn run_all<C, F>(
    filter: Option<&str>,
    mut make: F,
) -> Result<Report, Box<dyn std::error::Error>>
where
    C: ScenarioClient,
    F: FnMut(Config) -> C,
{
    let emu = Emulator::start(EmulatorOptions::default().seed(7))?;
    let dir = scratch_dir()?;
    let mut report = Report::default();
    for scenario in scenarios() {
        if filter.is_some_and(|f| !scenario.name.contains(f)) {
            continue;
        }
        report
            .results
            .push(run_one(&emu, &dir, &scenario, &mut make));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(report)
}

fn scratch_dir() -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "heygen-scenarios-{}-{}",
        std::process::id(),
        fastrand_suffix()
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn fastrand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn result(name: &'static str, outcome: Outcome) -> ScenarioResult {
        ScenarioResult {
            name,
            about: "",
            outcome: Some(outcome),
            problems: Vec::new(),
            requests: 1,
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn parity_compares_shapes_and_error_fields() {
        let a = Report {
            results: vec![
                result("ok", Outcome::Ok(json!({"id": "x", "status": "completed"}))),
                result("err", Outcome::error(&Error::invalid_request(None, "a"))),
            ],
        };
        let same = Report {
            results: vec![
                result("ok", Outcome::Ok(json!({"id": "y", "status": "completed"}))),
                result("err", Outcome::error(&Error::invalid_request(None, "b"))),
            ],
        };
        assert!(a.parity_problems(&same).is_empty());
        let other = Report {
            results: vec![
                result("ok", Outcome::Ok(json!({"id": "x", "status": "failed"}))),
                result("err", Outcome::Ok(json!({}))),
            ],
        };
        assert_eq!(a.parity_problems(&other).len(), 2);
        assert_eq!(a.parity_problems(&Report::default()).len(), 2);
    }
}
