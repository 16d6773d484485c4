//! The `sign_vectors` task.

/// Runs the task with the arguments after its name.
pub(crate) fn run(_args: &[String]) -> Result<(), String> {
    Err("not implemented yet".to_string())
}
