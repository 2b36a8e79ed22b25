//! CSV rows through the `csv` crate: every CSV the binary writes (analyze, batch, whatif,
//! headroom, sweep) is quoted the same way, names with commas, quotes or line breaks included.

use std::io::{self, Write};

/// A CSV writer over any output; rows are written as given (empty strings for unused columns).
pub struct CsvRows<'a> {
    inner: csv::Writer<&'a mut dyn Write>,
}

/// The I/O error inside a CSV error (a closed pipe stays a closed pipe).
fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl<'a> CsvRows<'a> {
    pub fn new(out: &'a mut dyn Write) -> CsvRows<'a> {
        CsvRows {
            // Rows of one output may have different lengths only when a header says so; ours
            // never do, but batch writes rows of one table from several calls.
            inner: csv::WriterBuilder::new().flexible(false).from_writer(out),
        }
    }

    pub fn row<I, T>(&mut self, fields: I) -> io::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.inner.write_record(fields).map_err(io_error)
    }

    /// A row of a table with named columns: each field in its column, the others empty.
    pub fn named_row(&mut self, columns: &[&str], fields: &[(&str, String)]) -> io::Result<()> {
        self.row(columns.iter().map(|col| {
            fields
                .iter()
                .find(|(c, _)| c == col)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default()
        }))
    }

    /// Writes what is buffered; call before the output is used otherwise.
    pub fn finish(mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        let mut buf = Vec::new();
        let mut rows = CsvRows::new(&mut buf);
        rows.row(["gw,1", "say \"hi\"", "two\nlines", "plain", ""])
            .unwrap();
        rows.finish().unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "\"gw,1\",\"say \"\"hi\"\"\",\"two\nlines\",plain,\n"
        );
    }

    #[test]
    fn named_rows_put_each_field_in_its_column() {
        let mut buf = Vec::new();
        let mut rows = CsvRows::new(&mut buf);
        let columns = ["a", "b", "c"];
        rows.named_row(&columns, &[("c", "3".into()), ("a", "1".into())])
            .unwrap();
        rows.finish().unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "1,,3\n");
    }
}
