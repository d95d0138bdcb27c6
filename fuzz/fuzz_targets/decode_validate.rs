//! Request decoding and validation: the first byte picks a request type, the rest is the
//! JSON a command would receive. Decoding may fail; nothing may panic, and what passes
//! validation must pass it again unchanged and survive a JSON round trip. The same bytes
//! as text go through every text rule (file names, save paths, e-mail, phone, codes,
//! search), each with a property its callers rely on.

#![no_main]

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use kap_practice::appointments::{time, AppointmentInput};
use kap_practice::billing::{self, BillingProfile, EstimatePlan, PaymentMethod, ServiceCode};
use kap_practice::clients::{self, ClientInput, ClientQuery};
use kap_practice::consent::ConsentInput;
use kap_practice::followups::FollowUpInput;
use kap_practice::intakes::{IntakeInput, ScreeningInput};
use kap_practice::notes::NoteBody;
use kap_practice::practice::{self, PracticeSettings};
use kap_practice::prescribers::PrescriberInput;
use kap_practice::prescriptions::PrescriptionInput;
use kap_practice::{files, validate, Cents};
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;

/// Zones with the transitions that break naive code: US daylight saving, a 30-minute
/// shift (Lord Howe), a 45-minute offset (Chatham), no transitions at all.
const ZONES: [Tz; 5] = [
    chrono_tz::America::New_York,
    chrono_tz::America::Los_Angeles,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Pacific::Chatham,
    chrono_tz::UTC,
];

fn decode<T: DeserializeOwned>(json: &[u8]) -> Option<T> {
    serde_json::from_slice(json).ok()
}

/// What validation accepts it accepts again unchanged, and JSON carries it whole.
fn stable<T>(value: T, validated: impl Fn(T) -> kap_practice::Result<T>)
where
    T: Clone + PartialEq + Debug + Serialize + DeserializeOwned,
{
    if let Ok(once) = validated(value) {
        let twice = validated(once.clone());
        assert_eq!(
            twice.as_ref().ok(),
            Some(&once),
            "validation is not idempotent"
        );
        let json = serde_json::to_string(&once).expect("a valid value serialises");
        let back: T = serde_json::from_str(&json).expect("and reads back");
        assert_eq!(back, once, "JSON round trip");
    }
}

fn texts(s: &str) {
    if let Ok(p) = validate::document_path(s, "pdf") {
        assert!(p.is_absolute());
        assert!(!s.split(['/', '\\']).any(|part| part == ".."));
        let name = p.file_name().and_then(|n| n.to_str()).expect("a file name");
        assert!(name.to_ascii_lowercase().ends_with(".pdf") && !name.starts_with('.'));
        assert!(!validate::is_device_name(name));
    }
    if files::is_safe_file_name(s) {
        assert!(!s.contains(['/', '\\', '\0']) && s != "." && s != "..");
        assert!(!validate::is_device_name(s));
    }
    let _ = validate::is_email(s);
    let _ = validate::is_phone(s);
    let _ = billing::is_icd10(s);
    let _ = billing::is_cpt(s);
    let _ = practice::is_valid_npi(s);
    let _ = practice::is_valid_ein(s);
    let _ = clients::sort_key(s);
    if let Some(q) = clients::fts_query(s) {
        // Every term is one quoted prefix: no FTS syntax gets through.
        for term in q.split(' ') {
            let inner = term
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix("\"*"))
                .expect("a quoted prefix term");
            assert!(!inner.is_empty() && !inner.contains('"'));
        }
    }
}

fn appointment(a: AppointmentInput, zone: Tz) {
    let local = a.starts_local;
    let _ = time::us_datetime(local);
    if let Ok(utc) = time::to_utc(zone, local) {
        // A wall time that exists comes back as itself (the first of two in the autumn).
        assert_eq!(time::to_local(zone, utc), local, "wall time round trip");
        if let Some(minutes) = a.duration_minutes {
            let _ = utc.checked_add_signed(Duration::minutes(i64::from(minutes)));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, json)) = data.split_first() else {
        return;
    };
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("a date");
    match selector % 16 {
        0 => {
            if let Some(c) = decode::<ClientInput>(json) {
                stable(c, |c| c.validated(today));
            }
        }
        1 => {
            if let Some(s) = decode::<PracticeSettings>(json) {
                stable(s, PracticeSettings::validated);
            }
        }
        2 => {
            if let Some(p) = decode::<PrescriberInput>(json) {
                stable(p, PrescriberInput::validated);
            }
        }
        3 => {
            if let Some(a) = decode::<AppointmentInput>(json) {
                appointment(a, ZONES[usize::from(selector / 16) % ZONES.len()]);
            }
        }
        4 => {
            let _ = decode::<NoteBody>(json);
        }
        5 => {
            let _ = decode::<FollowUpInput>(json);
        }
        6 => {
            let _ = decode::<IntakeInput>(json);
            let _ = decode::<ScreeningInput>(json);
        }
        7 => {
            let _ = decode::<PrescriptionInput>(json);
            let _ = decode::<ConsentInput>(json);
        }
        8 => {
            let _ = decode::<BillingProfile>(json);
            let _ = decode::<Vec<ServiceCode>>(json);
        }
        9 => {
            let _ = decode::<EstimatePlan>(json);
            let _ = decode::<ClientQuery>(json);
        }
        10 => {
            if let Some(c) = decode::<Cents>(json) {
                let _ = c.to_string();
                let _ = c.is_enterable();
            }
            let _ = decode::<PaymentMethod>(json);
        }
        _ => {
            if let Ok(s) = std::str::from_utf8(json) {
                texts(s);
            }
        }
    }
});
