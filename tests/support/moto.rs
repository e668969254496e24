//! A moto server per test: started on its own free port by `tests/support/moto_server.py`,
//! seeded by `tests/support/seed_moto.py`, killed when dropped.
//!
//! Python comes from `ZTHARDEN_TEST_PYTHON` (set by `scripts/test`), else `.venv/bin/python`.
//! When neither has moto: with `ZTHARDEN_REQUIRE_MOTO=1` the test fails loudly; without it,
//! [`Moto::start`] prints why and returns `None`, and the test returns early:
//!
//! ```ignore
//! let Some(moto) = Moto::start() else { return };
//! let ids = moto.seed();
//! let posture = moto.cloud().await.read_posture(&NoProgress).await?;
//! assert_eq!(canonical(ids.to_fixture_ids(&posture)), canonical(lab_posture()));
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_credential_types::Credentials;
use ztharden::cloud::CloudLabel;
use ztharden::cloud::aws::{AwsClients, AwsCloud};

use super::{ACCOUNT, IdMap, REGION, lab_path, root};

const STARTUP: Duration = Duration::from_secs(60);

/// A running moto server; dropping it kills the server.
pub struct Moto {
    child: Child,
    // Held open: the server exits when this pipe closes, even if the test process dies.
    _stdin: ChildStdin,
    _stdout: BufReader<ChildStdout>,
    log: tempfile::NamedTempFile,
    python: PathBuf,
    pub port: u16,
    pub url: String,
}

/// The Python that has moto, or why there is none.
fn python() -> Result<PathBuf, String> {
    let candidate = match std::env::var_os("ZTHARDEN_TEST_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => root().join(".venv/bin/python"),
    };
    if !candidate.exists() {
        return Err(format!(
            "no Python at {} (run scripts/test, which creates .venv with tests/support/requirements.txt)",
            candidate.display()
        ));
    }
    let ok = Command::new(&candidate)
        .args(["-c", "import moto.server"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if ok {
        Ok(candidate)
    } else {
        Err(format!("{} cannot import moto.server", candidate.display()))
    }
}

fn support_script(name: &str) -> PathBuf {
    root().join("tests/support").join(name)
}

/// The environment every Python helper runs with: fixed test credentials, the fixture's
/// region, nothing from the operator's own AWS setup.
fn test_env(cmd: &mut Command) -> &mut Command {
    for var in [
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_SESSION_TOKEN",
        "AWS_CONFIG_FILE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", REGION)
        .env("AWS_DEFAULT_REGION", REGION)
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
}

impl Moto {
    /// Starts a server with the fixture's account id on a free port. `None` (after printing
    /// why) when moto is missing and `ZTHARDEN_REQUIRE_MOTO` is not `1`.
    pub fn start() -> Option<Self> {
        let python = match python() {
            Ok(p) => p,
            Err(why) if std::env::var("ZTHARDEN_REQUIRE_MOTO").as_deref() == Ok("1") => {
                panic!("moto is required (ZTHARDEN_REQUIRE_MOTO=1) but unavailable: {why}")
            }
            Err(why) => {
                eprintln!("SKIPPED: moto test not run: {why}");
                return None;
            }
        };
        let log = tempfile::NamedTempFile::new().expect("create a moto log file");
        let mut cmd = Command::new(&python);
        test_env(&mut cmd)
            .arg(support_script("moto_server.py"))
            .args(["--port", "0", "--account-id", ACCOUNT, "--stop-on-eof"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log.reopen().expect("reopen the moto log"));
        let mut child = cmd.spawn().expect("spawn the moto server");
        let stdin = child.stdin.take().expect("moto stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("moto stdout"));

        // The first line says where it listens; read it with a deadline.
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut line = String::new();
            let _ = stdout.read_line(&mut line);
            let _ = tx.send(line);
            stdout
        });
        let line = rx.recv_timeout(STARTUP).unwrap_or_default();
        let port = serde_json::from_str::<serde_json::Value>(&line)
            .ok()
            .and_then(|v| v["port"].as_u64())
            .and_then(|p| u16::try_from(p).ok());
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the moto server did not start:\n{line}\n{}",
                read_log(log.path())
            );
        };
        let stdout = reader.join().expect("moto stdout reader");
        Some(Self {
            child,
            _stdin: stdin,
            _stdout: stdout,
            log,
            python,
            port,
            url: format!("http://127.0.0.1:{port}"),
        })
    }

    /// Creates the sandbox scenario in this server; returns the fixture -> moto id map.
    pub fn seed(&self) -> IdMap {
        self.seed_from(&lab_path())
    }

    /// Creates the scenario of another fixture (the serde form of a `Posture`).
    pub fn seed_from(&self, fixture: &Path) -> IdMap {
        let out = test_env(&mut Command::new(&self.python))
            .arg(support_script("seed_moto.py"))
            .arg(&self.url)
            .arg(fixture)
            .output()
            .expect("run seed_moto.py");
        assert!(
            out.status.success(),
            "seed_moto.py failed:\n{}\n--- server log ---\n{}",
            String::from_utf8_lossy(&out.stderr),
            read_log(self.log.path())
        );
        IdMap::from_json(&String::from_utf8_lossy(&out.stdout))
    }

    /// Empties every moto backend (`POST /moto-api/reset`).
    pub fn reset(&self) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to moto");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "POST /moto-api/reset HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )
        .expect("send the reset");
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        assert!(
            response.starts_with("HTTP/1.1 200"),
            "moto reset failed: {response}"
        );
    }

    /// The server's log so far (for failure messages).
    pub fn log(&self) -> String {
        read_log(self.log.path())
    }

    /// SDK clients for this server with static test credentials and quick retries.
    pub async fn clients(&self) -> AwsClients {
        clients_for(&self.url, RetryConfig::standard().with_max_attempts(3)).await
    }

    /// An `AwsCloud` reading this server.
    pub async fn cloud(&self) -> AwsCloud {
        AwsCloud::from_clients(
            self.clients().await,
            CloudLabel::Aws {
                profile: None,
                endpoint_url: Some(self.url.clone()),
            },
        )
    }
}

/// SDK clients for any endpoint URL with the static test credentials and the fixture's region.
pub async fn clients_for(url: &str, retry: RetryConfig) -> AwsClients {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .endpoint_url(url)
        .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
        .retry_config(retry.with_initial_backoff(Duration::from_millis(10)))
        .load()
        .await;
    AwsClients::from_sdk_config(&config).expect("clients for the test endpoint")
}

fn read_log(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let tail: Vec<&str> = text.lines().rev().take(40).collect();
    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
