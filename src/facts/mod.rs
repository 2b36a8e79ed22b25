//! Facts Azure documents, as typed data with their sources: the kinds of P2S client and their
//! limits ([`clients`]). The engine and the verdicts read them; nothing here depends on a
//! topology.

pub mod clients;
