//! The difference between the server's clock and this machine's, measured from the `Date` of
//! each response against the midpoint of its attempt.

use std::time::{SystemTime, UNIX_EPOCH};

/// An offset larger than this (in seconds, either way) is corrected for.
pub(crate) const CORRECTION_THRESHOLD: i64 = 5;

/// Server clock minus local clock in whole seconds, from a response's `Date` and the local
/// times the attempt started and its response arrived. `Date` has a resolution of one second
/// (it is the server's time rounded down), so the server's time is taken as its middle.
pub(crate) fn server_ahead(date: &str, started: SystemTime, received: SystemTime) -> Option<i64> {
    let server = httpdate::parse_http_date(date).ok()?;
    let millis = |t: SystemTime| match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i128::try_from(d.as_millis()).unwrap_or(i128::MAX),
        Err(before) => -i128::try_from(before.duration().as_millis()).unwrap_or(i128::MAX),
    };
    let local = (millis(started) + millis(received)) / 2;
    let difference = millis(server) + 500 - local;
    i64::try_from((difference as f64 / 1000.0).round() as i128).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn offset_is_measured_against_the_attempts_midpoint() {
        let started = UNIX_EPOCH + Duration::from_millis(1_700_000_000_000);
        let received = started + Duration::from_millis(800);
        let date = httpdate::fmt_http_date(started + Duration::from_secs(600));
        assert_eq!(server_ahead(&date, started, received), Some(600));
        let date = httpdate::fmt_http_date(started - Duration::from_secs(600));
        assert_eq!(server_ahead(&date, started, received), Some(-600));
        let date = httpdate::fmt_http_date(started);
        assert_eq!(server_ahead(&date, started, received), Some(0));
    }

    #[test]
    fn an_unreadable_date_gives_no_offset() {
        assert_eq!(
            server_ahead("yesterday", SystemTime::now(), SystemTime::now()),
            None
        );
    }
}
