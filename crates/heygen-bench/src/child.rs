//! Servers in separate processes: this binary re-run as `serve-fixed` or `serve-emulator`.
//!
//! The child prints `listening <base url>` on its first line of stdout and exits when its stdin
//! closes, so it never outlives the benchmark.

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, ChildStdin, Command, Stdio};

/// A server child process; killed when dropped.
pub(crate) struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    /// The base URL it serves (`http://127.0.0.1:PORT`).
    pub(crate) base_url: String,
}

impl Server {
    /// Starts `heygen-bench <mode>` and waits for its `listening` line.
    ///
    /// # Errors
    /// When the process cannot start or does not report an address.
    pub(crate) fn start(mode: &str) -> Result<Self, String> {
        let exe = std::env::current_exe().map_err(|e| format!("current exe: {e}"))?;
        let mut child = Command::new(exe)
            .arg(mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("could not start the {mode} server: {e}"))?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| "no stdout from the server".to_owned())?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("reading the {mode} server's address: {e}"))?;
        let Some(base_url) = line.trim().strip_prefix("listening ") else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("the {mode} server said {line:?}"));
        };
        Ok(Self {
            base_url: base_url.to_owned(),
            stdin,
            child,
        })
    }

    /// The child's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// In the child: reports `base_url`, then blocks until stdin closes.
pub(crate) fn announce_and_wait(base_url: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening {base_url}");
    let _ = out.flush();
    drop(out);
    let mut sink = Vec::new();
    let _ = std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut sink);
}
