//! The columns of a CSV row about one client kind of one gateway, the same in every CSV that has
//! such rows (`analyze --format csv`, `batch --format csv`), right after the column that says
//! what the row is about.

use p2s_sim::report::{ClientReport, GatewayReport};

const CLIENT_COLUMNS: [&str; 7] = [
    "gateway",
    "vnet",
    "client",
    "selectors",
    "limit",
    "status",
    "route_count",
];

/// The columns of a table with client rows: `first`, then the client columns, then `rest`.
pub const fn client_table<const REST: usize, const ALL: usize>(
    first: &'static str,
    rest: [&'static str; REST],
) -> [&'static str; ALL] {
    assert!(ALL == 1 + CLIENT_COLUMNS.len() + REST);
    let mut columns = [""; ALL];
    columns[0] = first;
    let mut i = 0;
    while i < CLIENT_COLUMNS.len() {
        columns[1 + i] = CLIENT_COLUMNS[i];
        i += 1;
    }
    let mut i = 0;
    while i < REST {
        columns[1 + CLIENT_COLUMNS.len() + i] = rest[i];
        i += 1;
    }
    columns
}

/// The client columns' fields for client kind `c` of gateway `g`.
pub fn client_fields(g: &GatewayReport, c: &ClientReport) -> [(&'static str, String); 7] {
    let opt = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    [
        ("gateway", g.name.clone()),
        ("vnet", g.vnet.clone()),
        ("client", c.client.clone()),
        ("selectors", opt(c.check.selectors)),
        ("limit", opt(c.check.limit)),
        ("status", c.check.status.to_string()),
        ("route_count", c.route_count.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_columns_follow_the_first_column() {
        const COLUMNS: [&str; 10] = client_table("record", ["routes", "code"]);
        assert_eq!(COLUMNS[0], "record");
        assert_eq!(COLUMNS[1..8], CLIENT_COLUMNS);
        assert_eq!(COLUMNS[8..], ["routes", "code"]);
    }
}
