//! libremoteit: Remote.It API credentials, request signing and signed GraphQL calls, in Rust
//! and behind a stable C ABI (`include/remoteit.h`).
//!
//! The Rust API lives in [`credentials`], [`signing`], [`client`] and [`api`]; the C ABI in
//! `ffi` is a thin layer over them.

#![warn(missing_docs)]

pub mod api;
pub mod client;
pub mod credentials;
pub mod error;
mod ffi;
pub mod signing;

pub use api::{ConnectOptions, Connection, ProxyType};
pub use client::Client;
pub use credentials::Credentials;
pub use error::{Error, ErrorKind, Result};
pub use signing::{Request, Scheme};

/// The library version, as in `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
