//! Product changes by date, and the small calendar date type that `--as-of` parses into.
//!
//! Azure announces changes with a day (spec §3): SSTP can no longer be enabled from 2026-03-31
//! and stops working from 2027-03-31; Basic gateways support IKEv2 from November 2025; the legacy
//! Standard and HighPerformance SKUs are migrated to VpnGw1AZ / VpnGw2AZ after June 2026. A rule
//! that depends on one of these compares [`Options::as_of`](crate::verdicts::findings::Options::as_of) with the day;
//! each day is a named constant here, with its source, so a changed announcement is one edit.
//!
//! "From day D" means D itself is already the new state.

use std::fmt;

use crate::model::Sku;

/// A day of the proleptic Gregorian calendar (UTC). Ordered chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not a `YYYY-MM-DD` date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not a date: {reason}; write YYYY-MM-DD, e.g. 2026-04-01")]
pub struct DateError {
    pub text: String,
    pub reason: &'static str,
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// For constants known to be valid.
    const fn ymd(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    /// A date, if it exists (year 1..=9999).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        ((1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(Date { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// Parses `YYYY-MM-DD` (surrounding spaces allowed).
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let fail = |reason| DateError {
            text: text.to_string(),
            reason,
        };
        let t = text.trim();
        let parts: Vec<&str> = t.split('-').collect();
        if parts.len() != 3
            || parts[0].len() != 4
            || parts[1].len() != 2
            || parts[2].len() != 2
            || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(fail("expected four-digit year, two-digit month and day"));
        }
        let year: u16 = parts[0].parse().map_err(|_| fail("bad year"))?;
        let month: u8 = parts[1].parse().map_err(|_| fail("bad month"))?;
        let day: u8 = parts[2].parse().map_err(|_| fail("bad day"))?;
        if !(1..=12).contains(&month) {
            return Err(fail("the month must be 01 to 12"));
        }
        Date::new(year, month, day).ok_or_else(|| fail("that month has no such day"))
    }

    /// The day `days` days after 1970-01-01 (negative: before), clamped to years 1..=9999.
    /// The CLI turns `SystemTime::now()` into "today" with this; the engine never reads the clock.
    pub fn from_days_since_epoch(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days.clamp(-719_162, 2_932_896) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// From this day SSTP can no longer be enabled on a gateway (ikev2-openvpn-from-sstp, 09/29/2025).
pub const SSTP_NO_NEW: Date = Date::ymd(2026, 3, 31);
/// From this day existing SSTP connections stop working (same article).
pub const SSTP_END: Date = Date::ymd(2027, 3, 31);
/// From this day Basic gateways support IKEv2 ("Effective November 2025", same article).
pub const BASIC_IKEV2: Date = Date::ymd(2025, 11, 1);
/// From this day the Azure VPN Client for Linux (preview) is retired
/// (azure-vpn-client-linux-retirement.md, spec §8).
pub const LINUX_AVC_RETIRED: Date = Date::ymd(2026, 8, 31);
/// From this day Standard / HighPerformance gateways have been migrated ("after June 2026",
/// FAQ "Deprecation of older SKUs").
pub const LEGACY_MIGRATED: Date = Date::ymd(2026, 7, 1);

/// The SKU Azure runs a gateway as on `as_of`: legacy SKUs become their migration target.
pub fn effective_sku(sku: Sku, as_of: Date) -> Sku {
    match (sku, as_of >= LEGACY_MIGRATED) {
        (Sku::Standard, true) => Sku::VpnGw1AZ,
        (Sku::HighPerformance, true) => Sku::VpnGw2AZ,
        (s, _) => s,
    }
}

pub fn migration_target(sku: Sku) -> Option<Sku> {
    match sku {
        Sku::Standard => Some(Sku::VpnGw1AZ),
        Sku::HighPerformance => Some(Sku::VpnGw2AZ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let d = Date::parse("2026-03-31").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2026, 3, 31));
        assert_eq!(d.to_string(), "2026-03-31");
        assert_eq!(d, SSTP_NO_NEW);
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2025-02-29").is_err());
        assert!(Date::parse("2026-13-01").is_err());
        assert!(Date::parse("2026-3-1").is_err());
        assert!(Date::parse("tomorrow").is_err());
        assert!(Date::parse("0000-01-01").is_err());
    }

    #[test]
    fn order_is_chronological() {
        assert!(Date::parse("2026-03-30").unwrap() < SSTP_NO_NEW);
        assert!(Date::parse("2025-12-31").unwrap() < Date::parse("2026-01-01").unwrap());
    }

    #[test]
    fn days_since_epoch() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        // 2000-03-01 is day 11017; 2026-11-27 is day 20784.
        assert_eq!(
            Date::from_days_since_epoch(11_017).to_string(),
            "2000-03-01"
        );
        assert_eq!(
            Date::from_days_since_epoch(20_784).to_string(),
            "2026-11-27"
        );
        assert_eq!(Date::from_days_since_epoch(-1).to_string(), "1969-12-31");
        assert_eq!(
            Date::from_days_since_epoch(i64::MAX).to_string(),
            "9999-12-31"
        );
        assert_eq!(
            Date::from_days_since_epoch(i64::MIN).to_string(),
            "0001-01-01"
        );
    }

    #[test]
    fn legacy_skus_become_their_target_after_june_2026() {
        let before = Date::parse("2026-06-30").unwrap();
        assert_eq!(effective_sku(Sku::Standard, before), Sku::Standard);
        assert_eq!(effective_sku(Sku::Standard, LEGACY_MIGRATED), Sku::VpnGw1AZ);
        assert_eq!(
            effective_sku(Sku::HighPerformance, LEGACY_MIGRATED),
            Sku::VpnGw2AZ
        );
        assert_eq!(effective_sku(Sku::VpnGw1, LEGACY_MIGRATED), Sku::VpnGw1);
    }
}
