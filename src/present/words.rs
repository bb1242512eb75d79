//! Words the screen and the text commands share: counts with their noun, who holds a lock,
//! text cut to a width.

use unicode_width::UnicodeWidthStr;

use crate::model::Lock;

/// "1 lock", "3 locks": `one` or `many` after `n`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Who holds a lock and where it comes from: "bob (manual)", or "schedule" once.
pub fn holder(lock: &Lock) -> String {
    if lock.by == lock.origin.label() {
        lock.by.clone()
    } else {
        format!("{} ({})", lock.by, lock.origin.label())
    }
}

/// `text` cut to `width` columns, with an ellipsis when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_with_an_ellipsis_only_when_it_does_not_fit() {
        assert_eq!(truncate("checkout", 8), "checkout");
        assert_eq!(truncate("checkout", 5), "chec…");
        assert_eq!(truncate("checkout", 0), "");
    }
}
