//! One module per subcommand (or family of subcommands).

pub(crate) mod batch;
pub(crate) mod check;
pub(crate) mod fake;
pub(crate) mod inspect;
pub(crate) mod secret_source;
pub(crate) mod serve;
pub(crate) mod sign;
