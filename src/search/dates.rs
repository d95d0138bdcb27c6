//! A day in words, as a therapist types it into search: "today", "tomorrow", "yesterday",
//! "Tuesday", "next Tuesday", "last Tuesday", "Dec 8", "8 December", "Dec 8th, 2025",
//! "12/8", "12/8/26", "2026-12-08". Pure: the caller passes the practice's today.
//!
//! A weekday alone (or "this") is the coming one, today if it is that day; "next" is
//! that day of next week (weeks start on Monday), so on a Monday "next Tuesday" is eight
//! days away; "last" is the last one before today. A month and day without a year is the one
//! nearest today, so "Dec 8" typed in January means the December just gone.

use chrono::{Datelike, Days, NaiveDate, Weekday};

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// The day the words name, or `None` when they name no day.
pub fn parse_day(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let lower = text.trim().to_lowercase();
    if lower.is_empty() || lower.len() > 40 {
        return None;
    }
    if let Some(d) = iso(&lower).or_else(|| numeric(&lower, today)) {
        return Some(d);
    }
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        ["today"] => Some(today),
        ["tomorrow"] => today.checked_add_days(Days::new(1)),
        ["yesterday"] => today.checked_sub_days(Days::new(1)),
        [w] => weekday(w).map(|wd| on_or_after(today, wd)),
        ["this", w] => weekday(w).map(|wd| on_or_after(today, wd)),
        ["next", w] => weekday(w).map(|wd| on_or_after(next_monday(today), wd)),
        ["last", w] => weekday(w).and_then(|wd| today.pred_opt().map(|t| on_or_before(t, wd))),
        [a, b] => month_day(a, b, None, today).or_else(|| month_day(b, a, None, today)),
        [a, b, y] => {
            let year = year(y)?;
            month_day(a, b, Some(year), today).or_else(|| month_day(b, a, Some(year), today))
        }
        _ => None,
    }
}

fn weekday(word: &str) -> Option<Weekday> {
    if word.len() < 3 {
        return None;
    }
    WEEKDAYS
        .iter()
        .find(|(name, _)| name.starts_with(word))
        .map(|(_, wd)| *wd)
}

fn month(word: &str) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    let word = word.strip_suffix('.').unwrap_or(word);
    MONTHS
        .iter()
        .position(|m| m.starts_with(word) || (word == "sept" && *m == "september"))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// A day of the month: "8", "08", "8th", "1st", "2nd", "3rd".
fn day(word: &str) -> Option<u32> {
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .unwrap_or(word);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year(word: &str) -> Option<i32> {
    if !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = word.parse().ok()?;
    match word.len() {
        2 => Some(2000 + y),
        4 if (1900..=2200).contains(&y) => Some(y),
        _ => None,
    }
}

fn month_day(m: &str, d: &str, year: Option<i32>, today: NaiveDate) -> Option<NaiveDate> {
    let (m, d) = (month(m)?, day(d)?);
    match year {
        Some(y) => NaiveDate::from_ymd_opt(y, m, d),
        None => nearest(m, d, today),
    }
}

/// Of last year's, this year's and next year's month and day, the one nearest today.
fn nearest(m: u32, d: u32, today: NaiveDate) -> Option<NaiveDate> {
    [today.year() - 1, today.year(), today.year() + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, m, d))
        .min_by_key(|date| (*date - today).num_days().abs())
}

/// "2026-12-08".
fn iso(s: &str) -> Option<NaiveDate> {
    if s.len() != 10 || s.as_bytes().get(4) != Some(&b'-') {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// "12/8", "12/8/26", "12/08/2026": month first, as in the US.
fn numeric(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let parts: Vec<&str> = s.split('/').collect();
    let num = |p: &str| -> Option<u32> {
        (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [m, d] => {
            let (m, d) = (num(m)?, num(d)?);
            (1..=12).contains(&m).then_some(())?;
            nearest(m, d, today)
        }
        [m, d, y] => NaiveDate::from_ymd_opt(year(y)?, num(m)?, num(d)?),
        _ => None,
    }
}

fn on_or_after(from: NaiveDate, wd: Weekday) -> NaiveDate {
    let ahead = (7 + wd.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from + Days::new(u64::from(ahead))
}

/// The Monday after `from`'s week.
fn next_monday(from: NaiveDate) -> NaiveDate {
    from + Days::new(u64::from(7 - from.weekday().num_days_from_monday()))
}

fn on_or_before(from: NaiveDate, wd: Weekday) -> NaiveDate {
    let back = (7 + from.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
    from - Days::new(u64::from(back))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn words_name_days() {
        // 2026-12-02 is a Wednesday.
        let wed = d(2026, 12, 2);
        let jan = d(2027, 1, 5); // a Tuesday
        let cases: &[(&str, NaiveDate, Option<NaiveDate>)] = &[
            ("today", wed, Some(wed)),
            ("Today ", wed, Some(wed)),
            ("tomorrow", wed, Some(d(2026, 12, 3))),
            ("yesterday", wed, Some(d(2026, 12, 1))),
            // A weekday alone: the coming one, today when it is that day.
            ("wednesday", wed, Some(wed)),
            ("Tuesday", wed, Some(d(2026, 12, 8))),
            ("tue", wed, Some(d(2026, 12, 8))),
            ("tues", wed, Some(d(2026, 12, 8))),
            ("this friday", wed, Some(d(2026, 12, 4))),
            ("next Tuesday", wed, Some(d(2026, 12, 8))),
            ("next wednesday", wed, Some(d(2026, 12, 9))),
            ("last tuesday", wed, Some(d(2026, 12, 1))),
            ("last wednesday", wed, Some(d(2026, 11, 25))),
            ("next tuesday", jan, Some(d(2027, 1, 12))),
            ("next tuesday", d(2026, 3, 9), Some(d(2026, 3, 17))),
            ("next monday", d(2026, 3, 9), Some(d(2026, 3, 16))),
            ("next sunday", wed, Some(d(2026, 12, 13))),
            ("next monday", d(2026, 12, 6), Some(d(2026, 12, 7))),
            ("this sunday", wed, Some(d(2026, 12, 6))),
            ("last sunday", jan, Some(d(2027, 1, 3))),
            // Month and day, either order, nearest today without a year.
            ("Dec 8", wed, Some(d(2026, 12, 8))),
            ("december 8th", wed, Some(d(2026, 12, 8))),
            ("8 Dec", wed, Some(d(2026, 12, 8))),
            ("Dec. 8", wed, Some(d(2026, 12, 8))),
            ("Dec 8", jan, Some(d(2026, 12, 8))),
            ("Jan 30", wed, Some(d(2027, 1, 30))),
            ("June 15", wed, Some(d(2026, 6, 15))),
            ("sept 1st", wed, Some(d(2026, 9, 1))),
            ("Dec 8, 2025", wed, Some(d(2025, 12, 8))),
            ("8 december 2019", wed, Some(d(2019, 12, 8))),
            ("Feb 29 2028", wed, Some(d(2028, 2, 29))),
            ("Feb 29 2027", wed, None),
            ("Feb 29", wed, None), // no leap day within a year of today
            // Numbers: month first.
            ("12/8", wed, Some(d(2026, 12, 8))),
            ("12/8/26", wed, Some(d(2026, 12, 8))),
            ("1/5/2027", wed, Some(d(2027, 1, 5))),
            ("2026-12-08", wed, Some(d(2026, 12, 8))),
            ("13/8", wed, None),
            ("12/32", wed, None),
            ("2026-13-08", wed, None),
            // Not days.
            ("", wed, None),
            ("de", wed, None),
            ("dec", wed, None),
            ("Dec 32", wed, None),
            ("mo", wed, None),
            ("dog", wed, None),
            ("march", wed, None),
            ("may be", wed, None),
            ("next", wed, None),
            ("next week", wed, None),
            ("grief and renewal", wed, None),
            ("Dec 8 99999", wed, None),
            ("2026", wed, None),
        ];
        for (text, today, want) in cases {
            assert_eq!(parse_day(text, *today), *want, "{text:?} on {today}");
        }
    }

    #[test]
    fn weekday_steps_cover_every_pair() {
        let start = d(2026, 11, 30); // a Monday
        for offset in 0..7 {
            let today = start + Days::new(offset);
            for (_, wd) in WEEKDAYS {
                let on = on_or_after(today, wd);
                assert_eq!(on.weekday(), wd);
                assert!((0..7).contains(&(on - today).num_days()));
                let before = on_or_before(today, wd);
                assert_eq!(before.weekday(), wd);
                assert!((0..7).contains(&(today - before).num_days()));
            }
        }
    }
}
