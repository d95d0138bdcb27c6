//! How hard a passphrase is to guess, judged here and only here: the UI shows this verdict
//! and its hints and keeps no estimator of its own.
//!
//! The estimate is the `zxcvbn` crate's (dictionaries of common passwords, names and
//! words, keyboard patterns, repeats, sequences, dates). A passphrase is accepted when it
//! is at least [`super::MIN_PASSPHRASE_CHARS`] characters long and zxcvbn scores it at
//! least [`MIN_SCORE`] of 4 (about 10^10 guesses or more).

use serde::Serialize;

/// The lowest zxcvbn score (0–4) accepted for a new passphrase.
pub const MIN_SCORE: u8 = 3;

/// The core's verdict on a passphrase being chosen. Holds no part of the passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Strength {
    /// zxcvbn's score: 0 (guessed at once) to 4 (very hard to guess).
    pub score: u8,
    /// True when the passphrase may be chosen.
    pub acceptable: bool,
    /// What is wrong, in a sentence, when something is.
    pub warning: Option<String>,
    /// What would make it stronger.
    pub suggestions: Vec<String>,
}

/// Judges `passphrase`, treating the words in `context` (the practice's and therapist's
/// names) as known to a guesser.
pub fn judge(passphrase: &str, context: &[&str]) -> Strength {
    let chars = passphrase.chars().count();
    // zxcvbn's cost grows with length; past this the length rule decides anyway.
    let sample: String = passphrase.chars().take(256).collect();
    // Each name whole, and each of its words.
    let words: Vec<String> = context
        .iter()
        .flat_map(|c| std::iter::once(c.trim()).chain(c.split_whitespace()))
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let entropy = zxcvbn::zxcvbn(&sample, &words);
    let score = entropy.score() as u8;
    let mut warning = entropy
        .feedback()
        .and_then(|f| f.warning())
        .map(|w| w.to_string());
    let mut suggestions: Vec<String> = entropy
        .feedback()
        .map(|f| f.suggestions().iter().map(|s| s.to_string()).collect())
        .unwrap_or_default();
    let long_enough = chars >= super::MIN_PASSPHRASE_CHARS;
    if !long_enough {
        warning = Some(format!(
            "The passphrase must be at least {} characters long.",
            super::MIN_PASSPHRASE_CHARS
        ));
    } else if score < MIN_SCORE && warning.is_none() {
        warning = Some("This passphrase would be easy to guess.".into());
    }
    if score < MIN_SCORE && suggestions.is_empty() {
        suggestions.push("Use four or five uncommon words, with a number or two.".into());
    }
    if score >= MIN_SCORE && long_enough {
        suggestions.clear();
    }
    Strength {
        score,
        acceptable: long_enough && score >= MIN_SCORE,
        warning,
        suggestions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_and_strong_passphrases() {
        let table: &[(&str, bool)] = &[
            ("111111111111", false),
            ("            ", false),
            ("aaaaaaaaaaaaaaaa", false),
            ("password1234", false),
            ("123456789012", false),
            ("qwertyuiopasdf", false),
            ("abcdefghijklmn", false),
            ("iloveyou2024!", false),
            ("short", false),
            ("quiet river morning 42", true),
            ("crash passphrase alpha", true),
            ("command line passphrase 1", true),
            ("a brand new passphrase", true),
            ("decade bench passphrase", true),
            ("élan vital marée 1", true),
        ];
        for (p, ok) in table {
            let s = judge(p, &[]);
            assert_eq!(s.acceptable, *ok, "{p:?}: {s:?}");
            if !ok {
                assert!(s.warning.is_some(), "{p:?} says why");
                assert!(!s.suggestions.is_empty(), "{p:?} says how");
            }
        }
    }

    #[test]
    fn the_practice_names_count_as_known() {
        let p = "Willow Creek Wellness";
        assert!(judge(p, &[]).score >= judge(p, &["Willow Creek Wellness"]).score);
        assert!(!judge(p, &["Willow Creek Wellness"]).acceptable);
    }

    #[test]
    fn the_verdict_never_holds_the_passphrase() {
        let p = "zebra zebra zebra";
        let s = judge(p, &[]);
        let text = format!("{s:?}");
        assert!(!text.contains("zebra"), "{text}");
    }
}
