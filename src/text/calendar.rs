//! Day and month names: not actors, whatever their capital ("Tuesday", "Jan. 5").

/// Day and month names, lowercase.
pub const DAY_AND_MONTH_NAMES: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
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

/// Their abbreviations, lowercase, without the period.
pub const ABBREVIATIONS: &[&str] = &[
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Whether a lowercase word (without a final period) is a day or month name or one of
/// their abbreviations.
pub fn is_day_or_month(word: &str) -> bool {
    DAY_AND_MONTH_NAMES.contains(&word) || ABBREVIATIONS.contains(&word)
}
