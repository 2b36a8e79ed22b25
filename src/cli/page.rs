//! A page of headings, tables and lines, written for a terminal or as Markdown from the same
//! rows: what `whatif`, `headroom`, `sweep`, `review`, `profile check` and `batch` (its totals) print in
//! `--format table` and `--format markdown`.
//!
//! The terminal form indents tables by two columns and fits them to the terminal's width; the
//! Markdown form writes GitHub tables (cells never wrap, `|` escaped) and `-` lists, so a page
//! pasted into a pull request reads the same as on the terminal. Titles, headings, list titles,
//! items and cells are text: they carry names from the user's files, so Markdown gets them
//! escaped ([`markdown_cell`]); backticks are kept (the pages quote commands in them). Only
//! [`Page::line`] is written as given.

use std::io::{self, Write};

use comfy_table::{presets, ColumnConstraint, ContentArrangement, Table, Width};

/// How a page is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Terminal,
    Markdown,
}

pub struct Page<'a> {
    out: &'a mut dyn Write,
    style: Style,
}

/// Text for Markdown: `|` escaped (it would end a table cell), `<` written as `&lt;` (names
/// are not markup), line breaks as `<br>`.
pub fn markdown_cell(text: &str) -> String {
    text.replace('<', "&lt;")
        .replace('|', "\\|")
        .replace('\n', "<br>")
}

impl<'a> Page<'a> {
    pub fn new(out: &'a mut dyn Write, style: Style) -> Page<'a> {
        Page { out, style }
    }

    pub fn style(&self) -> Style {
        self.style
    }

    /// The line a page opens with (bold in Markdown).
    pub fn title(&mut self, text: &str) -> io::Result<()> {
        match self.style {
            Style::Terminal => writeln!(self.out, "{text}"),
            Style::Markdown => writeln!(self.out, "**{}**\n", markdown_cell(text.trim_end())),
        }
    }

    /// A section heading ("Gateway hub-gw (VNet hub)").
    pub fn heading(&mut self, text: &str) -> io::Result<()> {
        match self.style {
            Style::Terminal => writeln!(self.out, "{text}"),
            Style::Markdown => writeln!(self.out, "### {}\n", markdown_cell(text)),
        }
    }

    /// A table: header and rows, every row as long as the header.
    pub fn table(&mut self, header: &[String], rows: &[Vec<String>]) -> io::Result<()> {
        match self.style {
            Style::Terminal => {
                let mut t = Table::new();
                // Fits the terminal (or `COLUMNS`, or 120 columns into a pipe), indented by 2.
                t.load_preset(presets::UTF8_FULL_CONDENSED)
                    .set_content_arrangement(ContentArrangement::Dynamic)
                    .set_width(super::term::width().saturating_sub(2))
                    .set_header(header.to_vec());
                t.force_no_tty();
                for row in rows {
                    t.add_row(row.clone());
                }
                // Whole words where the columns can hold them and the table still fits.
                let width = super::term::width().saturating_sub(2);
                let header: Vec<&str> = header.iter().map(String::as_str).collect();
                set_word_widths(&mut t, &header, rows, width, Fit::Required);
                for line in t.to_string().lines() {
                    writeln!(self.out, "  {line}")?;
                }
                Ok(())
            }
            Style::Markdown => {
                let line = |cells: &[String]| {
                    let cells: Vec<String> = cells.iter().map(|c| markdown_cell(c)).collect();
                    format!("| {} |", cells.join(" | "))
                };
                writeln!(self.out, "{}", line(header))?;
                writeln!(self.out, "|{}", "---|".repeat(header.len()))?;
                for row in rows {
                    writeln!(self.out, "{}", line(row))?;
                }
                writeln!(self.out)
            }
        }
    }

    /// One line under a table or heading ("  first limit crossed: ..." / "- first limit ...").
    pub fn item(&mut self, text: &str) -> io::Result<()> {
        match self.style {
            Style::Terminal => writeln!(self.out, "  {text}"),
            Style::Markdown => writeln!(self.out, "- {}", markdown_cell(text)),
        }
    }

    /// A titled list ("Status changes:" and one item per line).
    pub fn list(&mut self, title: &str, items: &[String]) -> io::Result<()> {
        match self.style {
            Style::Terminal => writeln!(self.out, "{title}:")?,
            Style::Markdown => writeln!(self.out, "**{}:**\n", markdown_cell(title))?,
        }
        for item in items {
            self.item(item)?;
        }
        self.end_list()
    }

    /// A line of text on its own, written as given: in Markdown it may hold markup, and the
    /// caller escapes the names in it.
    pub fn line(&mut self, text: &str) -> io::Result<()> {
        match self.style {
            Style::Terminal => writeln!(self.out, "{text}"),
            Style::Markdown => writeln!(self.out, "{text}\n"),
        }
    }

    /// The end of a block of items: nothing on a terminal, a blank line in Markdown.
    pub fn end_list(&mut self) -> io::Result<()> {
        match self.style {
            Style::Terminal => Ok(()),
            Style::Markdown => writeln!(self.out),
        }
    }

    /// The blank line between sections of a terminal page (Markdown has its own).
    pub fn gap(&mut self) -> io::Result<()> {
        match self.style {
            Style::Terminal => writeln!(self.out),
            Style::Markdown => Ok(()),
        }
    }

    pub fn out(&mut self) -> &mut dyn Write {
        self.out
    }
}

/// The longest word of each column (header included, at most 24 characters), and the cell
/// padding: narrow terminals (under 100 columns) get one space between columns instead of two.
fn word_widths(header: &[&str], rows: &[Vec<String>], width: u16) -> (Vec<u16>, u16) {
    let longest = |text: &str| text.split_whitespace().map(|w| w.chars().count()).max();
    let widths = header
        .iter()
        .enumerate()
        .map(|(i, title)| {
            rows.iter()
                .filter_map(|r| r.get(i).and_then(|t| longest(t)))
                .chain(longest(title))
                .max()
                .unwrap_or(1)
                .min(24) as u16
        })
        .collect();
    (widths, if width < 100 { 1 } else { 2 })
}

/// Whether [`set_word_widths`] may make a table wider than the width it was given.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// Only when every column's longest word fits side by side (page tables).
    Required,
    /// Always (the report's tables, as they always were).
    Optional,
}

/// Keeps words whole where a column can hold them (client names, verdicts, one prefix): each
/// column is at least as wide as its longest word ([`word_widths`]).
pub(crate) fn keep_words(table: &mut Table, header: &[&str], rows: &[Vec<String>], width: u16) {
    set_word_widths(table, header, rows, width, Fit::Optional);
}

fn set_word_widths(table: &mut Table, header: &[&str], rows: &[Vec<String>], width: u16, fit: Fit) {
    let (widths, pad) = word_widths(header, rows, width);
    // Each column's word and padding, and a border between and around the columns.
    let needed: usize =
        widths.iter().map(|w| usize::from(w + pad)).sum::<usize>() + header.len() + 1;
    if fit == Fit::Required && needed > usize::from(width) {
        return;
    }
    for (i, min) in widths.into_iter().enumerate() {
        if let Some(col) = table.column_mut(i) {
            if pad == 1 {
                col.set_padding((1, 0));
            }
            // The width includes the cell padding.
            col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(min + pad)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(style: Style, f: impl FnOnce(&mut Page) -> io::Result<()>) -> String {
        let mut buf = Vec::new();
        f(&mut Page::new(&mut buf, style)).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn markdown_tables_escape_pipes_and_never_wrap() {
        let long = "x".repeat(300);
        let text = written(Style::Markdown, |p| {
            p.table(
                &["a".into(), "b".into()],
                &[vec!["1|2".into(), long.clone()]],
            )
        });
        assert_eq!(
            text,
            format!("| a | b |\n|---|---|\n| 1\\|2 | {long} |\n\n")
        );
    }

    #[test]
    fn lists_are_indented_on_a_terminal_and_dashed_in_markdown() {
        let items = ["one".to_string(), "two".to_string()];
        assert_eq!(
            written(Style::Terminal, |p| p.list("Changes", &items)),
            "Changes:\n  one\n  two\n"
        );
        assert_eq!(
            written(Style::Markdown, |p| p.list("Changes", &items)),
            "**Changes:**\n\n- one\n- two\n\n"
        );
    }
}
