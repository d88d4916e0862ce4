//! The roots a client trusts: Mozilla's (bundled), the system's PEM bundle, and CA files.

use std::sync::OnceLock;

use ureq::tls::Certificate;

use crate::fs::{MAX_CA_FILE_BYTES, read_bounded};

/// Mozilla's roots (bundled) plus, where a PEM bundle exists, the system's: read once.
pub(super) fn bundled_and_system_roots() -> &'static [Certificate<'static>] {
    static ROOTS: OnceLock<Vec<Certificate<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .map(|der| Certificate::from_der(der.as_ref()))
            .collect();
        let env_file = std::env::var_os("SSL_CERT_FILE").map(std::path::PathBuf::from);
        let system_file = env_file.into_iter().chain(
            [
                "/etc/ssl/certs/ca-certificates.crt",
                "/etc/pki/tls/certs/ca-bundle.crt",
                "/etc/ssl/ca-bundle.pem",
                "/etc/ssl/cert.pem",
            ]
            .map(Into::into),
        );
        // The first bundle that holds certificates: a garbage SSL_CERT_FILE does not hide the
        // system's own bundle.
        let system = system_file
            .filter_map(|p| read_bounded(&p, MAX_CA_FILE_BYTES).ok())
            .map(|pem| certificates_in(&pem))
            .find(|certs| !certs.is_empty());
        roots.extend(system.unwrap_or_default());
        roots
    })
}

pub(super) fn certificates_in(pem: &[u8]) -> Vec<Certificate<'static>> {
    ureq::tls::parse_pem(pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(cert)) => Some(cert),
            _ => None,
        })
        .collect()
}
