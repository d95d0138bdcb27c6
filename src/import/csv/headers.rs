//! The client fields a column can fill, and the headers of common exports that suggest
//! them.
//!
//! A header is compared by its letters and digits only, lower-cased, after dropping any
//! part in parentheses: "Date of Birth (MM/DD/YYYY)", "date_of_birth" and "DATE OF BIRTH"
//! are all `dateofbirth`. A leading "client" or "patient" is also dropped, so "Client
//! First Name" and "Patient DOB" read as "First Name" and "DOB".
//!
//! Where the names come from: Outlook's contacts CSV ("First Name", "Middle Name", "Last
//! Name", "E-mail Address", "Mobile Phone", "Home Phone", "Business Phone", "Home
//! Street", "Home City", "Home State", "Home Postal Code", "Birthday") and Google
//! Contacts' ("Given Name" / "Family Name" / "Additional Name" in its older export,
//! "First Name" / "Last Name" in the newer, "Nickname", "Birthday", "E-mail 1 - Value",
//! "Phone 1 - Value", "Address 1 - Street", "Address 1 - City", "Address 1 - Region",
//! "Address 1 - Postal Code") are well known. For SimplePractice, TherapyNotes and Jane
//! the exact headers of their client exports were not checked against a real file: the
//! table holds the generic names such exports use ("First Name", "Last Name",
//! "Preferred Name", "Date of Birth", "DOB", "Email", "Mobile Phone", "Address", "City",
//! "State", "Zip", "Province/State", "Postal/Zip", "Emergency Contact Name", "Referral
//! Source"), and the user confirms or changes every suggestion in the preview.

use serde::{Deserialize, Serialize};

/// A client field one column of the file fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "CsvTarget")
)]
pub enum Target {
    /// The whole legal name in one cell; used for a row whose first, middle and last
    /// name cells (when mapped) are all empty.
    FullName,
    FirstName,
    MiddleName,
    LastName,
    PreferredName,
    Pronouns,
    DateOfBirth,
    Email,
    Phone,
    /// The address's first line (or the whole address in one cell).
    Street,
    /// The address's second line (apartment, suite).
    Street2,
    City,
    State,
    PostalCode,
    Country,
    EmergencyName,
    EmergencyRelation,
    EmergencyPhone,
    ReferralSource,
    /// May be chosen for several columns: their cells are joined, one per line.
    Notes,
}

impl Target {
    /// The target's name on the wire (`first_name`): how a mapping error names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::FullName => "full_name",
            Target::FirstName => "first_name",
            Target::MiddleName => "middle_name",
            Target::LastName => "last_name",
            Target::PreferredName => "preferred_name",
            Target::Pronouns => "pronouns",
            Target::DateOfBirth => "date_of_birth",
            Target::Email => "email",
            Target::Phone => "phone",
            Target::Street => "street",
            Target::Street2 => "street2",
            Target::City => "city",
            Target::State => "state",
            Target::PostalCode => "postal_code",
            Target::Country => "country",
            Target::EmergencyName => "emergency_name",
            Target::EmergencyRelation => "emergency_relation",
            Target::EmergencyPhone => "emergency_phone",
            Target::ReferralSource => "referral_source",
            Target::Notes => "notes",
        }
    }
}

/// Recognised headers, normalised (see [`normalise`]), with their target and rank: when
/// several columns suggest one target, the lowest rank wins (a mobile number over a home
/// one), then the leftmost column.
const KNOWN: &[(&str, Target, u8)] = &[
    // The whole name. ("Contact Name" is left out: it may be the emergency contact's.)
    ("name", Target::FullName, 0),
    ("fullname", Target::FullName, 0),
    ("legalname", Target::FullName, 0),
    ("displayname", Target::FullName, 1),
    // Its parts.
    ("firstname", Target::FirstName, 0),
    ("legalfirstname", Target::FirstName, 0),
    ("givenname", Target::FirstName, 0),
    ("first", Target::FirstName, 1),
    ("fname", Target::FirstName, 1),
    ("middlename", Target::MiddleName, 0),
    ("additionalname", Target::MiddleName, 0),
    ("middleinitial", Target::MiddleName, 1),
    ("lastname", Target::LastName, 0),
    ("legallastname", Target::LastName, 0),
    ("familyname", Target::LastName, 0),
    ("surname", Target::LastName, 0),
    ("last", Target::LastName, 1),
    ("lname", Target::LastName, 1),
    ("preferredname", Target::PreferredName, 0),
    ("preferredfirstname", Target::PreferredName, 0),
    ("chosenname", Target::PreferredName, 0),
    ("nickname", Target::PreferredName, 1),
    ("goesby", Target::PreferredName, 1),
    ("pronouns", Target::Pronouns, 0),
    ("pronoun", Target::Pronouns, 0),
    ("preferredpronouns", Target::Pronouns, 0),
    ("dateofbirth", Target::DateOfBirth, 0),
    ("dob", Target::DateOfBirth, 0),
    ("birthdate", Target::DateOfBirth, 0),
    ("birthday", Target::DateOfBirth, 1),
    ("email", Target::Email, 0),
    ("emailaddress", Target::Email, 0),
    ("primaryemail", Target::Email, 0),
    ("email1value", Target::Email, 1),
    ("email1", Target::Email, 1),
    ("mobilephone", Target::Phone, 0),
    ("mobile", Target::Phone, 0),
    ("mobilenumber", Target::Phone, 0),
    ("cellphone", Target::Phone, 0),
    ("cell", Target::Phone, 0),
    ("cellnumber", Target::Phone, 0),
    ("phone", Target::Phone, 1),
    ("phonenumber", Target::Phone, 1),
    ("primaryphone", Target::Phone, 1),
    ("telephone", Target::Phone, 1),
    ("phone1value", Target::Phone, 1),
    ("phone1", Target::Phone, 1),
    ("homephone", Target::Phone, 2),
    ("workphone", Target::Phone, 3),
    ("businessphone", Target::Phone, 3),
    ("address", Target::Street, 0),
    ("street", Target::Street, 0),
    ("streetaddress", Target::Street, 0),
    ("address1", Target::Street, 0),
    ("addressline1", Target::Street, 0),
    ("homeaddress", Target::Street, 0),
    ("homestreet", Target::Street, 0),
    ("mailingaddress", Target::Street, 1),
    ("address1street", Target::Street, 1),
    ("address2", Target::Street2, 0),
    ("addressline2", Target::Street2, 0),
    ("street2", Target::Street2, 0),
    ("homestreet2", Target::Street2, 0),
    ("aptsuite", Target::Street2, 0),
    ("city", Target::City, 0),
    ("town", Target::City, 0),
    ("homecity", Target::City, 0),
    ("address1city", Target::City, 1),
    ("state", Target::State, 0),
    ("province", Target::State, 0),
    ("stateprovince", Target::State, 0),
    ("provincestate", Target::State, 0),
    ("region", Target::State, 1),
    ("homestate", Target::State, 0),
    ("address1region", Target::State, 1),
    ("zip", Target::PostalCode, 0),
    ("zipcode", Target::PostalCode, 0),
    ("postalcode", Target::PostalCode, 0),
    ("postcode", Target::PostalCode, 0),
    ("postalzip", Target::PostalCode, 0),
    ("zippostalcode", Target::PostalCode, 0),
    ("homepostalcode", Target::PostalCode, 0),
    ("address1postalcode", Target::PostalCode, 1),
    ("country", Target::Country, 0),
    ("countryregion", Target::Country, 0),
    ("homecountry", Target::Country, 0),
    ("homecountryregion", Target::Country, 0),
    ("address1country", Target::Country, 1),
    ("emergencycontact", Target::EmergencyName, 0),
    ("emergencycontactname", Target::EmergencyName, 0),
    ("emergencyname", Target::EmergencyName, 0),
    ("emergencycontactrelationship", Target::EmergencyRelation, 0),
    ("emergencycontactrelation", Target::EmergencyRelation, 0),
    ("emergencyrelationship", Target::EmergencyRelation, 0),
    ("emergencyrelation", Target::EmergencyRelation, 0),
    ("emergencycontactphone", Target::EmergencyPhone, 0),
    ("emergencycontactphonenumber", Target::EmergencyPhone, 0),
    ("emergencycontactnumber", Target::EmergencyPhone, 0),
    ("emergencyphone", Target::EmergencyPhone, 0),
    ("referralsource", Target::ReferralSource, 0),
    ("referredby", Target::ReferralSource, 0),
    ("referral", Target::ReferralSource, 1),
    ("howdidyouhearaboutus", Target::ReferralSource, 1),
    ("notes", Target::Notes, 0),
    ("note", Target::Notes, 0),
    ("comments", Target::Notes, 1),
];

/// A header reduced to what [`KNOWN`] compares: letters and digits, lower-cased, outside
/// parentheses.
pub fn normalise(header: &str) -> String {
    let mut depth = 0u32;
    let mut out = String::new();
    for c in header.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

/// The target a header suggests, with its rank, if it is a known one.
pub fn recognise(header: &str) -> Option<(Target, u8)> {
    let key = normalise(header);
    let find = |k: &str| {
        KNOWN
            .iter()
            .find(|(known, _, _)| *known == k)
            .map(|&(_, t, r)| (t, r))
    };
    find(&key).or_else(|| {
        ["client", "patient"]
            .iter()
            .find_map(|p| key.strip_prefix(p).filter(|rest| !rest.is_empty()))
            .and_then(find)
    })
}

/// The suggested target of each column: each recognised target on the best column for it
/// (notes on every notes column), and the full name only when neither a first nor a last
/// name column is recognised (a contacts export has both, and its "Name" is a display
/// name).
pub fn suggest(headers: &[String]) -> Vec<Option<Target>> {
    let found: Vec<Option<(Target, u8)>> = headers.iter().map(|h| recognise(h)).collect();
    let mut out = vec![None; headers.len()];
    let mut best: std::collections::BTreeMap<Target, (u8, usize)> = Default::default();
    for (i, f) in found.iter().enumerate() {
        let Some((t, rank)) = *f else { continue };
        if t == Target::Notes {
            out[i] = Some(t);
            continue;
        }
        match best.get(&t) {
            Some(&(r, _)) if r <= rank => {}
            _ => {
                best.insert(t, (rank, i));
            }
        }
    }
    let has_parts = best.contains_key(&Target::FirstName) || best.contains_key(&Target::LastName);
    for (t, (_, i)) in best {
        if t == Target::FullName && has_parts {
            continue;
        }
        out[i] = Some(t);
    }
    out
}
