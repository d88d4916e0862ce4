//! libremoteit: Remote.It API credentials, request signing and signed GraphQL calls, in Rust
//! and behind a stable C ABI (`include/remoteit.h`).
//!
//! The Rust API lives in [`credentials`], [`signing`], [`client`] and [`operations`] (with
//! [`target`] for URLs and [`error`] for failures); the C ABI in `ffi` is a thin layer over
//! them. Modules depend on each other in one direction only:
//! `error` ← `key`, `target` ← `credentials` ← `signing` ← `client` ← `operations` ← `ffi`.

#![warn(missing_docs)]

pub mod client;
pub mod credentials;
pub mod error;
mod ffi;
mod key;
pub mod operations;
pub mod signing;
pub mod target;

pub use client::Client;
pub use credentials::Credentials;
pub use error::{Error, ErrorKind, Result};
pub use operations::{ConnectOptions, Connection, Device, ProxyType, Service};
pub use signing::{Request, Scheme};

/// The library version, as in `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
