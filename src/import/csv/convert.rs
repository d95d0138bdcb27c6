//! One record of the file to the client form's input: the mapped cells put in their
//! fields, the name and the address put together, the date of birth read. Everything
//! else is judged by [`ClientInput::validated`], as the client form's input is.

use super::headers::Target;
use super::Mapping;
use crate::clients::ClientInput;
use crate::validate::FieldErrors;
use chrono::NaiveDate;

/// Which columns fill each target, by the target's position in [`Target::ALL`].
pub(super) struct Columns {
    by_target: Vec<Vec<usize>>,
    width: usize,
}

impl Target {
    /// Every target, in declaration order (the order of their `as usize`).
    pub const ALL: [Target; 20] = [
        Target::FullName,
        Target::FirstName,
        Target::MiddleName,
        Target::LastName,
        Target::PreferredName,
        Target::Pronouns,
        Target::DateOfBirth,
        Target::Email,
        Target::Phone,
        Target::Street,
        Target::Street2,
        Target::City,
        Target::State,
        Target::PostalCode,
        Target::Country,
        Target::EmergencyName,
        Target::EmergencyRelation,
        Target::EmergencyPhone,
        Target::ReferralSource,
        Target::Notes,
    ];
}

impl Columns {
    pub(super) fn new(mapping: &Mapping) -> Columns {
        let mut by_target = vec![Vec::new(); Target::ALL.len()];
        for (i, t) in mapping.columns.iter().enumerate() {
            if let Some(t) = t {
                by_target[*t as usize].push(i);
            }
        }
        Columns {
            by_target,
            width: mapping.columns.len(),
        }
    }

    /// The trimmed cell of the column mapped to `t` (the first one), or "".
    fn cell<'c>(&self, cells: &'c [String], t: Target) -> &'c str {
        self.by_target[t as usize]
            .first()
            .and_then(|&i| cells.get(i))
            .map_or("", |c| c.trim())
    }

    fn optional(&self, cells: &[String], t: Target) -> Option<String> {
        Some(self.cell(cells, t))
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
    }

    /// The client this record describes, and the errors found before validation (a date
    /// of birth that cannot be read, more cells than the header row). Not yet validated.
    pub(super) fn input(&self, cells: &[String], mapping: &Mapping) -> (ClientInput, FieldErrors) {
        let mut errors = FieldErrors::new();
        if cells.len() > self.width && cells[self.width..].iter().any(|c| !c.trim().is_empty()) {
            errors.add("row", "This row has more cells than the header row.");
        }
        let parts: Vec<&str> = [Target::FirstName, Target::MiddleName, Target::LastName]
            .into_iter()
            .map(|t| self.cell(cells, t))
            .filter(|p| !p.is_empty())
            .collect();
        let legal_name = if parts.is_empty() {
            self.cell(cells, Target::FullName).to_owned()
        } else {
            parts.join(" ")
        };
        let mut input = ClientInput::named(&legal_name);
        input.status = mapping.status;
        input.preferred_name = self.optional(cells, Target::PreferredName);
        input.pronouns = self.optional(cells, Target::Pronouns);
        input.email = self.optional(cells, Target::Email);
        input.phone = self.optional(cells, Target::Phone);
        input.referral_source = self.optional(cells, Target::ReferralSource);
        input.emergency_contact.name = self.optional(cells, Target::EmergencyName);
        input.emergency_contact.relation = self.optional(cells, Target::EmergencyRelation);
        input.emergency_contact.phone = self.optional(cells, Target::EmergencyPhone);
        input.address = self.address(cells);
        input.notes = self.by_target[Target::Notes as usize]
            .iter()
            .filter_map(|&i| cells.get(i))
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        match date_of_birth(self.cell(cells, Target::DateOfBirth)) {
            Ok(d) => input.date_of_birth = d,
            Err(message) => errors.add("date_of_birth", message),
        }
        (input, errors)
    }

    /// The address as the client form holds it: the street lines, then "City, ST 10003",
    /// then the country, one per line; `None` when every part is empty.
    fn address(&self, cells: &[String]) -> Option<String> {
        let part = |t| self.cell(cells, t);
        let mut place = part(Target::City).to_owned();
        let state = part(Target::State);
        if !state.is_empty() {
            if !place.is_empty() {
                place.push_str(", ");
            }
            place.push_str(state);
        }
        let zip = part(Target::PostalCode);
        if !zip.is_empty() {
            if !place.is_empty() {
                place.push(' ');
            }
            place.push_str(zip);
        }
        let lines: Vec<&str> = [
            part(Target::Street),
            part(Target::Street2),
            place.as_str(),
            part(Target::Country),
        ]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    }
}

pub(super) const DATE_FORMAT: &str = "Enter the date of birth as YYYY-MM-DD or MM/DD/YYYY.";
pub(super) const TWO_DIGIT_YEAR: &str =
    "Write the date of birth's year in four digits (MM/DD/YYYY): a two-digit year is ambiguous.";
pub(super) const NOT_A_DATE: &str = "The date of birth is not a date on the calendar.";

/// A date of birth as exports write it: ISO `YYYY-MM-DD`, or the US `MM/DD/YYYY` and
/// `M/D/YYYY`. `None` for an empty cell. A two-digit year is refused, never guessed:
/// `03/14/52` could be 1952 or 2052, and a wrong century is a wrong age and a wrong
/// clearance.
///
/// # Errors
/// The message for the `date_of_birth` field; it names the rule, never the cell.
pub(super) fn date_of_birth(cell: &str) -> Result<Option<NaiveDate>, &'static str> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(None);
    }
    let numbers = |sep: char| -> Option<Vec<&str>> {
        let parts: Vec<&str> = cell.split(sep).collect();
        (parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit())))
        .then_some(parts)
    };
    let (y, m, d) = if let Some(p) = numbers('-') {
        if p[0].len() != 4 || p[1].len() > 2 || p[2].len() > 2 {
            return Err(DATE_FORMAT);
        }
        (p[0], p[1], p[2])
    } else if let Some(p) = numbers('/') {
        if p[0].len() > 2 || p[1].len() > 2 {
            return Err(DATE_FORMAT);
        }
        match p[2].len() {
            4 => (p[2], p[0], p[1]),
            1 | 2 => return Err(TWO_DIGIT_YEAR),
            _ => return Err(DATE_FORMAT),
        }
    } else {
        return Err(DATE_FORMAT);
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return Err(DATE_FORMAT);
    };
    NaiveDate::from_ymd_opt(y, m, d).map(Some).ok_or(NOT_A_DATE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_birth() {
        let d = |y, m, d| Ok(NaiveDate::from_ymd_opt(y, m, d));
        let cases: &[(&str, Result<Option<NaiveDate>, &str>)] = &[
            ("", Ok(None)),
            ("   ", Ok(None)),
            ("1988-03-14", d(1988, 3, 14)),
            (" 1988-3-4 ", d(1988, 3, 4)),
            ("03/14/1988", d(1988, 3, 14)),
            ("3/4/1988", d(1988, 3, 4)),
            ("2/29/2000", d(2000, 2, 29)),
            ("2/29/1999", Err(NOT_A_DATE)),
            ("13/01/1988", Err(NOT_A_DATE)),
            ("1988-02-30", Err(NOT_A_DATE)),
            ("03/14/88", Err(TWO_DIGIT_YEAR)),
            ("3/4/52", Err(TWO_DIGIT_YEAR)),
            ("03/14/988", Err(DATE_FORMAT)),
            ("14.03.1988", Err(DATE_FORMAT)),
            ("March 14, 1988", Err(DATE_FORMAT)),
            ("88-03-14", Err(DATE_FORMAT)),
            ("1988-03-14T00:00:00", Err(DATE_FORMAT)),
            ("1988/03/14", Err(DATE_FORMAT)),
            ("--03-14", Err(DATE_FORMAT)),
            ("+1988-03-14", Err(DATE_FORMAT)),
        ];
        for (cell, want) in cases {
            assert_eq!(date_of_birth(cell), *want, "{cell:?}");
        }
    }
}
