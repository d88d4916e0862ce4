//! One immutable snapshot of a client's settings: a setter makes a new one, a call keeps the
//! one it started with.

use std::sync::Arc;
use std::time::Duration;

use ureq::Agent;
use ureq::tls::Certificate;

use super::log::Logger;
use super::{DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT};
use crate::error::{Error, Result, printable};
use crate::signing::{Scheme, is_token};

/// `libremoteit/<version>`, the `User-Agent` product of every request.
pub(crate) const LIBRARY_PRODUCT: &str = concat!("libremoteit/", env!("CARGO_PKG_VERSION"));

/// What a call runs with.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) timeout: Duration,
    pub(crate) extra_roots: Arc<Vec<Certificate<'static>>>,
    pub(crate) scheme: Scheme,
    pub(crate) max_retries: u32,
    pub(crate) clock_correction: bool,
    pub(crate) user_agent: String,
    pub(crate) logger: Option<Logger>,
    /// The agent, with its pool of kept-alive connections, for the trusted roots above.
    pub(crate) agent: Agent,
}

impl Settings {
    pub(crate) fn new(agent: Agent) -> Self {
        Settings {
            timeout: DEFAULT_TIMEOUT,
            extra_roots: Arc::new(Vec::new()),
            scheme: Scheme::default(),
            max_retries: DEFAULT_MAX_RETRIES,
            clock_correction: true,
            user_agent: LIBRARY_PRODUCT.to_owned(),
            logger: None,
            agent,
        }
    }
}

/// The `User-Agent` for a caller's product: `<product> libremoteit/<version>`, where `product`
/// is an RFC 9110 token, optionally followed by `/` and another token.
pub(crate) fn user_agent(product: Option<&str>) -> Result<String> {
    let Some(product) = product else {
        return Ok(LIBRARY_PRODUCT.to_owned());
    };
    let token = |t: &str| t.len() <= 128 && is_token(t);
    let valid = match product.split_once('/') {
        Some((name, version)) => token(name) && token(version),
        None => token(product),
    };
    if !valid {
        return Err(Error::invalid_argument(format!(
            "user agent product \"{}\" is not a token with an optional /version (such as myapp/1.2)",
            printable(product, 100)
        )));
    }
    Ok(format!("{product} {LIBRARY_PRODUCT}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_puts_the_product_before_the_library() {
        assert_eq!(user_agent(None).unwrap(), LIBRARY_PRODUCT);
        assert_eq!(
            user_agent(Some("homebridge-remoteit/1.4")).unwrap(),
            format!("homebridge-remoteit/1.4 {LIBRARY_PRODUCT}")
        );
    }

    #[test]
    fn user_agent_product_must_be_a_token() {
        for bad in ["", "my app", "a/b/c", "x\r\ny", "/1", "app/"] {
            assert!(user_agent(Some(bad)).is_err(), "{bad:?}");
        }
    }
}
