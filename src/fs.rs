//! Reading a small file that a caller names (a credentials file, a CA bundle) without trusting
//! what is at that path: a FIFO must not block the open, a device (`/dev/zero`,
//! `/dev/urandom`) must not be read until memory runs out, and a file that grows while it is
//! read must not exceed the limit.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

use zeroize::Zeroize;

/// The largest credentials file read: real ones are a few hundred bytes.
pub(crate) const MAX_CREDENTIALS_FILE_BYTES: u64 = 64 * 1024;
/// The largest CA file read: a full bundle of public roots is about 200 KiB.
pub(crate) const MAX_CA_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The bytes of the regular file at `path`, at most `limit` of them. Anything that is not a
/// regular file, or a file larger than `limit`, is an error (`InvalidInput`) whose message
/// says which. The error never holds any of the file's content.
pub(crate) fn read_bounded(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    read_bounded_with_metadata(path, limit).map(|(bytes, _)| bytes)
}

/// [`read_bounded`], also giving the file's metadata (read from the open file, so it describes
/// the file that was read, not whatever the path names a moment later).
pub(crate) fn read_bounded_with_metadata(
    path: &Path,
    limit: u64,
) -> io::Result<(Vec<u8>, Metadata)> {
    let mut file = open_without_blocking(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file but {}", kind_of(&metadata)),
        ));
    }
    if metadata.len() > limit {
        return Err(too_large(limit));
    }
    let bytes = read_at_most(&mut file, metadata.len(), limit)?;
    Ok((bytes, metadata))
}

/// Opens for reading. On unix `O_NONBLOCK` makes the open of a FIFO return at once (instead of
/// waiting for a writer); it changes nothing for a regular file. `O_NOCTTY` keeps a terminal
/// from becoming the process's controlling terminal.
#[cfg(unix)]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Reads at most `limit` bytes (one more shows the file is larger). The buffer starts at the
/// size the file reported; when it must grow, the old one is zeroed, so that no copy of the
/// content (a secret, for a credentials file) is left behind in freed memory.
fn read_at_most(file: &mut File, expected: u64, limit: u64) -> io::Result<Vec<u8>> {
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    let initial = usize::try_from(expected.min(limit)).unwrap_or(0) + 1;
    let mut buf = vec![0u8; initial.min(cap)];
    let mut filled = 0;
    let mut reader = file.take(limit.saturating_add(1));
    loop {
        if filled == buf.len() {
            if filled >= cap {
                break;
            }
            let mut bigger = vec![0u8; (buf.len() * 2).clamp(4096, cap)];
            bigger[..filled].copy_from_slice(&buf[..filled]);
            buf.zeroize();
            buf = bigger;
        }
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                buf.zeroize();
                return Err(e);
            }
        }
    }
    if filled as u64 > limit {
        buf.zeroize();
        return Err(too_large(limit));
    }
    buf.truncate(filled);
    Ok(buf)
}

fn too_large(limit: u64) -> io::Error {
    let shown = if limit % (1024 * 1024) == 0 {
        format!("{} MiB", limit / (1024 * 1024))
    } else {
        format!("{} KiB", limit.div_ceil(1024))
    };
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("the file is larger than the {shown} allowed"),
    )
}

fn kind_of(metadata: &Metadata) -> &'static str {
    let kind = metadata.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_path(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("remoteit-fs-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("file")
    }

    #[test]
    fn a_file_within_the_limit_is_read_whole() {
        let path = temp_path("within");
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_bounded(&path, 10).unwrap(), b"0123456789");
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn a_file_over_the_limit_is_refused_by_its_size() {
        let path = temp_path("over");
        std::fs::write(&path, vec![b'x'; 2049]).unwrap();
        let err = read_bounded(&path, 2048).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(
            err.to_string().contains("larger than the 2 KiB allowed"),
            "{err}"
        );
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn reading_stops_one_byte_past_the_limit_whatever_the_reported_size() {
        // /proc files report a size of 0 and are regular: the size read is what is bounded.
        let path = temp_path("grow");
        std::fs::write(&path, vec![b'x'; 10_000]).unwrap();
        let mut file = File::open(&path).unwrap();
        let err = read_at_most(&mut file, 0, 5_000).unwrap_err();
        assert!(err.to_string().contains("larger than"), "{err}");
        let mut file = File::open(&path).unwrap();
        assert_eq!(read_at_most(&mut file, 0, 10_000).unwrap().len(), 10_000);
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn the_system_ca_bundle_fits_the_ca_file_limit() {
        let bundle = Path::new("/etc/ssl/certs/ca-certificates.crt");
        if bundle.exists() {
            assert!(read_bounded(bundle, MAX_CA_FILE_BYTES).is_ok());
        }
    }

    #[test]
    fn a_directory_is_not_a_regular_file() {
        let err = read_bounded(&std::env::temp_dir(), 100).unwrap_err();
        assert!(err.to_string().contains("a directory"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn dev_zero_is_refused_as_a_character_device() {
        let err = read_bounded(Path::new("/dev/zero"), 100).unwrap_err();
        assert!(err.to_string().contains("a character device"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let path = temp_path("fifo");
        let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let err = read_bounded(&path, 100).unwrap_err();
        assert!(err.to_string().contains("a FIFO"), "{err}");
        std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }
}
