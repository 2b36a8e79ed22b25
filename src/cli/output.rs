//! The one output layer: every result a command prints (the analysis report, a what-if
//! comparison, headroom, a sweep, a batch record, a review, an explanation, a profile check)
//! implements [`Rendered`], and every command writes it with [`render`] in the [`Format`] the
//! user chose. As in hyperfine, where every export format sits behind one trait, a command
//! never writes a format itself: it builds its result and hands it over (it may still look at
//! the format to decide what to keep, as `analyze` keeps the input text only for SARIF).
//!
//! Each command keeps its own clap `--format` enum, because clap offers (and `--help`
//! describes) only the formats that command has; each maps onto [`Format`] by name. A result
//! writes the formats it has and leaves the others to the trait's defaults, which say that
//! this result has no such format; the contract test in `cli/mod.rs` runs every command in
//! every format it offers and checks that each one went through [`render`].
//!
//! Table and Markdown are, for most results, one method: [`Rendered::page`] draws headings,
//! tables and lists on a [`Page`], which writes them for the terminal or as Markdown from the
//! same rows. The report, whose table has its own colours and column rules, writes both itself.

use std::io::{self, Write};

use super::page::{Page, Style};

/// Every output format of every command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Markdown,
    Json,
    /// One JSON document per line (batch records).
    Jsonl,
    Csv,
    Html,
    Sarif,
    Junit,
    /// Plain text (explain).
    Text,
}

impl Format {
    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Text => "text",
        }
    }
}

/// Defines a command's clap `--format` enum and its conversion, by name, to [`Format`]:
/// `format_subset! { pub enum PlanFormat { Table, Csv } }` makes `PlanFormat::Csv` into
/// `Format::Csv` (a variant [`Format`] lacks does not compile).
macro_rules! format_subset {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident ),+ $(,)? }
    ) => {
        $(#[$meta])*
        $vis enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl From<$name> for $crate::cli::output::Format {
            fn from(f: $name) -> Self {
                match f {
                    $($name::$variant => $crate::cli::output::Format::$variant,)+
                }
            }
        }
    };
}
pub(crate) use format_subset;

/// What a format a result does not have answers; clap never offers it (the contract test).
fn not_written(format: Format) -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!("this result has no {} output", format.name()),
    )
}

/// A result of a command, in each format it has. Implement [`Rendered::page`] for table and
/// Markdown from the same rows, or `table` and `markdown` separately.
pub trait Rendered {
    fn page(&self, page: &mut Page) -> io::Result<()> {
        Err(not_written(match page.style() {
            Style::Terminal => Format::Table,
            Style::Markdown => Format::Markdown,
        }))
    }
    fn table(&self, out: &mut dyn Write) -> io::Result<()> {
        self.page(&mut Page::new(out, Style::Terminal))
    }
    fn markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        self.page(&mut Page::new(out, Style::Markdown))
    }
    fn json(&self, _out: &mut dyn Write) -> io::Result<()> {
        Err(not_written(Format::Json))
    }
    fn jsonl(&self, _out: &mut dyn Write) -> io::Result<()> {
        Err(not_written(Format::Jsonl))
    }
    fn csv(&self, _out: &mut dyn Write) -> io::Result<()> {
        Err(not_written(Format::Csv))
    }
    fn html(&self, _out: &mut dyn Write) -> io::Result<()> {
        Err(not_written(Format::Html))
    }
    fn sarif(&self, _out: &mut dyn Write) -> io::Result<()> {
        Err(not_written(Format::Sarif))
    }
    fn junit(&self, _out: &mut dyn Write) -> io::Result<()> {
        Err(not_written(Format::Junit))
    }
    fn text(&self, _out: &mut dyn Write) -> io::Result<()> {
        Err(not_written(Format::Text))
    }
}

/// Writes `value` in `format`: the one place a format picks a writer.
pub fn render(
    value: &dyn Rendered,
    format: impl Into<Format>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let format = format.into();
    #[cfg(test)]
    seen::record(format);
    match format {
        Format::Table => value.table(out),
        Format::Markdown => value.markdown(out),
        Format::Json => value.json(out),
        Format::Jsonl => value.jsonl(out),
        Format::Csv => value.csv(out),
        Format::Html => value.html(out),
        Format::Sarif => value.sarif(out),
        Format::Junit => value.junit(out),
        Format::Text => value.text(out),
    }
}

/// A typed document as pretty JSON with a final line break (what every `--format json` writes).
pub fn pretty_json<T: serde::Serialize + ?Sized>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    // serde_json writes a few bytes at a time: buffer them here, monomorphic, so that only
    // whole buffers go through `dyn Write` (the report of a large topology is 60 MB).
    let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut *out);
    let mut serializer = serde_json::Serializer::with_formatter(&mut buffered, Pretty::default());
    serde::Serialize::serialize(value, &mut serializer)?;
    writeln!(buffered)?;
    buffered.flush()
}

/// [`pretty_json`] of a document that opens with a long list of independent entries (the
/// report's gateways), with the entries rendered on all threads: the same bytes, in less time
/// where rendering is most of the work (a million route entries on a large topology).
///
/// `shell` is the document with that list left empty; its JSON must open with the list under
/// `key`. Entries are rendered a window at a time and written in order, so memory holds one
/// window's text: a window ends after `WINDOW_WEIGHT` of `weight` (the lines an entry
/// writes, about) or `WINDOW_ENTRIES` entries, and an entry heavier than a window on its own
/// (a gateway under `--full`) is written straight through, as [`pretty_json`] would.
pub fn pretty_json_spread<D, T>(
    shell: &D,
    key: &str,
    entries: &[T],
    weight: impl Fn(&T) -> usize,
    out: &mut dyn Write,
) -> io::Result<()>
where
    D: serde::Serialize + ?Sized,
    T: serde::Serialize + Sync,
{
    use rayon::prelude::*;
    const WINDOW_WEIGHT: usize = 200_000;
    const WINDOW_ENTRIES: usize = 256;
    // An entry of the list sits two levels deep: `{ "key": [ entry, ... ] }`.
    const ENTRY_LEVEL: usize = 2;

    let mut shell_text = Vec::new();
    pretty_json(shell, &mut shell_text)?;
    let opening = format!("{{\n  {}: [", serde_json::to_string(key)?);
    let rest = shell_text
        .strip_prefix(opening.as_bytes())
        .and_then(|after| after.strip_prefix(b"]"))
        .ok_or_else(|| {
            io::Error::other(format!(
                "internal error: the document does not open with {key:?}"
            ))
        })?;
    let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut *out);
    if entries.is_empty() {
        buffered.write_all(&shell_text)?;
        return buffered.flush();
    }
    buffered.write_all(opening.as_bytes())?;
    // Generic, not `dyn Write`: serde_json writes a few bytes at a time.
    fn write_entry<T: serde::Serialize, W: Write>(entry: &T, w: W) -> io::Result<()> {
        let mut serializer = serde_json::Serializer::with_formatter(w, Pretty::at(ENTRY_LEVEL));
        serde::Serialize::serialize(entry, &mut serializer).map_err(io::Error::from)
    }
    let separator = |i: usize| if i == 0 { &b"\n    "[..] } else { b",\n    " };
    let mut start = 0;
    while start < entries.len() {
        if weight(&entries[start]) > WINDOW_WEIGHT {
            buffered.write_all(separator(start))?;
            write_entry(&entries[start], &mut buffered)?;
            start += 1;
            continue;
        }
        // The window: the entries from `start` up to the weight or the count.
        let mut end = start;
        let mut total = 0;
        while end < entries.len() && end - start < WINDOW_ENTRIES {
            total += weight(&entries[end]);
            if total > WINDOW_WEIGHT {
                break;
            }
            end += 1;
        }
        let texts: Vec<io::Result<Vec<u8>>> = entries[start..end]
            .par_iter()
            .map(|entry| {
                let mut text = Vec::new();
                write_entry(entry, &mut text)?;
                Ok(text)
            })
            .collect();
        for (i, text) in (start..end).zip(texts) {
            buffered.write_all(separator(i))?;
            buffered.write_all(&text?)?;
        }
        start = end;
    }
    buffered.write_all(b"\n  ]")?;
    buffered.write_all(rest)?;
    buffered.flush()
}

/// `serde_json`'s `PrettyFormatter` (two-space indent), byte for byte, writing each line break
/// and its indent in one call instead of one call per level: a report's million route
/// entries sit five levels deep.
#[derive(Default)]
struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    /// Writing a value that sits `level` levels deep in the document.
    fn at(level: usize) -> Pretty {
        Pretty {
            level,
            has_value: false,
        }
    }

    fn line<W: ?Sized + Write>(&self, w: &mut W, comma: bool) -> io::Result<()> {
        // ",\n" and 64 levels of indent; deeper levels take more than one write.
        const LINE: &[u8; 130] = b",\n                                                                                                                                ";
        let from = usize::from(!comma);
        let mut indent = 2 * self.level;
        let first = indent.min(LINE.len() - 2);
        w.write_all(&LINE[from..2 + first])?;
        indent -= first;
        while indent > 0 {
            let n = indent.min(LINE.len() - 2);
            w.write_all(&LINE[2..2 + n])?;
            indent -= n;
        }
        Ok(())
    }

    /// `[` or `{`: one level deeper, with nothing in it yet.
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// `]` or `}`: on a line of its own, unless nothing was in it.
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.line(w, false)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The formats [`render`] was asked for, for the contract test (batch renders its records on
/// worker threads, so this is one list for the process).
#[cfg(test)]
pub mod seen {
    use std::sync::Mutex;

    use super::Format;

    static SEEN: Mutex<Vec<Format>> = Mutex::new(Vec::new());

    pub fn record(format: Format) {
        SEEN.lock().unwrap_or_else(|e| e.into_inner()).push(format);
    }

    /// What was rendered since the last call.
    pub fn take() -> Vec<Format> {
        std::mem::take(&mut *SEEN.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

#[cfg(test)]
mod pretty_tests {
    use super::{pretty_json, pretty_json_spread};

    #[test]
    fn a_spread_document_is_the_same_bytes_as_the_serial_one() {
        #[derive(serde::Serialize)]
        struct Doc {
            items: Vec<serde_json::Value>,
            other: Vec<u32>,
            last: &'static str,
        }
        // Light, heavy (written straight through) and empty entries, in windows of every
        // length: 600 entries pass the window's entry cap twice.
        let entry = |i: usize| serde_json::json!({"n": i, "list": (0..i % 7).collect::<Vec<_>>(), "empty": {}, "s": "a\"b"});
        for count in [0, 1, 2, 3, 255, 256, 257, 600] {
            let items: Vec<serde_json::Value> = (0..count).map(entry).collect();
            let weight = |v: &serde_json::Value| match v["n"].as_u64() {
                Some(n) if n % 50 == 7 => 1_000_000,
                Some(n) => (n as usize % 7) * 40_000,
                None => 0,
            };
            let doc = Doc {
                items: items.clone(),
                other: vec![1, 2],
                last: "x",
            };
            let shell = Doc {
                items: Vec::new(),
                other: vec![1, 2],
                last: "x",
            };
            let mut serial = Vec::new();
            pretty_json(&doc, &mut serial).unwrap();
            let mut spread = Vec::new();
            pretty_json_spread(&shell, "items", &items, weight, &mut spread).unwrap();
            assert_eq!(
                String::from_utf8(spread).unwrap(),
                String::from_utf8(serial).unwrap(),
                "{count} entries"
            );
        }
    }

    #[test]
    fn a_shell_that_does_not_open_with_the_list_is_refused() {
        let mut out = Vec::new();
        let error =
            pretty_json_spread(&serde_json::json!({"a": 1}), "items", &[1], |_| 1, &mut out)
                .unwrap_err();
        assert!(error.to_string().contains("\"items\""), "{error}");
    }

    #[test]
    fn pretty_json_writes_what_serde_json_pretty_writes() {
        let mut deep = serde_json::json!([1, {"a": []}]);
        for i in 0..80 {
            deep = serde_json::json!({ "level": i, "empty": {}, "list": [deep, "x\"y", null] });
        }
        let values = [
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!({"a": [1, 2, {"b": {}}], "c": "d", "e": [[], [[]]]}),
            deep,
        ];
        for value in values {
            let mut ours = Vec::new();
            pretty_json(&value, &mut ours).unwrap();
            let mut theirs = serde_json::to_vec_pretty(&value).unwrap();
            theirs.push(b'\n');
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap()
            );
        }
    }
}
