//! Scan and standard files: loading, saving, sessions and locks, shared folders, old versions,
//! bad and hostile bytes, user-given and imported standards.

#[path = "../support/mod.rs"]
mod support;

mod standard_files;
#[cfg(unix)]
mod standard_import;
mod standard_matches_seed;
mod storage_bad_files;
mod storage_never_panics;
mod storage_old_versions;
mod storage_save;
mod storage_session;
mod storage_shared;
