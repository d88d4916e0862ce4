//! The client's log: one line per event, up to a chosen level, to a sink the caller gives.
//! Lines hold no secret and no signature value (the signing string, at DEBUG, has neither).

use std::fmt;
use std::sync::Arc;

/// How much a log line matters, most important first; a sink set for a level receives that
/// level and all above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// A call failed.
    Error,
    /// Something was recovered from: a retry, a clock correction, a warning from the API.
    Warn,
    /// Each attempt: method, URL, status and duration.
    Info,
    /// What was signed: the signing string or signature base of each request.
    Debug,
}

/// Where log lines go: called on the thread that makes the call, with each line.
pub type LogSink = Arc<dyn Fn(LogLevel, &str) + Send + Sync>;

/// A sink and the most detailed level it wants.
#[derive(Clone)]
pub(crate) struct Logger {
    max_level: LogLevel,
    sink: LogSink,
}

impl fmt::Debug for Logger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Logger")
            .field("max_level", &self.max_level)
            .finish_non_exhaustive()
    }
}

impl Logger {
    pub(crate) fn new(max_level: LogLevel, sink: LogSink) -> Self {
        Logger { max_level, sink }
    }
}

/// Sends the line `line()` builds to `logger` when it wants `level`; builds nothing otherwise.
pub(crate) fn log(logger: Option<&Logger>, level: LogLevel, line: impl FnOnce() -> String) {
    if let Some(logger) = logger {
        if level <= logger.max_level {
            (logger.sink)(level, &line());
        }
    }
}
