//! Digit-by-digit explanations of any well-formed code, in the tables or not.

use crate::code::{EnhancedCode, ReplyCode};
use crate::tables;
use serde::Serialize;

/// What one digit (or, for enhanced codes, one number) of a code says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Digit {
    /// Which part of the code: `class`, `category`, `subject` or `detail`.
    pub part: &'static str,
    pub value: u16,
    /// A short name (`permanent negative completion`, `Addressing Status`).
    pub name: String,
    /// A sentence about what it means.
    pub meaning: String,
}

/// The three digits of a basic reply code.
pub fn reply_digits(code: ReplyCode) -> [Digit; 3] {
    let class = tables::reply_class(code.class()).expect("classes 1-5 are checked by build.rs");
    let (category_name, category_meaning) = match tables::reply_category(code.category()) {
        Some(category) => (category.name.to_string(), category.meaning.to_string()),
        None => (
            "no category".to_string(),
            format!(
                "category {}: not defined by RFC 5321, whose categories are 0 to 5; only non-standard codes use it",
                code.category()
            ),
        ),
    };
    let detail = code.detail();
    [
        Digit {
            part: "class",
            value: code.class().into(),
            name: class.name.to_string(),
            meaning: class.meaning.to_string(),
        },
        Digit {
            part: "category",
            value: code.category().into(),
            name: category_name,
            meaning: category_meaning,
        },
        Digit {
            part: "detail",
            value: detail.into(),
            name: format!("detail {detail}"),
            meaning: format!(
                "detail {detail}: tells this code apart from others of the same class and category; it has no meaning of its own"
            ),
        },
    ]
}

/// The class, subject and detail of an enhanced status code.
pub fn enhanced_parts(code: EnhancedCode) -> [Digit; 3] {
    let class =
        tables::enhanced_class(code.class()).expect("classes 2, 4, 5 are checked by build.rs");
    let (subject_name, subject_meaning) = match tables::subject(code.subject()) {
        Some(subject) => (subject.name.to_string(), subject.meaning.to_string()),
        None => (
            "undefined subject".to_string(),
            format!(
                "subject {}: not defined by RFC 3463 or the registry (subjects are 0 to 7)",
                code.subject()
            ),
        ),
    };
    let (detail_name, detail_meaning) = match code.entry() {
        Some(entry) => (entry.text.to_string(), entry.text.to_string()),
        None => (
            "not assigned".to_string(),
            format!(
                "detail {}: not assigned in the registry under subject {}; a server-specific code",
                code.detail(),
                code.subject()
            ),
        ),
    };
    [
        Digit {
            part: "class",
            value: code.class().into(),
            name: class.name.to_string(),
            meaning: class.meaning.to_string(),
        },
        Digit {
            part: "subject",
            value: code.subject(),
            name: subject_name,
            meaning: subject_meaning,
        },
        Digit {
            part: "detail",
            value: code.detail(),
            name: detail_name,
            meaning: detail_meaning,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_digits_name_class_and_category() {
        let [class, category, detail] = reply_digits("452".parse().unwrap());
        assert_eq!(class.name, "transient negative completion");
        assert_eq!(category.name, "mail system");
        assert_eq!(detail.value, 2);
    }

    #[test]
    fn unassigned_reply_codes_still_get_all_three_digits() {
        let digits = reply_digits("558".parse().unwrap());
        assert_eq!(digits[0].name, "permanent negative completion");
        assert_eq!(digits[1].name, "mail system");
        assert_eq!(digits[2].value, 8);
    }

    #[test]
    fn second_digits_above_five_have_no_category() {
        let digits = reply_digits("571".parse().unwrap());
        assert_eq!(digits[1].name, "no category");
        assert!(digits[1].meaning.contains("0 to 5"));
    }

    #[test]
    fn enhanced_parts_use_the_registry_title_for_the_detail() {
        let [class, subject, detail] = enhanced_parts("4.2.2".parse().unwrap());
        assert_eq!(class.name, "Persistent Transient Failure");
        assert_eq!(subject.name, "Mailbox Status");
        assert_eq!(detail.name, "Mailbox full");
    }

    #[test]
    fn unknown_subjects_and_details_are_said_to_be_unassigned() {
        let [_, subject, detail] = enhanced_parts("4.9.9".parse().unwrap());
        assert!(subject.meaning.contains("not defined"));
        assert_eq!(detail.name, "not assigned");
        let [_, subject, detail] = enhanced_parts("5.1.99".parse().unwrap());
        assert_eq!(subject.name, "Addressing Status");
        assert!(detail.meaning.contains("not assigned"));
    }
}
