//! Enums stored as text: one place that gives each its strings.
//!
//! `str_enum!(Name { Variant = "text", ... })` gives a plain enum `ALL` (every variant),
//! `as_str` (the text stored in the database and sent on the wire) and `parse` (the text
//! read back; anything else is a damaged row). The enum's serde form is the same text:
//! the test below checks every such enum, so the database, the wire and the UI's
//! generated types cannot drift apart.

macro_rules! str_enum {
    ($name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> rusqlite::Result<Self> {
                match s { $($s => Ok($name::$variant),)+ _ => Err($crate::store::col::bad(stringify!($name))) }
            }
        }
    };
}
pub(crate) use str_enum;

#[cfg(test)]
mod tests {
    /// Each variant's stored text is its serde text, and reads back as itself.
    fn one_source<T>(
        all: &[T],
        as_str: fn(T) -> &'static str,
        parse: fn(&str) -> rusqlite::Result<T>,
    ) where
        T: Copy + PartialEq + std::fmt::Debug + serde::Serialize,
    {
        for &v in all {
            let text = as_str(v);
            assert_eq!(
                serde_json::to_value(v).unwrap(),
                serde_json::json!(text),
                "{v:?}"
            );
            assert_eq!(parse(text).unwrap(), v);
        }
        assert!(parse("no such value").is_err());
    }

    #[test]
    fn stored_text_is_serde_text_for_every_text_enum() {
        use crate::appointments::{AppointmentKind, AppointmentStatus, Attendance, Location};
        use crate::billing::PaymentMethod;
        use crate::drafts::DraftForm;
        use crate::followups::{FollowUpKind, FollowUpStatus};
        one_source(
            AppointmentKind::ALL,
            AppointmentKind::as_str,
            AppointmentKind::parse,
        );
        one_source(Location::ALL, Location::as_str, Location::parse);
        one_source(
            AppointmentStatus::ALL,
            AppointmentStatus::as_str,
            AppointmentStatus::parse,
        );
        one_source(Attendance::ALL, Attendance::as_str, Attendance::parse);
        one_source(
            PaymentMethod::ALL,
            PaymentMethod::as_str,
            PaymentMethod::parse,
        );
        one_source(DraftForm::ALL, DraftForm::as_str, DraftForm::parse);
        one_source(FollowUpKind::ALL, FollowUpKind::as_str, FollowUpKind::parse);
        one_source(
            FollowUpStatus::ALL,
            FollowUpStatus::as_str,
            FollowUpStatus::parse,
        );
        use crate::audit::{Action, EntityKind, Source};
        use crate::clients::ClientStatus;
        use crate::intakes::{Answer, IntakeKind, IntakeOutcome};
        use crate::prescribers::Credential;
        use crate::prescriptions::Formulation;
        one_source(Credential::ALL, Credential::as_str, Credential::parse);
        one_source(Formulation::ALL, Formulation::as_str, Formulation::parse);
        one_source(IntakeKind::ALL, IntakeKind::as_str, IntakeKind::parse);
        one_source(
            IntakeOutcome::ALL,
            IntakeOutcome::as_str,
            IntakeOutcome::parse,
        );
        one_source(Answer::ALL, Answer::as_str, Answer::parse);
        one_source(ClientStatus::ALL, ClientStatus::as_str, ClientStatus::parse);
        one_source(Action::ALL, Action::as_str, Action::parse);
        one_source(EntityKind::ALL, EntityKind::as_str, EntityKind::parse);
        one_source(Source::ALL, Source::as_str, Source::parse);
        use crate::measures::safety::RiskLevel;
        use crate::measures::{Band, Instrument, MeasureSource};
        one_source(Instrument::ALL, Instrument::as_str, Instrument::parse);
        one_source(
            MeasureSource::ALL,
            MeasureSource::as_str,
            MeasureSource::parse,
        );
        one_source(Band::ALL, Band::as_str, Band::parse);
        one_source(RiskLevel::ALL, RiskLevel::as_str, RiskLevel::parse);
    }
}
