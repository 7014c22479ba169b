//! Repository rules the compiler cannot check: layering of the crates and module documentation.
//!
//! Each rule returns a list of human-readable problems; `run` collects all of them so one run
//! reports everything at once. The same checks run as a `#[test]` so `cargo test` catches drift.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Crates that perform IO, run an executor or speak HTTP; the model must depend on none of them.
const IO_CRATES: &[&str] = &[
    "http",
    "tokio",
    "hyper",
    "hyper-util",
    "hyper-rustls",
    "ureq",
    "reqwest",
    "mio",
    "socket2",
    "rustls",
    "axum",
    "async-trait",
    "futures-util",
];

/// Crates the sans-IO core must not depend on.
const CORE_FORBIDDEN: &[&str] = &[
    "tokio",
    "hyper",
    "hyper-util",
    "hyper-rustls",
    "ureq",
    "reqwest",
    "mio",
    "socket2",
    "rustls",
    "axum",
    "async-trait",
];

/// Source patterns that mean IO, threads or the OS clock, forbidden in `crates/heygen-core/src`.
const CORE_FORBIDDEN_SOURCE: &[&str] = &[
    "std::net",
    "std::fs",
    "std::thread",
    "Instant::now",
    "SystemTime::now",
];

/// Workflow decisions that belong in `heygen-core`; a client crate's sources must not name them
/// (a client only runs the core's workflows).
const CLIENT_FORBIDDEN_SOURCE: &[&str] = &[
    "Poller",
    "Paginator",
    "UploadMethod::for_",
    "check_direct_upload_size",
    "MAX_MULTIPART",
    "WaitGoal::",
    "retry::decide",
    "Decision::",
    "for_file(",
];

/// Files of a client that hold its transport glue (HTTP-client specific types), left out of the
/// facade parity check.
const TRANSPORT_FILES: &[&str] = &["transport.rs", "hyper_transport.rs"];

/// Crypto stacks other than rustls + ring; none may appear in a transport's tree.
const OTHER_CRYPTO: &[&str] = &[
    "aws-lc-rs",
    "aws-lc-sys",
    "openssl",
    "openssl-sys",
    "native-tls",
];

/// Runs every tidy rule against the workspace at `root`.
///
/// # Errors
/// Returns every problem found, one line each.
pub(crate) fn run(root: &Path) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    problems.extend(module_docs(root));
    problems.extend(forbidden_deps(root, "heygen-model", IO_CRATES));
    problems.extend(forbidden_deps(root, "heygen-core", CORE_FORBIDDEN));
    problems.extend(forbidden_source(
        &root.join("crates/heygen-core/src"),
        CORE_FORBIDDEN_SOURCE,
    ));
    problems.extend(forbidden_deps(root, "heygen-blocking", &["tokio", "hyper"]));
    for transport in ["heygen-blocking", "heygen-async"] {
        problems.extend(forbidden_deps(root, transport, OTHER_CRYPTO));
        problems.extend(forbidden_client_source(
            &root.join("crates").join(transport).join("src"),
        ));
    }
    problems.extend(facade_parity(
        &root.join("crates/heygen-blocking/src"),
        &root.join("crates/heygen-async/src"),
    ));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Every `.rs` file under a crate's `src/` starts with `//!` module documentation.
fn module_docs(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for dir in ["crates", "xtask"] {
        collect_sources(&root.join(dir), &mut files);
    }
    files
        .iter()
        .filter(|file| {
            let in_src = file.components().any(|part| part.as_os_str() == "src");
            in_src && !file.components().any(|part| part.as_os_str() == "target")
        })
        .filter_map(|file| {
            let text = fs::read_to_string(file).ok()?;
            let first = text.lines().map(str::trim).find(|line| !line.is_empty())?;
            (!first.starts_with("//!")).then(|| {
                format!(
                    "{}: module has no `//!` documentation at the top",
                    file.strip_prefix(root).unwrap_or(file).display()
                )
            })
        })
        .collect()
}

fn collect_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name != "target") {
                collect_sources(&path, out);
            }
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The package names in the normal (non-dev, non-build) dependency tree of `package`.
fn normal_dependencies(root: &Path, package: &str) -> Result<Vec<String>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "tree",
            "--package",
            package,
            "--edges",
            "normal",
            "--all-features",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(root)
        .output()
        .map_err(|error| format!("could not run cargo tree: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo tree -p {package} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect())
}

fn forbidden_deps(root: &Path, package: &str, forbidden: &[&str]) -> Vec<String> {
    match normal_dependencies(root, package) {
        Err(problem) => vec![problem],
        Ok(deps) => {
            let mut found: Vec<String> = deps
                .iter()
                .filter(|dep| forbidden.contains(&dep.as_str()))
                .map(|dep| format!("{package} must not depend on `{dep}` (normal dependency tree)"))
                .collect();
            found.sort();
            found.dedup();
            found
        }
    }
}

fn forbidden_client_source(dir: &Path) -> Vec<String> {
    forbidden_source(dir, CLIENT_FORBIDDEN_SOURCE)
        .into_iter()
        .map(|p| {
            p.replace(
                "the sans-IO core",
                "a client: the decision belongs in heygen-core",
            )
        })
        .collect()
}

/// The names of the public functions declared in a client's sources, transport files aside
/// (methods generated from `heygen_core::endpoints!` are the same on both sides by construction).
fn public_functions(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    collect_sources(dir, &mut files);
    let mut names = Vec::new();
    for file in files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if TRANSPORT_FILES.contains(&name) {
            continue;
        }
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        for line in text.lines() {
            let Some(mut rest) = line.trim_start().strip_prefix("pub ") else {
                continue;
            };
            // Qualifiers may come in any order a signature allows: `pub const unsafe fn`, …
            while let Some(after) = ["const ", "async ", "unsafe ", "extern \"C\" "]
                .iter()
                .find_map(|q| rest.strip_prefix(q))
            {
                rest = after;
            }
            if let Some(rest) = rest.strip_prefix("fn ") {
                let ident: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !ident.is_empty() {
                    names.push(ident);
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The names a client re-exports at its root (`pub use …;` in `lib.rs`, braces expanded; the
/// core's shared list counts as one name), transport types aside.
fn root_exports(dir: &Path) -> Vec<String> {
    let Ok(text) = fs::read_to_string(dir.join("lib.rs")) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    let mut statement = String::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with("heygen_core::__client_exports!") {
            names.push("heygen_core::__client_exports!".to_owned());
            continue;
        }
        if statement.is_empty() && !line.starts_with("pub use ") {
            continue;
        }
        statement.push_str(line);
        if !line.ends_with(';') {
            continue;
        }
        let body = statement
            .trim_start_matches("pub use ")
            .trim_end_matches(';');
        let list = body.find('{').map_or(body, |open| &body[open + 1..]);
        for item in list.trim_end_matches('}').split(',') {
            let name = item.split(" as ").last().unwrap_or(item);
            let name = name.rsplit("::").next().unwrap_or(name).trim();
            if !name.is_empty() && !TRANSPORT_EXPORTS.contains(&name) {
                names.push(name.to_owned());
            }
        }
        statement.clear();
    }
    names.sort();
    names.dedup();
    names
}

/// Root exports that name a client's own transport or runtime types, allowed to differ.
const TRANSPORT_EXPORTS: &[&str] = &[
    "UreqTransport",
    "HyperTransport",
    "BodyStream",
    "BoxReader",
    "ItemStream",
    "Pages",
];

/// Both clients declare the same public functions and re-export the same names at their root:
/// a method or a type on one side and not the other is a problem.
fn facade_parity(blocking: &Path, asynchronous: &Path) -> Vec<String> {
    let mut problems = parity(
        &root_exports(blocking),
        &root_exports(asynchronous),
        blocking,
        asynchronous,
        "re-exported at the root",
    );
    problems.extend(parity(
        &public_functions(blocking),
        &public_functions(asynchronous),
        blocking,
        asynchronous,
        "public",
    ));
    problems
}

fn parity(
    left: &[String],
    right: &[String],
    blocking: &Path,
    asynchronous: &Path,
    what: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    for name in left.iter().filter(|n| !right.contains(n)) {
        problems.push(format!(
            "`{name}` is {what} in {} but not in {}",
            blocking.display(),
            asynchronous.display()
        ));
    }
    for name in right.iter().filter(|n| !left.contains(n)) {
        problems.push(format!(
            "`{name}` is {what} in {} but not in {}",
            asynchronous.display(),
            blocking.display()
        ));
    }
    problems
}

fn forbidden_source(dir: &Path, patterns: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    collect_sources(dir, &mut files);
    let mut problems = Vec::new();
    for file in files {
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        for (number, line) in text.lines().enumerate() {
            for pattern in patterns {
                if line.contains(pattern) {
                    problems.push(format!(
                        "{}:{}: `{pattern}` is not allowed in the sans-IO core",
                        file.display(),
                        number + 1
                    ));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository obeys every tidy rule; runs under `cargo test` so drift fails the build.
    #[test]
    fn repository_is_tidy() {
        let root = crate::workspace_root();
        if let Err(problems) = run(&root) {
            panic!("tidy found problems:\n{}", problems.join("\n"));
        }
    }

    #[test]
    fn forbidden_source_finds_the_clock_and_sockets() {
        let dir = std::env::temp_dir().join(format!("xtask-tidy-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("bad.rs"),
            "//! doc\nfn f() { let _ = std::time::Instant::now(); }\nuse std::net::TcpStream;\n",
        )
        .unwrap();
        let problems = forbidden_source(&dir, CORE_FORBIDDEN_SOURCE);
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("Instant::now"));
        assert!(problems[1].contains("std::net"));
    }

    #[test]
    fn facade_parity_flags_a_method_on_one_client_only() {
        let dir = std::env::temp_dir().join(format!("xtask-parity-{}", std::process::id()));
        let (a, b) = (dir.join("a"), dir.join("b"));
        fs::create_dir_all(&a).unwrap();
        fs::create_dir_all(&b).unwrap();
        fs::write(
            a.join("lib.rs"),
            "//! a\npub use x::{Shared, OnlyA};\npub fn run() {}\npub fn extra() {}\n\
             pub const fn konst() {}\npub unsafe fn danger() {}\n",
        )
        .unwrap();
        fs::write(
            b.join("lib.rs"),
            "//! b\npub use x::{\n    Shared,\n    HyperTransport,\n};\npub async fn run() {}\n\
             pub const unsafe fn danger() {}\n",
        )
        .unwrap();
        fs::write(b.join("transport.rs"), "//! glue\npub fn only_here() {}\n").unwrap();
        let problems = facade_parity(&a, &b);
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].contains("`OnlyA` is re-exported at the root"),
            "{problems:?}"
        );
        assert!(problems[1].contains("`extra`"), "{problems:?}");
        assert!(problems[2].contains("`konst`"), "{problems:?}");
    }

    #[test]
    fn module_docs_flags_a_file_without_inner_docs() {
        let dir = std::env::temp_dir().join(format!("xtask-docs-{}", std::process::id()));
        let src = dir.join("crates/demo/src");
        fs::create_dir_all(&src).unwrap();
        fs::write(src.join("good.rs"), "//! Documented.\npub fn f() {}\n").unwrap();
        fs::write(src.join("bad.rs"), "pub fn g() {}\n").unwrap();
        let problems = module_docs(&dir);
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("bad.rs"));
    }
}
