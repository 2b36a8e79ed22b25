//! `--list-limit`: how long a route list may be before it is given as a count, the same flag
//! with the same default in every command that prints lists (`analyze` adds `--full`).

use p2s_sim::report::ListLimit;

#[derive(clap::Args, Debug, Clone)]
pub struct ListArgs {
    /// Lists longer than this are shown as a count only.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub list_limit: usize,
}

impl ListArgs {
    pub fn limit(&self) -> ListLimit {
        ListLimit(Some(self.list_limit))
    }
}
