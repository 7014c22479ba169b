//! `heygen auth`: login through the loopback redirect and through the device flow against the
//! emulator's OAuth server (this test plays the browser), API commands with the stored login,
//! the precedence of the environment, status and logout; no token is ever printed.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use heygen_emulator::{Emulator, EmulatorHandle, EmulatorOptions};
use serde_json::Value;

use crate::support::{CANARY, TRANSPORTS, heygen, temp_dir};

fn emulator() -> EmulatorHandle {
    Emulator::start(
        EmulatorOptions::default()
            .api_key(CANARY)
            .oauth_token_secs(2)
            .oauth_device_interval_secs(1),
    )
    .unwrap()
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// The environment of every run: the login file in `dir`, the API and the OAuth server on the
/// emulator, no key.
fn env<'a>(emu_base: &'a str, dir: &'a str, transport: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("HEYGEN_CONFIG_DIR", dir),
        ("HEYGEN_API_BASE", emu_base),
        ("HEYGEN_OAUTH_BASE", emu_base),
        ("HEYGEN_TRANSPORT", transport),
    ]
}

/// Starts `heygen auth login …` with stderr piped, so the test can read what the person sees.
fn spawn_login(args: &[&str], env: &[(&str, &str)]) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_heygen"));
    command.args(["auth", "login", "--client-id", "app_cli", "--no-browser"]);
    command.args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("HEYGEN_") {
            command.env_remove(key);
        }
    }
    command.envs(env.iter().copied());
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command.spawn().unwrap()
}

/// Reads stderr lines until one contains `needle`; returns every line read.
fn read_until(reader: &mut impl std::io::BufRead, needle: &str) -> Vec<String> {
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "stderr ended before {needle:?}: {lines:?}"
        );
        let done = line.contains(needle);
        lines.push(line.trim_end().to_owned());
        if done {
            return lines;
        }
    }
}

/// Loads `url`, presses the form button `button`, and returns the answer's status and
/// `Location`.
fn press(url: &str, button: &str, origin: &str) -> (u16, Option<String>) {
    let agent = agent();
    let page = agent
        .get(url)
        .call()
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    let action = page
        .split("<form")
        .find(|f| f.contains(&format!(">{button}</button>")))
        .and_then(|f| f.split("action=\"").nth(1))
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no {button} form: {page}"))
        .to_owned();
    let answer = agent
        .post(&format!("{origin}{action}"))
        .send_empty()
        .unwrap();
    let location = answer
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (answer.status().as_u16(), location)
}

struct Finished {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Reads the rest of stderr and all of stdout, and waits for the exit.
fn finish(mut child: Child, stderr_seen: &[String], mut rest: impl Read) -> Finished {
    let mut tail = String::new();
    rest.read_to_string(&mut tail).unwrap();
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let status = child.wait().unwrap();
    Finished {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr: format!("{}\n{tail}", stderr_seen.join("\n")),
    }
}

fn token_file(dir: &Path) -> PathBuf {
    dir.join("oauth-tokens.json")
}

fn stored(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(token_file(dir)).unwrap()).unwrap()
}

#[cfg(unix)]
fn assert_private(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", path.display());
}

#[cfg(not(unix))]
fn assert_private(_: &Path) {}

/// No token of the login file appears in `text`.
fn assert_no_token(dir: &Path, texts: &[&str]) {
    let login = stored(dir);
    for name in ["access_token", "refresh_token"] {
        let token = login[name].as_str().unwrap();
        assert!(token.len() > 10);
        for text in texts {
            assert!(!text.contains(token), "{name} leaked: {text}");
        }
    }
}

/// The loopback login: the test opens the printed URL, approves, and follows the redirect to
/// the CLI's listener.
fn loopback_login(emu: &EmulatorHandle, env: &[(&str, &str)]) -> Finished {
    let mut child = spawn_login(&[], env);
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let lines = read_until(&mut stderr, "/oauth/authorize?");
    let url = lines.last().unwrap().trim().to_owned();
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    assert!(url.contains("client_id=app_cli"), "{url}");
    let (status, location) = press(&url, "Approve", &emu.base_url());
    assert_eq!(status, 303);
    let callback = location.unwrap();
    assert!(callback.starts_with("http://127.0.0.1:"), "{callback}");
    let page = agent().get(&callback).call().unwrap();
    assert_eq!(page.status().as_u16(), 200);
    finish(child, &lines, stderr)
}

#[test]
fn loopback_login_then_api_commands_use_and_refresh_the_stored_login() {
    for transport in TRANSPORTS {
        let emu = emulator();
        let base = emu.base_url();
        let dir = temp_dir(&format!("auth-loopback-{transport}"));
        let _ = std::fs::remove_file(token_file(&dir));
        let dir_text = dir.display().to_string();
        let env = env(&base, &dir_text, transport);
        let login = loopback_login(&emu, &env);
        assert_eq!(login.code, 0, "{}", login.stderr);
        let out: Value = serde_json::from_str(&login.stdout).unwrap();
        assert_eq!(out["data"]["logged_in"], true);
        assert_eq!(out["data"]["client_id"], "app_cli");
        assert_eq!(out["data"]["refreshable"], true);
        assert_private(&token_file(&dir));
        assert_no_token(&dir, &[&login.stdout, &login.stderr]);

        // Every API command works with the stored login.
        let run = heygen(&["avatar", "list"], &env);
        let list = run.ok();
        assert!(list["data"].is_array(), "{list}");
        assert_no_token(&dir, &[&run.stdout, &run.stderr]);
        let first = stored(&dir)["access_token"].as_str().unwrap().to_owned();
        // The 2-second token is renewed by a later command, and the file follows.
        std::thread::sleep(Duration::from_millis(1100));
        let run = heygen(&["user", "me"], &env);
        run.ok();
        assert_ne!(stored(&dir)["access_token"].as_str().unwrap(), first);
        assert_private(&token_file(&dir));
        assert_no_token(&dir, &[&run.stdout, &run.stderr]);
        assert!(emu.oauth_refreshes() >= 1);

        // API requests carried the bearer token, never a key.
        let api: Vec<_> = emu
            .requests()
            .into_iter()
            .filter(|r| r.path.starts_with("/v3/"))
            .collect();
        assert!(!api.is_empty());
        assert!(api.iter().all(|r| r.status == 200
            && r.headers.contains_key("authorization")
            && !r.headers.contains_key("x-api-key")));
    }
}

#[test]
fn device_code_login() {
    for transport in TRANSPORTS {
        let emu = emulator();
        let base = emu.base_url();
        let dir = temp_dir(&format!("auth-device-{transport}"));
        let _ = std::fs::remove_file(token_file(&dir));
        let dir_text = dir.display().to_string();
        let env = env(&base, &dir_text, transport);
        let mut child = spawn_login(&["--device-code"], &env);
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let lines = read_until(&mut stderr, "or open ");
        let code_line = lines.iter().find(|l| l.contains("enter the code")).unwrap();
        let user_code = code_line.rsplit(' ').next().unwrap().to_owned();
        let complete = lines
            .last()
            .unwrap()
            .trim_start_matches("or open ")
            .to_owned();
        assert!(complete.contains(&user_code), "{complete}");
        assert_eq!(press(&complete, "Approve", &base).0, 200);
        let done = finish(child, &lines, stderr);
        assert_eq!(done.code, 0, "{}", done.stderr);
        let out: Value = serde_json::from_str(&done.stdout).unwrap();
        assert_eq!(out["data"]["logged_in"], true);
        assert_private(&token_file(&dir));
        assert_no_token(&dir, &[&done.stdout, &done.stderr]);
        let run = heygen(&["avatar", "list"], &env);
        run.ok();
        assert_no_token(&dir, &[&run.stdout, &run.stderr]);
    }
}

#[test]
fn status_precedence_and_logout() {
    let emu = emulator();
    let base = emu.base_url();
    let dir = temp_dir("auth-status");
    let _ = std::fs::remove_file(token_file(&dir));
    let dir_text = dir.display().to_string();
    let env = env(&base, &dir_text, "blocking");

    let none = heygen(&["auth", "status"], &env).ok();
    assert_eq!(none["data"]["credential"], "none");
    assert_eq!(none["data"]["logged_in"], false);
    heygen(&["user", "me"], &env).failed(3, "cli_missing_api_key");

    assert_eq!(loopback_login(&emu, &env).code, 0);
    let status = heygen(&["auth", "status"], &env);
    let value = status.ok();
    assert_eq!(value["data"]["credential"], "login");
    assert_eq!(value["data"]["client_id"], "app_cli");
    assert_eq!(value["data"]["refreshable"], true);
    assert_no_token(&dir, &[&status.stdout]);

    // The environment wins over the file: HEYGEN_ACCESS_TOKEN, and above it the API key.
    let mut with_token = env.clone();
    with_token.push(("HEYGEN_ACCESS_TOKEN", "fixed_token_from_env_123"));
    let run = heygen(&["auth", "status"], &with_token);
    assert_eq!(run.ok()["data"]["credential"], "access_token");
    // The emulator does not know this token: the call is refused, and the token not shown.
    let refused = heygen(&["user", "me"], &with_token);
    refused.failed(3, "unauthorized");
    assert!(!refused.stderr.contains("fixed_token_from_env_123"));
    let mut with_key = with_token.clone();
    with_key.push(("HEYGEN_API_KEY", CANARY));
    assert_eq!(
        heygen(&["auth", "status"], &with_key).ok()["data"]["credential"],
        "api_key"
    );
    heygen(&["user", "me"], &with_key).ok();
    let last = emu.requests().pop().unwrap();
    assert!(last.headers.contains_key("x-api-key"));

    // Logout revokes on the server and deletes the file.
    let access = stored(&dir)["access_token"].as_str().unwrap().to_owned();
    let out = heygen(&["auth", "logout"], &env).ok();
    assert_eq!(out["data"]["logged_out"], true);
    assert_eq!(out["data"]["revoked"], true);
    assert!(!token_file(&dir).exists());
    let revokes = emu
        .oauth_events()
        .iter()
        .filter(|e| e.kind == "revoke")
        .count();
    assert_eq!(revokes, 2);
    let refused = agent()
        .get(&format!("{base}/v3/users/me"))
        .header("Authorization", &format!("Bearer {access}"))
        .call()
        .unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    heygen(&["user", "me"], &env).failed(3, "cli_missing_api_key");
    assert_eq!(
        heygen(&["auth", "logout"], &env).ok()["data"]["logged_out"],
        false
    );
}

#[test]
fn a_redirect_with_another_state_fails_the_login_and_a_silent_browser_times_out() {
    let emu = emulator();
    let base = emu.base_url();
    let dir = temp_dir("auth-state");
    let _ = std::fs::remove_file(token_file(&dir));
    let dir_text = dir.display().to_string();
    let env = env(&base, &dir_text, "blocking");
    let mut child = spawn_login(&[], &env);
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let lines = read_until(&mut stderr, "/oauth/authorize?");
    let url = lines.last().unwrap().trim().to_owned();
    let redirect = url
        .split("redirect_uri=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let redirect = redirect.replace("%3A", ":").replace("%2F", "/");
    // Another page on the listener is ignored; a forged callback ends the login.
    let other = agent()
        .get(&redirect.replace("/oauth/callback", "/favicon.ico"))
        .call()
        .unwrap();
    assert_eq!(other.status().as_u16(), 404);
    let forged = agent()
        .get(&format!("{redirect}?code=stolen&state=forged"))
        .call()
        .unwrap();
    assert_eq!(forged.status().as_u16(), 400);
    let done = finish(child, &lines, stderr);
    assert_eq!(done.code, 3, "{}", done.stderr);
    assert!(done.stderr.contains("cli_login_failed"), "{}", done.stderr);
    assert!(done.stdout.is_empty());
    assert!(!token_file(&dir).exists());
    // Nothing was exchanged.
    assert!(
        emu.oauth_events()
            .iter()
            .all(|e| e.kind != "authorization_code")
    );

    let mut child = spawn_login(&["--timeout", "1"], &env);
    let stderr = child.stderr.take().unwrap();
    let done = finish(child, &[], stderr);
    assert_eq!(done.code, 4, "{}", done.stderr);
    assert!(done.stderr.contains("cli_login_timeout"), "{}", done.stderr);
}

#[test]
fn a_dead_refresh_token_asks_to_log_in_again() {
    let emu = emulator();
    let base = emu.base_url();
    let dir = temp_dir("auth-dead");
    let _ = std::fs::remove_file(token_file(&dir));
    let dir_text = dir.display().to_string();
    let env = env(&base, &dir_text, "async");
    assert_eq!(loopback_login(&emu, &env).code, 0);
    let login = stored(&dir);
    // The refresh token is revoked behind the CLI's back.
    let revoked = agent()
        .post(&format!("{base}/v1/oauth/revoke"))
        .content_type("application/x-www-form-urlencoded")
        .send(format!(
            "token={}&client_id=app_cli",
            login["refresh_token"].as_str().unwrap()
        ))
        .unwrap();
    assert_eq!(revoked.status().as_u16(), 200);
    // Past half the 2-second lifetime the next command must refresh, and cannot.
    std::thread::sleep(Duration::from_millis(1100));
    let run = heygen(&["user", "me"], &env);
    let error = run.failed(3, "cli_login_required");
    assert!(
        error["message"].as_str().unwrap().contains("log in again"),
        "{error}"
    );
    assert_no_token(&dir, &[&run.stdout, &run.stderr]);
}

#[test]
fn parallel_commands_share_an_expiring_login_with_rotating_refresh_tokens() {
    let emu = emulator();
    let base = emu.base_url();
    let dir = temp_dir("auth-parallel");
    let _ = std::fs::remove_file(token_file(&dir));
    let dir_text = dir.display().to_string();
    let env = env(&base, &dir_text, "async");
    assert_eq!(loopback_login(&emu, &env).code, 0);
    let first = stored(&dir)["refresh_token"].as_str().unwrap().to_owned();
    for round in 0..2 {
        // Past half the 2-second lifetime every process must refresh, and only one refresh of
        // the stored refresh token can succeed: the emulator rotates it.
        std::thread::sleep(Duration::from_millis(1100));
        let runs: Vec<_> = (0..6)
            .map(|i| {
                let mut env: Vec<(String, String)> = env
                    .iter()
                    .filter(|(k, _)| *k != "HEYGEN_TRANSPORT")
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect();
                env.push(("HEYGEN_TRANSPORT".into(), TRANSPORTS[i % 2].into()));
                std::thread::spawn(move || {
                    let env: Vec<(&str, &str)> =
                        env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    heygen(&["user", "me"], &env)
                })
            })
            .collect();
        for run in runs {
            let run = run.join().unwrap();
            assert_eq!(run.code, 0, "round {round}: {}", run.stderr);
            assert_no_token(&dir, &[&run.stdout, &run.stderr]);
        }
        assert_private(&token_file(&dir));
    }
    assert_ne!(stored(&dir)["refresh_token"].as_str().unwrap(), first);
    assert!(emu.oauth_refreshes() >= 2);
    // Each write had a temporary file of its own, renamed away.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_corrupt_login_file_is_named_by_status_and_deleted_by_logout() {
    let emu = emulator();
    let base = emu.base_url();
    let dir = temp_dir("auth-corrupt");
    let dir_text = dir.display().to_string();
    let env = env(&base, &dir_text, "blocking");
    std::fs::write(token_file(&dir), r#"{"garbage_canary_text"#).unwrap();
    let run = heygen(&["auth", "status"], &env);
    let error = run.failed(3, "cli_login_unreadable");
    let file = token_file(&dir).display().to_string();
    assert_eq!(error["token_file"], file.as_str(), "{error}");
    assert!(
        error["message"].as_str().unwrap().contains(&file),
        "{error}"
    );
    assert!(
        !run.stderr.contains("garbage_canary_text"),
        "{}",
        run.stderr
    );
    let error = heygen(&["user", "me"], &env).failed(3, "cli_login_unreadable");
    assert_eq!(error["token_file"], file.as_str(), "{error}");

    let run = heygen(&["auth", "logout"], &env);
    assert_eq!(run.code, 0, "{run:?}");
    let out = run.json();
    assert_eq!(out["data"]["logged_out"], true);
    assert_eq!(out["data"]["revoked"], false);
    assert!(run.stderr.contains("deleting it"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("garbage_canary_text"),
        "{}",
        run.stderr
    );
    assert!(!token_file(&dir).exists());
    // Nothing was sent: there was nothing to revoke.
    assert!(emu.oauth_events().iter().all(|e| e.kind != "revoke"));
    let status = heygen(&["auth", "status"], &env).ok();
    assert_eq!(status["data"]["logged_in"], false);
}

#[test]
fn an_html_401_from_the_token_endpoint_asks_to_log_in_again() {
    for transport in TRANSPORTS {
        let emu = emulator();
        let base = emu.base_url();
        let dir = temp_dir(&format!("auth-html-401-{transport}"));
        let _ = std::fs::remove_file(token_file(&dir));
        let dir_text = dir.display().to_string();
        let env = env(&base, &dir_text, transport);
        assert_eq!(loopback_login(&emu, &env).code, 0);
        // A gateway in front of the token endpoint answers with a page, not an OAuth error.
        emu.inject(heygen_emulator::FaultRule::new(
            "/v1/oauth/token",
            crate::support::html_fault(401),
        ));
        std::thread::sleep(Duration::from_millis(1100));
        let run = heygen(&["user", "me"], &env);
        let error = run.failed(3, "cli_login_required");
        assert_eq!(error["status"], 401, "{error}");
        assert!(
            error["message"].as_str().unwrap().contains("log in again"),
            "{error}"
        );
        assert!(!run.stderr.contains("<redacted>"), "{}", run.stderr);
        assert_no_token(&dir, &[&run.stdout, &run.stderr]);
    }
}
