//! Request accounting: what one poll cycle of one source cost.

/// Requests of one poll cycle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestCounts {
    /// Requests sent (every attempt, whatever the answer).
    pub sent: u32,
    /// Answered `304 Not Modified`: the cached result was used, nothing was parsed, and
    /// GitHub did not count it against the quota.
    pub not_modified: u32,
    /// Answered with an error, or not answered at all.
    pub errors: u32,
    /// Bodies parsed (a 304 parses nothing).
    pub parsed: u32,
}

impl RequestCounts {
    /// Requests that count against an API quota that does not charge for 304 answers.
    pub fn counted(&self) -> u32 {
        self.sent.saturating_sub(self.not_modified)
    }
}
