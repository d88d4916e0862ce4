//! Allocation-free building blocks of the fast signing path: a byte buffer on the stack that
//! moves to the heap only past its size, decimal and IMF-fixdate formatting into arrays, and
//! the signed header fields kept in one buffer.

use std::mem::MaybeUninit;

/// Bytes appended in place: `N` bytes inline, then (only when they do not fit) a `Vec`. The
/// inline bytes are not zeroed first (that memset was a tenth of a signature's cost): only the
/// first `len` are ever read, and `push` writes them.
pub(crate) struct StackBuf<const N: usize> {
    inline: [MaybeUninit<u8>; N],
    /// How many of `inline`'s bytes are written (while `spill` is `None`).
    len: usize,
    spill: Option<Vec<u8>>,
}

impl<const N: usize> StackBuf<N> {
    pub(crate) fn new() -> Self {
        StackBuf {
            inline: [MaybeUninit::uninit(); N],
            len: 0,
            spill: None,
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        if let Some(spill) = &mut self.spill {
            spill.extend_from_slice(bytes);
        } else if let Some(free) = self.inline.get_mut(self.len..self.len + bytes.len()) {
            // SAFETY: `free` is exactly `bytes.len()` bytes of `inline`, which `bytes` (a
            // shared borrow) cannot overlap; `MaybeUninit<u8>` has `u8`'s layout.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    bytes.as_ptr(),
                    free.as_mut_ptr().cast::<u8>(),
                    bytes.len(),
                );
            }
            self.len += bytes.len();
        } else {
            self.spill_with(bytes);
        }
    }

    /// The written inline bytes.
    fn written(&self) -> &[u8] {
        // SAFETY: the first `len` bytes of `inline` were written by `push` or `push_parts`
        // (`len` only grows by what they wrote), and `MaybeUninit<u8>` has `u8`'s layout.
        unsafe { std::slice::from_raw_parts(self.inline.as_ptr().cast::<u8>(), self.len) }
    }

    #[cold]
    fn spill_with(&mut self, bytes: &[u8]) {
        let mut spill = Vec::with_capacity(2 * N + bytes.len());
        spill.extend_from_slice(self.written());
        spill.extend_from_slice(bytes);
        self.spill = Some(spill);
    }

    /// Appends the concatenation of `parts`: one room check for all of them.
    #[inline]
    pub(crate) fn push_parts(&mut self, parts: &[&[u8]]) {
        // Saturating: a sum past usize::MAX (impossible for real slices) is "too long".
        let end = parts
            .iter()
            .fold(self.len, |end, part| end.saturating_add(part.len()));
        if self.spill.is_none() && end <= N {
            let mut at = self.len;
            for part in parts {
                // SAFETY: `at + part.len() <= end <= N` (the sum saturates): inside `inline`, which
                // the shared `part` cannot overlap; `MaybeUninit<u8>` has `u8`'s layout.
                unsafe {
                    std::ptr::copy_nonoverlapping(
                        part.as_ptr(),
                        self.inline.as_mut_ptr().add(at).cast::<u8>(),
                        part.len(),
                    );
                }
                at += part.len();
            }
            self.len = at;
        } else {
            for part in parts {
                self.push(part);
            }
        }
    }

    /// Appends `bytes`, ASCII letters in lower case.
    pub(crate) fn push_lowercase(&mut self, bytes: &[u8]) {
        self.push(bytes);
        self.last_mut(bytes.len()).make_ascii_lowercase();
    }

    /// Appends `bytes`, ASCII letters in upper case.
    pub(crate) fn push_uppercase(&mut self, bytes: &[u8]) {
        self.push(bytes);
        self.last_mut(bytes.len()).make_ascii_uppercase();
    }

    /// The last `n` bytes pushed, to change in place (a whole-slice loop, which vectorizes).
    fn last_mut(&mut self, n: usize) -> &mut [u8] {
        match &mut self.spill {
            Some(spill) => {
                let len = spill.len();
                &mut spill[len - n..]
            }
            None => {
                let written = &mut self.inline[self.len - n..self.len];
                // SAFETY: these bytes were written by the push just before; `MaybeUninit<u8>`
                // has `u8`'s layout.
                unsafe { std::slice::from_raw_parts_mut(written.as_mut_ptr().cast::<u8>(), n) }
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.spill.as_ref().map_or(self.len, Vec::len)
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        match &self.spill {
            Some(spill) => spill,
            None => self.written(),
        }
    }
}

/// `n` in decimal, in the tail of a 20-byte array: `(array, start)`.
pub(crate) fn decimal(mut n: u64) -> ([u8; 20], usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return (digits, start);
        }
    }
}

/// The length of an IMF-fixdate: `Thu, 01 Jan 1970 00:00:00 GMT`.
pub(crate) const IMF_FIXDATE_LEN: usize = 29;

thread_local! {
    /// The last date this thread formatted: signatures made within one second share it.
    static LAST_DATE: std::cell::Cell<(i64, [u8; IMF_FIXDATE_LEN])> =
        const { std::cell::Cell::new((0, *b"Thu, 01 Jan 1970 00:00:00 GMT")) };
}

/// [`imf_fixdate`], from this thread's last answer when the second is the same.
pub(crate) fn imf_fixdate_cached(unix_time: i64) -> [u8; IMF_FIXDATE_LEN] {
    LAST_DATE.with(|last| {
        let (time, date) = last.get();
        if time == unix_time {
            return date;
        }
        let date = imf_fixdate(unix_time);
        last.set((unix_time, date));
        date
    })
}

/// `unix_time` (0 to 9999-12-31 23:59:59) as an IMF-fixdate in GMT, computed from the day
/// number (Hinnant's civil-from-days), without a formatter.
pub(crate) fn imf_fixdate(unix_time: i64) -> [u8; IMF_FIXDATE_LEN] {
    const WEEKDAYS: &[u8; 21] = b"SunMonTueWedThuFriSat";
    const MONTHS: &[u8; 36] = b"JanFebMarAprMayJunJulAugSepOctNovDec";
    let days = unix_time.div_euclid(86_400);
    let second_of_day = unix_time.rem_euclid(86_400) as usize;
    // 1970-01-01 was a Thursday.
    let weekday = (days + 4).rem_euclid(7) as usize;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as usize;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as usize;
    let year = (year_of_era + era * 400 + i64::from(month <= 2)) as usize;

    let mut out = *b"Thu, 01 Jan 1970 00:00:00 GMT";
    out[0..3].copy_from_slice(&WEEKDAYS[weekday * 3..weekday * 3 + 3]);
    two_digits(&mut out[5..7], day);
    out[8..11].copy_from_slice(&MONTHS[(month - 1) * 3..month * 3]);
    two_digits(&mut out[12..14], year / 100);
    two_digits(&mut out[14..16], year % 100);
    two_digits(&mut out[17..19], second_of_day / 3600);
    two_digits(&mut out[20..22], second_of_day / 60 % 60);
    two_digits(&mut out[23..25], second_of_day % 60);
    out
}

fn two_digits(out: &mut [u8], n: usize) {
    out[0] = b'0' + (n / 10) as u8;
    out[1] = b'0' + (n % 10) as u8;
}

/// The most header fields a signature adds (RFC 9421 with a body: four).
const MAX_FIELDS: usize = 4;

/// The header fields a signature adds, names and values in one buffer, each followed by a NUL
/// byte so that a C caller can borrow them as strings: one allocation at most (none while
/// they fit in the inline buffer), wherever the value lives.
pub(crate) struct SignedHeaders {
    bytes: StackBuf<384>,
    /// Where each name and each value starts in `bytes`.
    starts: [usize; 2 * MAX_FIELDS],
    count: usize,
}

impl SignedHeaders {
    pub(crate) fn new() -> Self {
        SignedHeaders {
            bytes: StackBuf::new(),
            starts: [0; 2 * MAX_FIELDS],
            count: 0,
        }
    }

    /// Appends a field whose value is the concatenation of `value_parts`. The caller makes
    /// sure that neither holds a NUL byte and that there is room (at most four fields).
    pub(crate) fn push(&mut self, name: &str, value_parts: &[&[u8]]) {
        self.starts[2 * self.count] = self.bytes.len();
        self.bytes.push_parts(&[name.as_bytes(), b"\0"]);
        self.starts[2 * self.count + 1] = self.bytes.len();
        self.bytes.push_parts(value_parts);
        self.bytes.push(b"\0");
        self.count += 1;
    }

    /// Builds the fields from name/value pairs; `None` when one holds a NUL byte.
    pub(crate) fn from_pairs(pairs: &[(String, String)]) -> Option<Self> {
        let mut headers = SignedHeaders::new();
        for (name, value) in pairs {
            if headers.count == MAX_FIELDS || name.contains('\0') || value.contains('\0') {
                return None;
            }
            headers.push(name, &[value.as_bytes()]);
        }
        Some(headers)
    }

    pub(crate) fn len(&self) -> usize {
        self.count
    }

    /// Field `index`'s name and value, each with its terminating NUL byte.
    pub(crate) fn get_with_nul(&self, index: usize) -> Option<(&[u8], &[u8])> {
        if index >= self.count {
            return None;
        }
        let bytes = self.bytes.as_bytes();
        let end = if index + 1 < self.count {
            self.starts[2 * index + 2]
        } else {
            bytes.len()
        };
        let (name, value) = (self.starts[2 * index], self.starts[2 * index + 1]);
        Some((&bytes[name..value], &bytes[value..end]))
    }

    /// Field `index`'s name and value as text.
    pub(crate) fn get(&self, index: usize) -> Option<(&str, &str)> {
        let (name, value) = self.get_with_nul(index)?;
        Some((without_nul(name), without_nul(value)))
    }

    /// The fields as an HTTP header block: `Name: value` and CRLF for each, in order.
    pub(crate) fn header_block(&self) -> String {
        let mut text = String::with_capacity(self.bytes.len() + 4 * self.count);
        for (name, value) in (0..self.count).filter_map(|i| self.get(i)) {
            text.push_str(name);
            text.push_str(": ");
            text.push_str(value);
            text.push_str("\r\n");
        }
        text
    }

    /// The fields as owned pairs, in order.
    pub(crate) fn to_pairs(&self) -> Vec<(String, String)> {
        (0..self.count)
            .filter_map(|i| self.get(i))
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect()
    }
}

/// The text before the terminating NUL byte (the fields are built from `&str` parts only).
fn without_nul(bytes: &[u8]) -> &str {
    std::str::from_utf8(&bytes[..bytes.len() - 1]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_buf_moves_to_the_heap_past_its_size_and_keeps_every_byte() {
        let mut buf = StackBuf::<4>::new();
        buf.push(b"abc");
        buf.push(b"de");
        buf.push_lowercase(b"FG");
        assert_eq!(buf.as_bytes(), b"abcdefg");
        assert_eq!(buf.len(), 7);
    }

    #[test]
    fn decimal_formats_zero_and_the_largest_u64() {
        let (d, s) = decimal(0);
        assert_eq!(&d[s..], b"0");
        let (d, s) = decimal(u64::MAX);
        assert_eq!(&d[s..], u64::MAX.to_string().as_bytes());
    }

    #[test]
    fn imf_fixdate_cached_follows_the_time() {
        assert_eq!(&imf_fixdate_cached(0), b"Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            &imf_fixdate_cached(1_700_000_000),
            b"Tue, 14 Nov 2023 22:13:20 GMT"
        );
        assert_eq!(
            &imf_fixdate_cached(1_700_000_000),
            b"Tue, 14 Nov 2023 22:13:20 GMT"
        );
        assert_eq!(
            &imf_fixdate_cached(1_700_000_001),
            b"Tue, 14 Nov 2023 22:13:21 GMT"
        );
    }

    #[test]
    fn imf_fixdate_matches_httpdate_at_the_edges() {
        for t in [0, 951_782_400, 1_700_000_000, 253_402_300_799] {
            let expected = httpdate::fmt_http_date(
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(t as u64),
            );
            assert_eq!(imf_fixdate(t).as_slice(), expected.as_bytes(), "{t}");
        }
    }

    #[test]
    fn signed_headers_lend_nul_terminated_names_and_values() {
        let mut headers = SignedHeaders::new();
        headers.push("Date", &[b"now"]);
        headers.push("Signature", &[b"a", b"b"]);
        assert_eq!(
            headers.get_with_nul(0),
            Some((&b"Date\0"[..], &b"now\0"[..]))
        );
        assert_eq!(headers.get(1), Some(("Signature", "ab")));
        assert_eq!(headers.get(2), None);
        assert_eq!(headers.header_block(), "Date: now\r\nSignature: ab\r\n");
    }
}
