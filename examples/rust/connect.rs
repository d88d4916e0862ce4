//! Connect to a service, print its host and port, disconnect: the Rust API directly.
//!
//!     cargo run --example connect -- [--credentials FILE] [--profile NAME] [--api-url URL] SERVICE_ID
//!
//! Against the demo API double: start `python3 tests/api_double.py --credentials
//! examples/demo/credentials --port 8080`, then pass `--credentials examples/demo/credentials
//! --api-url http://127.0.0.1:8080/graphql/v1 80:00:00:00:01:00:00:11`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use remoteit::{Client, Credentials};

fn main() -> ExitCode {
    let mut credentials: Option<PathBuf> = None;
    let mut profile: Option<String> = None;
    let mut api_url: Option<String> = None;
    let mut service_id: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--credentials" => credentials = args.next().map(PathBuf::from),
            "--profile" => profile = args.next(),
            "--api-url" => api_url = args.next(),
            _ => service_id = Some(arg),
        }
    }
    let Some(service_id) = service_id else {
        eprintln!(
            "usage: connect [--credentials FILE] [--profile NAME] [--api-url URL] SERVICE_ID"
        );
        return ExitCode::from(2);
    };
    let run = || -> remoteit::Result<()> {
        let credentials = Credentials::load(credentials.as_deref(), profile.as_deref())?;
        let client = Client::new(Arc::new(credentials), api_url.as_deref())?;
        let connection = client.connect(&service_id)?;
        match connection.port {
            Some(port) => println!("host {} port {port}", connection.host),
            None => println!("reverse proxy {}", connection.url),
        }
        client.disconnect(&connection.id)?;
        println!("disconnected {}", connection.id);
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error ({:?}): {e}", e.kind());
            ExitCode::FAILURE
        }
    }
}
