//! Older scan files brought up to the current format, one pure step per version, on the JSON
//! value before the typed parse. Each step changes only what its version changed; a file is
//! rewritten in the new version only when it is next saved.

use serde_json::{Map, Value};

use crate::core::scan::SCAN_FORMAT_VERSION;

/// The reason text version 1 wrote for the entry saved just before a batch handed a message to
/// the server; version 2 has a typed `sending` state for it.
const V1_SENDING_REASON: &str = "sending (batch export): no outcome recorded yet";

/// Migrates `scan` (a scan file's JSON object of format version `from`) to the current version.
pub fn to_current(scan: &mut Value, from: u32) {
    let mut version = from;
    while version < SCAN_FORMAT_VERSION {
        if version == 1 {
            v1_to_v2(scan);
        }
        version += 1;
    }
    if let Some(object) = scan.as_object_mut() {
        object.insert("format_version".into(), Value::from(SCAN_FORMAT_VERSION));
    }
}

/// Version 2 keeps everything version 1 had; what changed in meaning is the email log's
/// "sending" entry, a `queued` result with a fixed reason in version 1. Everything else that
/// version 2 added (per-KSB ratings, the validation seal, the option, a later scan's link) is
/// optional and absent from a version 1 file.
fn v1_to_v2(scan: &mut Value) {
    let Some(log) = scan.get_mut("email_log").and_then(Value::as_array_mut) else {
        return;
    };
    for entry in log.iter_mut().filter_map(Value::as_object_mut) {
        if is_v1_sending(entry) {
            entry.insert("result".into(), Value::from("sending"));
            entry.remove("reason");
        }
    }
}

fn is_v1_sending(entry: &Map<String, Value>) -> bool {
    entry.get("result").and_then(Value::as_str) == Some("queued")
        && entry.get("reason").and_then(Value::as_str) == Some(V1_SENDING_REASON)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v1_sending_entry_becomes_typed_and_others_stay() {
        let mut scan = json!({
            "format_version": 1,
            "email_log": [
                {"at": "t", "to": [], "message_id": "<a@x>", "result": "queued", "reason": V1_SENDING_REASON},
                {"at": "t", "to": [], "message_id": "<a@x>", "result": "sent"},
                {"at": "t", "to": [], "message_id": "<b@x>", "result": "queued", "reason": "server down"},
            ]
        });
        to_current(&mut scan, 1);
        assert_eq!(scan["format_version"], json!(SCAN_FORMAT_VERSION));
        assert_eq!(
            scan["email_log"][0],
            json!({"at": "t", "to": [], "message_id": "<a@x>", "result": "sending"})
        );
        assert_eq!(scan["email_log"][1]["result"], json!("sent"));
        assert_eq!(
            scan["email_log"][2],
            json!({"at": "t", "to": [], "message_id": "<b@x>", "result": "queued", "reason": "server down"})
        );
    }

    #[test]
    fn v1_without_email_log_only_changes_version() {
        let mut scan =
            json!({"format_version": 1, "answers": {"d1-skills": {"rating": "yes", "text": "x"}}});
        let before = scan.clone();
        to_current(&mut scan, 1);
        assert_eq!(scan["answers"], before["answers"]);
        assert_eq!(scan["format_version"], json!(2));
    }
}
