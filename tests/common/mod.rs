//! Starting the local API double (tests/api_double.py) for Rust integration tests, and the
//! transcript the secrets scan reads (tests/secrets_scan.py).

#![allow(dead_code)]

use std::fmt::Debug;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use remoteit::{Client, Credentials, Error};
use serde_json::Value;

/// Appends `kind<TAB>text` (newlines made spaces) to this process's transcript,
/// `$REMOTEIT_TEST_TRANSCRIPT/rust.<pid>.log`, when scripts/test.sh set that folder; does
/// nothing otherwise. Kinds: `error` (a message), `debug` (a `Debug` output), `log` (a line
/// the client logged).
pub fn record(kind: &str, text: &str) {
    static FILE: OnceLock<Option<Mutex<std::fs::File>>> = OnceLock::new();
    let file = FILE.get_or_init(|| {
        let folder = std::env::var_os("REMOTEIT_TEST_TRANSCRIPT")?;
        let path = Path::new(&folder).join(format!("rust.{}.log", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .unwrap_or_else(|e| panic!("the transcript {}: {e}", path.display()));
        Some(Mutex::new(file))
    });
    if let Some(file) = file {
        let line = format!("{kind}\t{}\n", text.replace(['\n', '\r'], " "));
        let mut file = file.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        file.write_all(line.as_bytes())
            .expect("the transcript takes a line");
    }
}

/// Records `value`'s `Debug` output; returns `value`.
pub fn shown<T: Debug>(value: T) -> T {
    record("debug", &format!("{value:?}"));
    value
}

/// Records an error's message (its `Display`) and its `Debug` output.
pub fn record_error(error: &Error) {
    record("error", &error.to_string());
    record("debug", &format!("{error:?}"));
}

/// `unwrap_err` that records the error (see [`record_error`]).
pub trait Failure {
    /// The error; panics, showing the value, when there is none.
    fn failure(self) -> Error;
}

impl<T: Debug> Failure for Result<T, Error> {
    #[track_caller]
    fn failure(self) -> Error {
        match self {
            Ok(value) => panic!("expected an error, got {value:?}"),
            Err(error) => {
                record_error(&error);
                error
            }
        }
    }
}

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A running API double, stopped when dropped.
pub struct ApiDouble {
    child: Child,
    /// The API URL (`http://127.0.0.1:PORT/graphql/v1` or `https://...`).
    pub url: String,
    url_file: PathBuf,
}

impl ApiDouble {
    /// Starts a plain-HTTP double that accepts the keys of tests/data/credentials.
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts a double with extra command-line arguments.
    pub fn start_with(extra: &[&str]) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let url_file = std::env::temp_dir().join(format!(
            "remoteit-double-{}-{}.url",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let child = Command::new(python)
            .arg(root().join("tests/api_double.py"))
            .args([
                "--port",
                "0",
                "--quiet",
                "--exit-with-parent",
                "--credentials",
            ])
            .arg(root().join("tests/data/credentials"))
            .arg("--url-file")
            .arg(&url_file)
            .args(extra)
            .stdout(Stdio::null())
            .spawn()
            .expect("python3 runs the API double");
        let mut double = ApiDouble {
            child,
            url: String::new(),
            url_file: url_file.clone(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while double.url.is_empty() {
            if let Ok(url) = std::fs::read_to_string(&url_file) {
                double.url = url.trim().to_owned();
            } else if Instant::now() > deadline {
                panic!("the API double did not start within 20 s");
            } else {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        double
    }

    /// Starts an HTTPS double with the test certificates (made by tests/gen_test_certs.sh).
    pub fn start_https() -> Self {
        let certs = certs_dir();
        let cert = certs.join("server.pem");
        let key = certs.join("server.key");
        Self::start_with(&[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ])
    }

    fn control_url(&self, what: &str) -> String {
        let base = self
            .url
            .rsplit_once("/graphql/")
            .map_or(self.url.as_str(), |(b, _)| b);
        format!("{base}/_control/{what}")
    }

    /// Injects a fault into the next API request (`{"kind": ...}`), over plain HTTP.
    pub fn fault(&self, fault: Value) {
        control_agent()
            .post(&self.control_url("fault"))
            .send(fault.to_string().as_bytes())
            .expect("the double takes the fault");
    }

    /// POSTs `body` to the control endpoint `what` (`fixture`, `paging`, ...).
    pub fn control(&self, what: &str, body: Value) {
        control_agent()
            .post(&self.control_url(what))
            .send(body.to_string().as_bytes())
            .unwrap_or_else(|e| panic!("the double takes /_control/{what}: {e}"));
    }

    /// The number of API requests the double counted under `key` (`field:login`,
    /// `kind:rest`, ...; see its CONTROL_HELP).
    pub fn attempts(&self, key: &str) -> u64 {
        let body = control_agent()
            .get(&format!("{}?key={key}", self.control_url("attempts")))
            .call()
            .expect("the double answers attempts")
            .body_mut()
            .read_to_string()
            .unwrap();
        let value: Value = serde_json::from_str(&body).unwrap();
        value["attempts"].as_u64().expect("a count of attempts")
    }

    /// The double's counters.
    pub fn stats(&self) -> Value {
        let body = control_agent()
            .get(&self.control_url("stats"))
            .call()
            .expect("the double answers stats")
            .body_mut()
            .read_to_string()
            .unwrap();
        serde_json::from_str(&body).unwrap()
    }

    /// A client of this double with the credentials of `file` (in tests/data); both are
    /// recorded (see [`shown`]).
    pub fn client(&self, file: &str) -> Client {
        let creds = Credentials::from_file(&root().join("tests/data").join(file), None).unwrap();
        shown(Client::new(Arc::new(shown(creds)), Some(&self.url)).unwrap())
    }
}

impl Drop for ApiDouble {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.url_file);
    }
}

/// An agent for the control endpoints: straight to the double, whatever proxy the
/// environment names.
fn control_agent() -> ureq::Agent {
    ureq::Agent::config_builder().proxy(None).build().into()
}

/// The test certificates, made once per test process.
pub fn certs_dir() -> PathBuf {
    static MADE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    MADE.get_or_init(|| {
        let dir = root().join("target/test-certs");
        let status = Command::new("bash")
            .arg(root().join("tests/gen_test_certs.sh"))
            .arg(&dir)
            .status()
            .expect("bash runs tests/gen_test_certs.sh");
        assert!(
            status.success(),
            "tests/gen_test_certs.sh failed (is openssl installed?)"
        );
        dir
    })
    .clone()
}

/// A port on 127.0.0.1 where nothing listens.
pub fn refused_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
