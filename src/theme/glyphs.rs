//! Status glyphs: the shapes that carry meaning so that colour never has to alone.

/// One glyph per status the UI shows. Every glyph is exactly one terminal column wide.
///
/// The Unicode glyphs avoid emoji-presentation code points; a few are East Asian
/// "ambiguous" width, which is one column everywhere except CJK-configured terminals
/// (those users can pick `glyphs: ascii`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Glyphs {
    /// Deploy status: succeeded.
    pub succeeded: &'static str,
    /// Deploy status: failed.
    pub failed: &'static str,
    /// Deploy status: in progress.
    pub in_progress: &'static str,
    /// Deploy status: queued.
    pub queued: &'static str,
    /// Deploy status: cancelled.
    pub cancelled: &'static str,
    /// Deploy status: rolled back.
    pub rolled_back: &'static str,
    /// A deploy lock is held.
    pub lock: &'static str,
    /// Impact: improved.
    pub improved: &'static str,
    /// Impact: healthy.
    pub healthy: &'static str,
    /// Impact: ailing.
    pub ailing: &'static str,
    /// Impact: unhealthy.
    pub unhealthy: &'static str,
    /// Impact: still being measured.
    pub pending: &'static str,
    /// Impact: the analysis cannot tell.
    pub inconclusive: &'static str,
    /// Impact: no data.
    pub no_data: &'static str,
    /// An environment is behind (drifted from) another.
    pub drift: &'static str,
    /// Column / segment separator.
    pub separator: &'static str,
    /// Data is stale.
    pub stale: &'static str,
    /// Nothing is known: the source or target fails or has not answered.
    pub unknown: &'static str,
    /// A deploy started while its target was locked.
    pub breach: &'static str,
    /// A protected environment (actions there ask to type its name).
    pub protected: &'static str,
    /// Where a deploy in flight goes, between what runs and what comes: "5.4.1 ▶ 5.5.0".
    pub heading_to: &'static str,
    /// A count that may be higher: some cells are unknown ("≥3 in flight").
    pub at_least: &'static str,
}

impl Glyphs {
    /// The Unicode set (the default).
    pub const UNICODE: Glyphs = Glyphs {
        succeeded: "✓",
        failed: "✗",
        in_progress: "▶",
        queued: "◌",
        cancelled: "–",
        rolled_back: "↺",
        lock: "⊘",
        improved: "▲",
        healthy: "●",
        ailing: "▼",
        unhealthy: "✖",
        pending: "◔",
        inconclusive: "◇",
        no_data: "·",
        drift: "↓",
        separator: "│",
        stale: "≈",
        unknown: "?",
        breach: "‼",
        protected: "!",
        heading_to: "▶",
        at_least: "≥",
    };

    /// The plain-ASCII set, for terminals or fonts without those symbols.
    pub const ASCII: Glyphs = Glyphs {
        succeeded: "+",
        failed: "x",
        in_progress: ">",
        queued: ":",
        cancelled: "-",
        rolled_back: "<",
        lock: "#",
        improved: "^",
        healthy: "o",
        ailing: "v",
        unhealthy: "X",
        pending: "%",
        inconclusive: "=",
        no_data: "_",
        drift: "b",
        separator: "|",
        stale: "~",
        unknown: "?",
        breach: "&",
        protected: "!",
        heading_to: ">",
        at_least: ">",
    };

    /// Whether this is the ASCII set: the screen is then written in plain ASCII throughout.
    pub fn is_ascii(&self) -> bool {
        self.all().iter().all(|(_, g)| g.is_ascii())
    }

    /// The six deploy-status glyphs: succeeded, failed, in progress, queued,
    /// cancelled, rolled back.
    pub const fn deploy_statuses(&self) -> [&'static str; 6] {
        [
            self.succeeded,
            self.failed,
            self.in_progress,
            self.queued,
            self.cancelled,
            self.rolled_back,
        ]
    }

    /// The seven impact glyphs: improved, healthy, ailing, unhealthy, inconclusive, pending,
    /// no data.
    pub const fn impacts(&self) -> [&'static str; 7] {
        [
            self.improved,
            self.healthy,
            self.ailing,
            self.unhealthy,
            self.inconclusive,
            self.pending,
            self.no_data,
        ]
    }

    /// The marks a board cell can carry, which must all differ: the deploy statuses, the
    /// impacts, and lock, breach, drift, stale, unknown, protected.
    pub const fn cell_marks(&self) -> [(&'static str, &'static str); 19] {
        [
            ("succeeded", self.succeeded),
            ("failed", self.failed),
            ("in_progress", self.in_progress),
            ("queued", self.queued),
            ("cancelled", self.cancelled),
            ("rolled_back", self.rolled_back),
            ("improved", self.improved),
            ("healthy", self.healthy),
            ("ailing", self.ailing),
            ("unhealthy", self.unhealthy),
            ("pending", self.pending),
            ("inconclusive", self.inconclusive),
            ("no_data", self.no_data),
            ("lock", self.lock),
            ("breach", self.breach),
            ("drift", self.drift),
            ("stale", self.stale),
            ("unknown", self.unknown),
            ("protected", self.protected),
        ]
    }

    /// Every glyph with its field name (for checks and documentation).
    pub const fn all(&self) -> [(&'static str, &'static str); 22] {
        [
            ("succeeded", self.succeeded),
            ("failed", self.failed),
            ("in_progress", self.in_progress),
            ("queued", self.queued),
            ("cancelled", self.cancelled),
            ("rolled_back", self.rolled_back),
            ("lock", self.lock),
            ("improved", self.improved),
            ("healthy", self.healthy),
            ("ailing", self.ailing),
            ("unhealthy", self.unhealthy),
            ("pending", self.pending),
            ("inconclusive", self.inconclusive),
            ("no_data", self.no_data),
            ("drift", self.drift),
            ("separator", self.separator),
            ("stale", self.stale),
            ("unknown", self.unknown),
            ("breach", self.breach),
            ("protected", self.protected),
            ("heading_to", self.heading_to),
            ("at_least", self.at_least),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::Glyphs;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn every_glyph_is_one_column_wide_in_both_sets() {
        for set in [&Glyphs::UNICODE, &Glyphs::ASCII] {
            for (name, glyph) in set.all() {
                assert_eq!(glyph.width(), 1, "glyph `{name}` = {glyph:?}");
                assert_eq!(glyph.chars().count(), 1, "glyph `{name}` = {glyph:?}");
            }
        }
    }

    #[test]
    fn ascii_set_is_pure_ascii() {
        for (name, glyph) in Glyphs::ASCII.all() {
            assert!(glyph.is_ascii(), "glyph `{name}` = {glyph:?}");
        }
    }

    #[test]
    fn deploy_status_glyphs_are_pairwise_distinct_in_both_sets() {
        for set in [&Glyphs::UNICODE, &Glyphs::ASCII] {
            let glyphs = set.deploy_statuses();
            for (i, a) in glyphs.iter().enumerate() {
                for b in &glyphs[i + 1..] {
                    assert_ne!(a, b, "two deploy statuses share a glyph");
                }
            }
        }
    }

    #[test]
    fn no_two_meanings_on_a_cell_share_a_mark_in_either_set() {
        for set in [&Glyphs::UNICODE, &Glyphs::ASCII] {
            let marks = set.cell_marks();
            for (i, (a, ga)) in marks.iter().enumerate() {
                for (b, gb) in &marks[i + 1..] {
                    assert_ne!(ga, gb, "`{a}` and `{b}` share the mark {ga:?}");
                }
            }
        }
    }

    #[test]
    fn impact_glyphs_are_pairwise_distinct_in_both_sets() {
        for set in [&Glyphs::UNICODE, &Glyphs::ASCII] {
            let glyphs = set.impacts();
            for (i, a) in glyphs.iter().enumerate() {
                for b in &glyphs[i + 1..] {
                    assert_ne!(a, b, "two impacts share a glyph");
                }
            }
        }
    }
}
