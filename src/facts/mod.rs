//! Facts Azure documents, as typed data with their sources, in one place: the kinds of P2S
//! client and their limits ([`clients`]), the resource limits ([`limits`]), the gateway SKU table
//! ([`skus`]), the days products change ([`dates`], with the calendar date `--as-of` parses into)
//! and every finding code with its severity, explanation and source ([`catalog`]). The engine and
//! the verdicts read them; nothing here depends on a topology, so a changed announcement is one
//! edit here.

pub mod catalog;
pub mod clients;
pub mod dates;
pub mod limits;
pub mod skus;
