//! The committed C header must be exactly what cbindgen generates from the sources, and its
//! version macros must agree with Cargo.toml and `remoteit_version()`.
//!
//! `REMOTEIT_BLESS=1 cargo test --test header` rewrites `include/remoteit.h` (`make header`).

use std::ffi::{CStr, c_char};
use std::path::Path;

// The exported C function itself, linked from the library as a C program would use it.
extern crate remoteit;
unsafe extern "C" {
    fn remoteit_version() -> *const c_char;
}

fn generated_header() -> String {
    let crate_dir = env!("CARGO_MANIFEST_DIR");
    let config = cbindgen::Config::from_file(Path::new(crate_dir).join("cbindgen.toml")).unwrap();
    let bindings = cbindgen::generate_with_config(crate_dir, config).expect("cbindgen runs");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).unwrap()
}

#[test]
fn committed_header_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/remoteit.h");
    let generated = generated_header();
    if std::env::var_os("REMOTEIT_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/remoteit.h is stale: run `make header` and commit the result"
    );
}

fn macro_value(header: &str, name: &str) -> String {
    header
        .lines()
        .find_map(|line| line.strip_prefix(&format!("#define {name} ")))
        .unwrap_or_else(|| panic!("{name} is not defined in the header"))
        .trim()
        .to_owned()
}

#[test]
fn header_version_macros_match_cargo_and_runtime() {
    let header =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("include/remoteit.h"))
            .unwrap();
    let from_header = format!(
        "{}.{}.{}",
        macro_value(&header, "REMOTEIT_VERSION_MAJOR"),
        macro_value(&header, "REMOTEIT_VERSION_MINOR"),
        macro_value(&header, "REMOTEIT_VERSION_PATCH"),
    );
    // SAFETY: remoteit_version returns a static NUL-terminated string.
    let runtime = unsafe { CStr::from_ptr(remoteit_version()) }
        .to_str()
        .unwrap();
    assert_eq!(from_header, env!("CARGO_PKG_VERSION"));
    assert_eq!(runtime, env!("CARGO_PKG_VERSION"));
}
